#include "litmus/lexer.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include "litmus/parser.hpp"

namespace bpf_litmus::litmus {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
// herd's splitter: testname = (alpha|digit|'_'|'/'|'.'|'-'|'+'|'['|']')+
bool is_test_name_char(char c) {
  return is_word(c) || c == '/' || c == '.' || c == '-' || c == '+' || c == '[' || c == ']';
}
// Inside a name herd also allows '.', '/' and '-' (lib/BPFLexer.mll).
bool is_name_joiner(char c) { return c == '.' || c == '/' || c == '-'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct Operator {
  std::string_view spelling;
  TokenKind kind;
  AluOp alu_op = AluOp::Add;
};

// Longest spellings first so that e.g. `<<=` wins over `<`.
constexpr std::array kOperators{
    Operator{"<<=", TokenKind::AluAssign, AluOp::Lsh},
    Operator{">>=", TokenKind::AluAssign, AluOp::Rsh},
    Operator{"+=", TokenKind::AluAssign, AluOp::Add},
    Operator{"-=", TokenKind::AluAssign, AluOp::Sub},
    Operator{"*=", TokenKind::AluAssign, AluOp::Mul},
    Operator{"/=", TokenKind::AluAssign, AluOp::Div},
    Operator{"%=", TokenKind::AluAssign, AluOp::Mod},
    Operator{"&=", TokenKind::AluAssign, AluOp::And},
    Operator{"|=", TokenKind::AluAssign, AluOp::Or},
    Operator{"^=", TokenKind::AluAssign, AluOp::Xor},
    Operator{"==", TokenKind::EqEq},
    Operator{"!=", TokenKind::NotEq},
    Operator{"<>", TokenKind::NotEq},
    Operator{"<=", TokenKind::Le},
    Operator{">=", TokenKind::Ge},
    Operator{"=>", TokenKind::Implies},
    Operator{"/\\", TokenKind::AndOp},
    Operator{"\\/", TokenKind::OrOp},
    Operator{";", TokenKind::Semi},
    Operator{",", TokenKind::Comma},
    Operator{"|", TokenKind::Pipe},
    Operator{"(", TokenKind::LParen},
    Operator{")", TokenKind::RParen},
    Operator{"[", TokenKind::LBracket},
    Operator{"]", TokenKind::RBracket},
    Operator{"{", TokenKind::LBrace},
    Operator{"}", TokenKind::RBrace},
    Operator{":", TokenKind::Colon},
    Operator{"=", TokenKind::Assign},
    Operator{"<", TokenKind::Lt},
    Operator{">", TokenKind::Gt},
    Operator{"+", TokenKind::Plus},
    Operator{"-", TokenKind::Minus},
    Operator{"*", TokenKind::Star},
    Operator{"&", TokenKind::Amp},
    Operator{"~", TokenKind::Tilde},
};

constexpr std::size_t kMaxQuotedChars = 32;

}  // namespace

std::optional<Reg> register_named(std::string_view name) {
  if (name == "fp" || name == "FP") return Reg{10};
  if (name.size() < 2 || name.size() > 3 || (name[0] != 'r' && name[0] != 'R')) return std::nullopt;
  if (name.size() == 2 && is_digit(name[1])) return static_cast<Reg>(name[1] - '0');
  if (name == "r10" || name == "R10") return Reg{10};
  return std::nullopt;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::End:
      return "end of file";
    case TokenKind::String:
      return "a string";
    case TokenKind::Unknown: {
      const auto byte = static_cast<unsigned char>(token.text.empty() ? '\0' : token.text[0]);
      if (byte > 0x20 && byte < 0x7f) return std::string("'") + static_cast<char>(byte) + "'";
      constexpr std::string_view kHex = "0123456789abcdef";
      return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
    }
    default:
      break;
  }
  if (token.text.size() > kMaxQuotedChars) {
    return "'" + std::string(token.text.substr(0, kMaxQuotedChars)) + "...'";
  }
  return "'" + std::string(token.text) + "'";
}

Lexer::Lexer(std::string_view text, std::string file_name)
    : text_(text), file_(std::move(file_name)) {}

char Lexer::at(std::size_t ahead) const {
  const std::size_t index = offset_ + ahead;
  return index < text_.size() ? text_[index] : '\0';
}

