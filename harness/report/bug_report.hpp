// A bug report bundle: everything a kernel maintainer needs to act on a run
// that observed a state the model forbids, without running anything else.
// One directory: README.md (the story, with the test, the forbidden states
// and the model's reasons inline) and the raw evidence beside it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "model/model.hpp"
#include "report/judgement.hpp"
#include "report/litmus7_log.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::report {

struct BugReportInput {
  litmus::Test test;       // the test whose model verdict the run broke
  std::string test_path;   // its file, when it has one
  // When the programs were deliberately weakened (a mutant): the test they
  // implement, and what was weakened, said plainly. The report then says, at
  // its top, that the bug was injected.
  std::optional<litmus::Test> weakened;
  std::string weakening;
  model::ModelKind model = model::ModelKind::Bpf;
  codegen::CompiledTest compiled;  // the programs that ran
  Judgement judgement;             // with why_forbidden filled for the forbidden states
  RunFacts facts;
  std::vector<std::string> verifier_logs;               // per thread
  std::vector<std::vector<std::uint8_t>> jit_images;    // per thread
  std::vector<std::vector<runtime::JitedLine>> jit_lines;  // per thread, where each statement's code starts
  std::string reproduce;  // one command that reproduces the observation
};

// Writes the bundle into `dir` (created if needed); returns the files written,
// README.md first. Throws std::runtime_error when a file cannot be written.
std::vector<std::filesystem::path> write_bug_report(const std::filesystem::path& dir, const BugReportInput& input);

}  // namespace bpf_litmus::report
