// Helpers shared by codegen's tests: tests from text, compiled or failing,
// and the instructions that implement one statement.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "codegen/codegen.hpp"
#include "catalogue.hpp"
#include "litmus/parser.hpp"

namespace bpf_litmus::codegen::testing {

using test_data::catalogue_files;

inline litmus::Test parse(std::string_view text) { return litmus::parse_text(text, "t.litmus"); }

// A one-thread test `BPF t` with `init` in its init block and one row per cell.
inline std::string one_thread(std::string_view init, std::initializer_list<std::string_view> cells,
                              std::string_view condition = "exists (0:r1=0)") {
  std::string text = "BPF t\n{ " + std::string(init) + " }\n P0 ;\n";
  for (const std::string_view cell : cells) text += " " + std::string(cell) + " ;\n";
  return text + std::string(condition) + "\n";
}

// The compiled test, or a test failure with the error.
inline CompiledTest compile_ok(const litmus::Test& test, const CodegenOptions& options = {}) {
  CodegenResult result = compile(test, options);
  if (const auto* error = std::get_if<CodegenError>(&result)) {
    ADD_FAILURE() << to_string(*error);
    return {};
  }
  return std::get<CompiledTest>(std::move(result));
}

// The error, or a test failure if the test compiled.
inline CodegenError compile_error(const litmus::Test& test, const CodegenOptions& options = {}) {
  CodegenResult result = compile(test, options);
  if (const auto* error = std::get_if<CodegenError>(&result)) return *error;
  ADD_FAILURE() << "compiled, expected an error";
  return {};
}

// Instructions of `program` that implement statement `statement`, in order,
// in the first copy of the instance (MayGoto runs several per round).
inline std::vector<bpf_insn> statement_insns(const ThreadProgram& program, int statement) {
  std::vector<bpf_insn> insns;
  for (std::size_t i = 0; i < program.insns.size(); ++i) {
    if (program.source_statement[i] == statement) {
      insns.push_back(program.insns[i]);
    } else if (!insns.empty()) {
      break;
    }
  }
  return insns;
}

// Machine register (or -1 when spilled or absent) holding test register r.
inline int machine_reg(const ThreadProgram& program, litmus::Reg r) {
  for (const RegisterHome& home : program.homes) {
    if (home.test_reg == r) return home.in_machine_reg ? home.machine_reg : -1;
  }
  return -1;
}


}  // namespace bpf_litmus::codegen::testing
