// libFuzzer target for the litmus parser. Besides crashes, leaks and hangs it
// checks two properties on every input:
//  - a rejected input gets a well-formed message: `fuzz.litmus:L:C: expected
//    ..., got ...`, printable ASCII only;
//  - an accepted input prints to a text that parses back to an equal AST.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "litmus/parser.hpp"
#include "litmus/printer.hpp"
#include "../litmus/ast_equal.hpp"

namespace {

using bpf_litmus::litmus::ParseError;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "parser_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void check_message(const ParseError& error) {
  const std::string what = error.what();
  const std::string prefix = error.file + ":" + std::to_string(error.line) + ":" +
                             std::to_string(error.col) + ": ";
  if (what != prefix + error.message) fail("what() is not file:line:col: message", what);
  if (error.message.rfind("expected ", 0) != 0 || error.message.find(", got ") == std::string::npos) {
    fail("message does not read `expected ..., got ...`", what);
  }
  if (error.line == 0 || error.col == 0) fail("position is not 1-based", what);
  for (const char c : what) {
    if (c < 0x20 || c > 0x7e) fail("message has a byte that is not printable ASCII", what);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bpf_litmus::litmus::Test test;
  try {
    test = bpf_litmus::litmus::parse_text(text, "fuzz.litmus");
  } catch (const ParseError& error) {
    check_message(error);
    return 0;
  }
  const std::string printed = bpf_litmus::litmus::print_test(test);
  try {
    const bpf_litmus::litmus::Test reparsed =
        bpf_litmus::litmus::parse_text(printed, "printed.litmus");
    const std::string difference =
        bpf_litmus::litmus::test_support::first_difference(test, reparsed);
    if (!difference.empty()) fail(("round trip changed " + difference).c_str(), printed);
  } catch (const ParseError& error) {
    fail(error.what(), printed);
  }
  return 0;
}
