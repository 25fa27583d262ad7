// Parsing herd7's BPF litmus dialect into the AST of ast.hpp.
//
// The accepted language is herd7's (lib/BPFParser.mly for the thread table,
// the generic litmus front end for the header, init block and condition),
// with these decisions:
//  - A fetch atomic whose left-hand side differs from its source register
//    (`r3 = atomic_fetch_add((u32 *)(r2 + 0), r1)`) parses; as in herd7 and real
//    BPF the old value goes to the source register (Atomic::written_dst keeps r3).
//  - Immediates fit in s32 (BPF's imm field), except `rD = imm`, which takes an
//    s64 (BPF_LD_IMM64); offsets fit in s16; atomics are u32 or u64 only.
//  - Numbers may be decimal or hexadecimal everywhere; comments nest up to
//    kMaxNesting deep and conditions nest up to kMaxNesting deep.
//  - `=>` in a condition becomes `not (a) \/ b`; `!=` and `<>` become `not (..=..)`.
//  - Test::locations lists every location in order of first mention, by
//    category: locations the init block declares, then the address values of
//    register initialisations, then those of memory initialisations, then the
//    condition, then the `locations [...]` list.
//  - Info lines (`key = value`) and a `(texname)` after the name are accepted
//    and dropped; `filter`, `observed`, `cases`, `with` and `<<` are rejected.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "litmus/ast.hpp"

namespace bpf_litmus::litmus {

// Deepest nesting accepted for comments and for condition expressions.
inline constexpr int kMaxNesting = 64;
// Largest input accepted, in bytes.
inline constexpr std::size_t kMaxInputBytes = 1u << 20;

// A malformed or unreadable test. what() is `file:line:col: message`, where
// message reads `expected ..., got ...`; line and col are 1-based (0 for a file
// that cannot be read) and col counts bytes.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string file_name, std::uint32_t line_no, std::uint32_t col_no,
             std::string text);

  std::string file;
  std::uint32_t line;
  std::uint32_t col;
  std::string message;
};

// Parses the file at path; throws ParseError. Test::file is path.
[[nodiscard]] Test parse_file(const std::string& path);

// Parses text as if read from file_name; throws ParseError.
[[nodiscard]] Test parse_text(std::string_view text, std::string file_name);

}  // namespace bpf_litmus::litmus
