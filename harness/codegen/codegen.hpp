// The codegen stage: a litmus test becomes one real BPF program per thread
// (see compiled_test.hpp for what they share with the runtime, and
// docs/codegen.md for the design).
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"

namespace bpf_litmus::codegen {

struct CodegenError {
  enum class Kind : std::uint8_t {
    Unsupported,  // valid litmus that BPF or this harness cannot run
    Invalid,      // the AST breaks its own contract (the parser should have refused it)
  };
  Kind kind = Kind::Invalid;
  std::string construct;  // what could not be compiled: "atomic_fetch_add at u16", "capacity"
  std::string reason;
  int thread = -1;        // -1: not about one thread
  litmus::SourcePos pos;  // line 0: not about one statement
};

// "Unsupported: <construct>: <reason>" (or "Invalid: ..."), then " (P1, line 12)" when known.
[[nodiscard]] std::string to_string(const CodegenError& error);

using CodegenResult = std::variant<CompiledTest, CodegenError>;

// Compiles every thread of `test` into a BPF program over one arena layout.
[[nodiscard]] CodegenResult compile(const litmus::Test& test, const CodegenOptions& options = {});

// Each thread's program as BPF assembly in the verifier log's syntax, each
// block under the test statement it implements, with register homes and layout.
[[nodiscard]] std::string listing(const CompiledTest& compiled, const litmus::Test& test);

// The location (index into Test::locations) whose address in `instance` is
// `value`, if any: how a raw observed value is turned back into a name.
[[nodiscard]] std::optional<std::size_t> decode_address(const MemoryLayout& layout, std::uint64_t instance,
                                                        std::uint64_t value);

// "may_goto", "bpf_loop": the loop strategies' names in listings, options and records.
[[nodiscard]] std::string_view loop_strategy_name(LoopStrategy loop);

// The kernel feature `insn` needs beyond the baseline, if any. For
// ld_imm64, pass the first slot.
[[nodiscard]] std::optional<KernelFeature> feature_of(const bpf_insn& insn);

}  // namespace bpf_litmus::codegen
