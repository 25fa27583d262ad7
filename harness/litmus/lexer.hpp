// Tokens of herd7's BPF litmus dialect. Internal to the parser stage.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "litmus/ast.hpp"

namespace bpf_litmus::litmus {

enum class TokenKind : std::uint8_t {
  End,        // end of input
  Ident,      // [A-Za-z_][A-Za-z0-9_]* and herd's `.` `/` `-` continuations
  Number,     // decimal or 0x hexadecimal, no sign
  String,     // "..." (text holds the contents)
  Semi, Comma, Pipe, LParen, RParen, LBracket, RBracket, LBrace, RBrace, Colon,
  Assign,     // =
  EqEq,       // ==
  NotEq,      // != or <>
  Lt, Le, Gt, Ge,
  Plus, Minus, Star, Amp, Tilde,
  AndOp,      // /\ conjunction
  OrOp,       // \/ disjunction
  Implies,    // =>
  AluAssign,  // += -= *= /= %= &= |= ^= <<= >>= s>>=
  Unknown,    // any other byte
};

// The register an identifier names (r0..r10, R0..R10, fp, FP), if any.
[[nodiscard]] std::optional<Reg> register_named(std::string_view name);

enum class NumberStatus : std::uint8_t { Ok, Overflow, Malformed };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;  // as written (String: without the quotes)
  SourcePos pos;
  AluOp alu_op = AluOp::Add;                  // AluAssign
  std::uint64_t number = 0;                   // Number, when status is Ok
  NumberStatus number_status = NumberStatus::Ok;
};

// How a token is named in `got ...` of an error message: quoted text, cut
// short when long, printable ASCII only.
[[nodiscard]] std::string describe(const Token& token);

// Splits a text into tokens on demand, skipping blanks and (nested) comments,
// which it keeps verbatim. Throws ParseError on an unterminated comment or
// string and on comments nested deeper than kMaxNesting.
class Lexer {
 public:
  Lexer(std::string_view text, std::string file_name);

  // The token `ahead` tokens past the next one (ahead < 4).
  const Token& peek(std::size_t ahead = 0);
  Token take();

  // Raw scanning for the header line; valid only with no token peeked.
  // Skips blanks on the current line, then returns the longest run of herd's
  // test-name characters (possibly empty) and the position where it starts.
  std::string_view take_test_name(SourcePos* where);
  // Skips the rest of the current line (the value of an info line).
  void skip_line();

  // Comments seen so far, verbatim, in order; moves them out.
  std::vector<std::string> take_comments();

 private:
  Token lex();
  void skip_blanks_and_comments();
  void skip_comment();
  void advance(std::size_t bytes);
  [[nodiscard]] char at(std::size_t ahead) const;
  [[nodiscard]] SourcePos here() const { return {line_, col_}; }

  std::string_view text_;
  std::string file_;
  std::size_t offset_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t col_ = 1;
  std::deque<Token> lookahead_;
  std::vector<std::string> comments_;
};

}  // namespace bpf_litmus::litmus
