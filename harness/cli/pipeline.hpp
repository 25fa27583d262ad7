// One litmus file through every stage: parse, predict, compile, load, hammer,
// judge. `run` prints what this returns; `campaign` stores it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "model/model.hpp"
#include "report/judgement.hpp"
#include "report/litmus7_log.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::cli {

struct PipelineOptions {
  codegen::CodegenOptions codegen;
  runtime::RunOptions run;
  std::optional<model::ModelKind> model = model::ModelKind::Bpf;  // nullopt: judge against nothing
  bool explain_forbidden = true;  // ask the model why for each forbidden state seen
};

struct TestRun {
  enum class Status : std::uint8_t {
    Ran,          // hammered to the end of its iterations or time budget
    Stopped,      // interrupted (Ctrl-C); what was measured is kept
    Skipped,      // not run on this machine (e.g. more threads than CPUs)
    Unsupported,  // BPF or this kernel cannot express the test
    BadInput,     // the file does not parse, or the model rejects it
    Rejected,     // the verifier refused a program (a harness bug)
    Failed,       // the run failed (stuck thread, system error)
  };
  Status status = Status::Failed;
  std::string file;
  std::string message;  // why, for every status but Ran
  std::optional<litmus::Test> test;
  std::optional<model::Prediction> prediction;
  std::string model_note;  // why there is no prediction, if there is none
  std::optional<codegen::CompiledTest> compiled;
  report::Judgement judgement;
  report::RunFacts facts;
  runtime::Placement placement;  // where each thread ran (facts.placement is its text)

  [[nodiscard]] bool observed_forbidden() const { return judgement.forbidden_states > 0; }
};

// Runs file through every stage. Never throws for a bad test or a kernel
// refusal: the status says what happened.
[[nodiscard]] TestRun run_litmus_file(const std::string& file, const PipelineOptions& options);

// "spin", "none", "timebase".
[[nodiscard]] std::string sync_mode_name(codegen::SyncMode mode);
// "separate", "shared".
[[nodiscard]] std::string layout_name(codegen::LocationLayout layout);

}  // namespace bpf_litmus::cli
