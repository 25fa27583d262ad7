// One test thread to one BPF program: an entry that runs bpf_loop over the
// launch's instances, and the instance callback (sync, register set-up, the
// thread's statements, result capture).
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
};

[[nodiscard]] std::variant<ThreadProgram, CodegenError> compile_thread(const ThreadInput& input);

}  // namespace bpf_litmus::codegen
