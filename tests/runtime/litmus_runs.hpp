// Runs corpus litmus tests end to end (parser, codegen, runtime) for the
// hardware tests and the rate measurement.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "codegen/codegen.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::runtime::testing {

struct LitmusRun {
  std::string error;  // non-empty: parse, compile or load failed
  codegen::CompiledTest compiled;
  RunResult result;
};

// Parses litmus/<name>.litmus, compiles it with `sync` (or `codegen`), loads and runs it.
LitmusRun run_corpus_test(const std::string& name, codegen::SyncMode sync, const RunOptions& options);
LitmusRun run_corpus_test(const std::string& name, const codegen::CodegenOptions& codegen, const RunOptions& options);

// Instances whose observed registers all hold the given values, e.g.
// {{0, 5, 0}, {1, 5, 0}} for 0:r5=0 /\ 1:r5=0 (thread, register, value).
struct RegisterValue {
  int thread;
  int reg;
  std::uint64_t value;
};
std::uint64_t count_outcome(const LitmusRun& run, const std::vector<RegisterValue>& outcome);

}  // namespace bpf_litmus::runtime::testing
