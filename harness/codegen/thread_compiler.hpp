// One test thread to one BPF program: a loop over the launch's instances
// (may_goto, or bpf_loop over an instance callback), each instance being
// sync, register set-up, the thread's statements and result capture.
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "codegen/analysis.hpp"
#include "codegen/codegen.hpp"
#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"

namespace bpf_litmus::codegen {

struct ThreadInput {
  const litmus::Test& test;
  const litmus::Thread& thread;
  const std::vector<std::optional<std::size_t>>& jump_targets;  // from resolve_jumps
  const ThreadFacts& facts;
  const MemoryLayout& layout;
  SyncMode sync = SyncMode::Spin;
  LoopStrategy loop = LoopStrategy::MayGoto;
};

[[nodiscard]] std::variant<ThreadProgram, CodegenError> compile_thread(const ThreadInput& input);

}  // namespace bpf_litmus::codegen
