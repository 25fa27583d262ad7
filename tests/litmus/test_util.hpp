// Small builders of litmus texts for the parser's unit tests.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "litmus/ast.hpp"
#include "litmus/parser.hpp"

namespace bpf_litmus::litmus::test_support {

// A one-thread test whose thread table has one row per cell given.
inline std::string one_thread_text(std::initializer_list<std::string_view> cells) {
  std::string text = "BPF t\n{ 0:r1=x; }\n P0 ;\n";
  for (const std::string_view cell : cells) text += " " + std::string(cell) + " ;\n";
  return text + "exists (0:r1=0)\n";
}

inline litmus::Test parse_cells(std::initializer_list<std::string_view> cells) {
  return parse_text(one_thread_text(cells), "t.litmus");
}

// The instruction written in cell, followed by a row defining label L.
inline Instruction parse_instruction_text(std::string_view cell) {
  return parse_cells({cell, "L:"}).threads.at(0).code.at(0).instruction.value();
}

// The message of the ParseError that parsing text as "t.litmus" throws, or
// "no error".
inline std::string parse_error_of(std::string_view text) {
  try {
    (void)parse_text(text, "t.litmus");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace bpf_litmus::litmus::test_support