void Lexer::advance(std::size_t bytes) {
  for (std::size_t i = 0; i < bytes && offset_ < text_.size(); ++i, ++offset_) {
    if (text_[offset_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
  }
}

const Token& Lexer::peek(std::size_t ahead) {
  while (lookahead_.size() <= ahead) lookahead_.push_back(lex());
  return lookahead_[ahead];
}

Token Lexer::take() {
  peek();
  Token token = lookahead_.front();
  lookahead_.pop_front();
  return token;
}

std::vector<std::string> Lexer::take_comments() { return std::exchange(comments_, {}); }

std::string_view Lexer::take_test_name(SourcePos* where) {
  if (!lookahead_.empty()) throw std::logic_error("Lexer::take_test_name after peek");
  while (at(0) == ' ' || at(0) == '\t' || at(0) == '\r') advance(1);
  *where = here();
  const std::size_t start = offset_;
  while (offset_ < text_.size() && is_test_name_char(text_[offset_])) advance(1);
  return text_.substr(start, offset_ - start);
}

void Lexer::skip_line() {
  if (!lookahead_.empty()) throw std::logic_error("Lexer::skip_line after peek");
  while (offset_ < text_.size() && text_[offset_] != '\n') advance(1);
  advance(1);
}

void Lexer::skip_comment() {
  const SourcePos opening = here();
  const std::size_t start = offset_;
  int depth = 0;
  while (true) {
    if (offset_ >= text_.size()) {
      throw ParseError(file_, opening.line, opening.col,
                       "expected '*)' closing this comment, got end of file");
    }
    if (at(0) == '(' && at(1) == '*') {
      if (++depth > kMaxNesting) {
        throw ParseError(file_, line_, col_,
                         "expected comments nested at most " + std::to_string(kMaxNesting) +
                             " deep, got deeper nesting");
      }
      advance(2);
    } else if (at(0) == '*' && at(1) == ')') {
      advance(2);
      if (--depth == 0) break;
    } else {
      advance(1);
    }
  }
  comments_.emplace_back(text_.substr(start, offset_ - start));
}

void Lexer::skip_blanks_and_comments() {
  while (offset_ < text_.size()) {
    if (is_blank(at(0))) {
      advance(1);
    } else if (at(0) == '(' && at(1) == '*') {
      skip_comment();
    } else {
      return;
    }
  }
}

Token Lexer::lex() {
  skip_blanks_and_comments();
  Token token;
  token.pos = here();
  const std::size_t start = offset_;
  if (offset_ >= text_.size()) return token;
  const char first = at(0);
  auto finish = [&](TokenKind kind) {
    token.kind = kind;
    token.text = text_.substr(start, offset_ - start);
    return token;
  };

  if (first == 's' && text_.substr(offset_ + 1, 3) == ">>=") {
    token.alu_op = AluOp::Arsh;
    advance(4);
    return finish(TokenKind::AluAssign);
  }
  if (is_alpha(first) || first == '_') {
    while (is_word(at(0))) advance(1);
    if (!register_named(text_.substr(start, offset_ - start))) {
      while (is_name_joiner(at(0)) && is_word(at(1))) {
        advance(1);
        while (is_word(at(0))) advance(1);
      }
    }
    return finish(TokenKind::Ident);
  }
  if (is_digit(first)) {
    const bool hex = first == '0' && (at(1) == 'x' || at(1) == 'X') && is_hex_digit(at(2));
    const int base = hex ? 16 : 10;
    if (hex) advance(2);
    while (hex ? is_hex_digit(at(0)) : is_digit(at(0))) {
      const auto digit = static_cast<std::uint64_t>(hex ? hex_value(at(0)) : at(0) - '0');
      if (token.number > (UINT64_MAX - digit) / static_cast<std::uint64_t>(base)) {
        token.number_status = NumberStatus::Overflow;
      } else {
        token.number = token.number * static_cast<std::uint64_t>(base) + digit;
      }
      advance(1);
    }
    if (is_word(at(0))) {
      token.number_status = NumberStatus::Malformed;
      while (is_word(at(0))) advance(1);
    }
    return finish(TokenKind::Number);
  }
  if (first == '"') {
    advance(1);
    const std::size_t contents = offset_;
    while (offset_ < text_.size() && at(0) != '"') advance(1);
    if (offset_ >= text_.size()) {
      throw ParseError(file_, token.pos.line, token.pos.col,
                       "expected '\"' closing this string, got end of file");
    }
    token.kind = TokenKind::String;
    token.text = text_.substr(contents, offset_ - contents);
    advance(1);
    return token;
  }
  for (const Operator& op : kOperators) {
    if (text_.substr(offset_, op.spelling.size()) == op.spelling) {
      token.alu_op = op.alu_op;
      advance(op.spelling.size());
      return finish(op.kind);
    }
  }
  advance(1);
  return finish(TokenKind::Unknown);
}

}  // namespace bpf_litmus::litmus
