// One litmus file through every stage: parse, predict, compile, load, hammer,
// judge. `run` prints what this returns; `campaign` stores it; `mutate` runs
// mutants through it, judged against their original.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "model/model.hpp"
#include "report/bug_report.hpp"
#include "report/judgement.hpp"
#include "report/litmus7_log.hpp"
#include "runtime/runtime.hpp"
#include "runtime/throughput.hpp"

namespace bpf_litmus::cli {

// Another test whose prediction judges a run: a mutant's outcomes are judged
// against its original's (the two share observables and condition).
struct Reference {
  litmus::Test test;
  model::Prediction prediction;  // under PipelineOptions::model
};

struct PipelineOptions {
  codegen::CodegenOptions codegen;
  runtime::RunOptions run;
  std::optional<model::ModelKind> model = model::ModelKind::Bpf;  // nullopt: judge against nothing
  bool explain_forbidden = true;  // ask the model why for each forbidden state seen
  std::shared_ptr<const Reference> reference;  // judge against this instead of the test's own prediction
  bool keep_evidence = false;  // keep the verifier logs and JIT images, for a bug report
  // After each launch: the outcomes so far, judged, and the time by which
  // they had happened (runtime::RunOptions::after_launch); false ends the run.
  std::function<bool(const report::Judgement& so_far, std::chrono::nanoseconds happened_by)> on_progress;
  // codegen.loop from the kernel's features (may_goto, else bpf_loop) rather than as given.
  bool loop_from_kernel = true;
  // --auto: try every sync mode and layout briefly (cli/throughput.hpp), then
  // spend the rest of run.time_budget on the one with the most weak outcomes
  // per second (run.iterations is ignored).
  bool auto_select = false;
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
  // With keep_evidence, per thread: the verifier's log, the JIT's image and
  // where each statement's code starts in it.
  std::vector<std::string> verifier_logs;
  std::vector<std::vector<std::uint8_t>> jit_images;
  std::vector<std::vector<runtime::JitedLine>> jit_lines;
  report::RunFacts facts;
  runtime::Placement placement;  // where each thread ran (facts.placement is its text)
  runtime::Throughput throughput;  // configuration, rates, --auto's trials (facts cover trials too)

  [[nodiscard]] bool observed_forbidden() const { return judgement.forbidden_states > 0; }
};

// Runs file through every stage. Never throws for a bad test or a kernel
// refusal: the status says what happened.
[[nodiscard]] TestRun run_litmus_file(const std::string& file, const PipelineOptions& options);
// The same for a test already parsed (or made: a mutant); `file` names it in
// the result.
[[nodiscard]] TestRun run_litmus_test(litmus::Test test, const PipelineOptions& options, std::string file = {});

// A run's evidence (kept with keep_evidence) as a bug report's input. With a
// reference, the reference is the test and the run's test the weakened one;
// the caller says what was weakened (BugReportInput::weakening).
[[nodiscard]] report::BugReportInput bug_report_input(const TestRun& run, const PipelineOptions& options,
                                                     std::string reproduce);

// The `bpf-litmus run` command line that hammers `file` again as `options`
// did, for `seconds` (0: no time budget).
[[nodiscard]] std::string reproduce_command(const std::string& file, const PipelineOptions& options, double seconds);
// Writes a bug report bundle into dir. Returns the line that says where, or
// why there is none: a bundle that cannot be written does not end a run.
[[nodiscard]] std::string write_bug_report_line(const std::string& dir, const report::BugReportInput& input);

// "spin", "none", "timebase".
[[nodiscard]] std::string sync_mode_name(codegen::SyncMode mode);
// "separate", "shared".
[[nodiscard]] std::string layout_name(codegen::LocationLayout layout);

}  // namespace bpf_litmus::cli
