#include "cli/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <variant>

#include "cli/throughput.hpp"
#include "codegen/codegen.hpp"
#include "litmus/parser.hpp"
#include "model/value.hpp"

namespace bpf_litmus::cli {
namespace {

constexpr int kMaxExplanations = 4;

TestRun::Status status_of(const runtime::Error& error) {
  switch (error.kind) {
    case runtime::Error::Kind::Unsupported: return TestRun::Status::Unsupported;
    case runtime::Error::Kind::Rejected: return TestRun::Status::Rejected;
    case runtime::Error::Kind::System:
    case runtime::Error::Kind::BadInput: break;
  }
  return TestRun::Status::Failed;
}

TestRun::Status status_of(runtime::RunStatus status) {
  switch (status) {
    case runtime::RunStatus::Completed: return TestRun::Status::Ran;
    case runtime::RunStatus::Stopped: return TestRun::Status::Stopped;
    case runtime::RunStatus::Skipped: return TestRun::Status::Skipped;
    case runtime::RunStatus::Failed: break;
  }
  return TestRun::Status::Failed;
}

// Fills in the model's prediction, or says why there is none.
void predict(TestRun& run, model::ModelKind kind) {
  try {
    run.prediction = model::predict(*run.test, kind);
  } catch (const model::ModelError& e) {
    run.model_note = e.what();
  } catch (const model::LimitExceeded& e) {
    run.model_note = e.what();
  }
}


// One configuration of a test: compiled, loaded and hammered.
struct Hammered {
  TestRun::Status status = TestRun::Status::Failed;
  std::string message;
  bool ran = false;  // the runtime ran (or skipped) it: result and decoded hold what it saw
  std::optional<codegen::CompiledTest> compiled;
  runtime::RunResult result;
  DecodedHistogram decoded;
};

runtime::HammerRates rates(const Hammered& hammered, const WeakOutcomes& weak) {
  const auto seconds = [](std::chrono::nanoseconds time) { return std::chrono::duration<double>(time).count(); };
  return {hammered.result.iterations, seconds(hammered.result.wall_time), weak.count(hammered.decoded),
          seconds(hammered.result.kernel_time), seconds(hammered.result.together_time)};
}

// Facts cover every configuration a test ran in (--auto's trials too).
void add_facts(TestRun& run, const Hammered& hammered) {
  run.facts.iterations += hammered.result.iterations;
  run.facts.seconds += std::chrono::duration<double>(hammered.result.wall_time).count();
  run.facts.launches += hammered.result.launches;
  run.facts.unsynchronised += hammered.result.unsynchronised;
}

// Compiles, loads and hammers the test in one configuration. The main run
// (not an --auto trial) keeps its evidence and reports progress.
struct Hammer {
  const litmus::Test& test;
  const PipelineOptions& options;
  const litmus::Test& judged;
  const model::Prediction* prediction;
  TestRun& run;

  Hammered operator()(const codegen::CodegenOptions& codegen_options, runtime::RunOptions run_options,
                      bool main_run) const {
    Hammered out;
    auto compiled = codegen::compile(test, codegen_options);
    if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) {
      out.status = error->kind == codegen::CodegenError::Kind::Unsupported ? TestRun::Status::Unsupported
                                                                            : TestRun::Status::BadInput;
      out.message = codegen::to_string(*error);
      return out;
    }
    out.compiled = std::move(std::get<codegen::CompiledTest>(compiled));
    const bool evidence = main_run && options.keep_evidence;
    auto loaded = runtime::load(*out.compiled, {.keep_verifier_log = evidence, .line_info = evidence});
    if (!loaded) {
      out.status = status_of(loaded.error());
      out.message = loaded.error().message;
      return out;
    }
    for (int t = 0; evidence && t < loaded->threads(); ++t) {
      run.verifier_logs.push_back(loaded->verifier_log(t));
      auto image = runtime::jited_image(*loaded, t);
      run.jit_images.push_back(image ? std::move(*image) : std::vector<std::uint8_t>{});
      auto lines = runtime::jited_line_offsets(*loaded, t);
      run.jit_lines.push_back(lines ? std::move(*lines) : std::vector<runtime::JitedLine>{});
    }
    if (main_run && options.on_progress) {
      run_options.after_launch = [&](const runtime::Histogram& counted, std::chrono::nanoseconds happened_by) {
        const auto so_far = report::decode_histogram(test, *out.compiled, counted);
        return options.on_progress(
            report::judge(judged, so_far, prediction, prediction ? options.model : std::nullopt), happened_by);
      };
    }
    out.result = runtime::run(*loaded, run_options);
    out.ran = true;
    out.status = status_of(out.result.status);
    out.message = out.result.message;
    if (out.status != TestRun::Status::Skipped) {
      out.decoded = report::decode_histogram(test, *out.compiled, out.result.histogram);
    }
    return out;
  }
};

}  // namespace

std::string sync_mode_name(codegen::SyncMode mode) {
  switch (mode) {
    case codegen::SyncMode::None: return "none";
    case codegen::SyncMode::Spin: return "spin";
    case codegen::SyncMode::Timebase: return "timebase";
  }
  return "spin";
}

std::string layout_name(codegen::LocationLayout layout) {
  return layout == codegen::LocationLayout::SharedLine ? "shared" : "separate";
}

report::BugReportInput bug_report_input(const TestRun& run, const PipelineOptions& options, std::string reproduce) {
  report::BugReportInput input;
  input.test = options.reference ? options.reference->test : *run.test;
  if (options.reference) input.weakened = *run.test;
  input.test_path = run.file;
  input.model = options.model.value_or(model::ModelKind::Bpf);
  if (run.compiled) input.compiled = *run.compiled;
  input.judgement = run.judgement;
  input.facts = run.facts;
  input.verifier_logs = run.verifier_logs;
  input.jit_images = run.jit_images;
  input.jit_lines = run.jit_lines;
  input.reproduce = std::move(reproduce);
  return input;
}

std::string reproduce_command(const std::string& file, const PipelineOptions& options, double seconds) {
  std::ostringstream command;
  command << "bpf-litmus run " << std::filesystem::absolute(file).string() << " --model "
          << (options.model ? model::model_kind_name(*options.model) : "none") << " --sync "
          << sync_mode_name(options.codegen.sync) << " --layout " << layout_name(options.codegen.layout) << " -n "
          << options.run.iterations << " --time " << seconds;
  if (options.run.placement.oversubscribe) command << " --oversubscribe";
  return command.str();
}

std::string write_bug_report_line(const std::string& dir, const report::BugReportInput& input) {
  try {
    const auto files = report::write_bug_report(dir, input);
    return "Bug report: " + files.front().string() + " (" + std::to_string(files.size()) + " files)";
  } catch (const std::exception& e) {
    return std::string("No bug report: ") + e.what();
  }
}

TestRun run_litmus_file(const std::string& file, const PipelineOptions& options) {
  litmus::Test test;
  try {
    test = litmus::parse_file(file);
  } catch (const litmus::ParseError& e) {
    TestRun run;
    run.file = file;
    run.status = TestRun::Status::BadInput;
    run.message = e.what();
    return run;
  }
  return run_litmus_test(std::move(test), options, file);
}

TestRun run_litmus_test(litmus::Test parsed, const PipelineOptions& options, std::string file) {
  TestRun run;
  run.file = std::move(file);
  run.test = std::move(parsed);
  const litmus::Test& test = *run.test;
  if (options.model && !options.reference) predict(run, *options.model);
  // What the outcomes are judged against: the test's own prediction or the reference's.
  const litmus::Test& judged = options.reference ? options.reference->test : test;
  const model::Prediction* prediction = options.reference ? &options.reference->prediction
                                        : run.prediction                ? &*run.prediction
                                                                        : nullptr;

  codegen::CodegenOptions codegen_options = options.codegen;
  if (options.loop_from_kernel) codegen_options.loop = runtime::preferred_loop(runtime::probe_features());
  codegen_options.arena_budget = std::min(codegen_options.arena_budget, runtime::arena_budget(runtime::probe_features()));
  const WeakOutcomes weak(test);
  const Hammer hammer{test, options, judged, prediction, run};
  DecodedHistogram decoded;  // every configuration's outcomes, trials included
  runtime::RunOptions main_options = options.run;
  if (options.auto_select) {
    if (options.run.time_budget.count() <= 0) {
      run.status = TestRun::Status::BadInput;
      run.message = "--auto needs a time budget per test (--time)";
      return run;
    }
    // Try each candidate for a slice of the budget, keep what it saw, then
    // spend the rest on the best.
    const auto candidates = auto_candidates(codegen_options);
    runtime::RunOptions trial_options = options.run;
    trial_options.time_budget = trial_budget(options.run.time_budget, candidates.size());
    trial_options.iterations = 0;
    const auto began = std::chrono::steady_clock::now();
    std::optional<std::pair<TestRun::Status, std::string>> first_failure;
    for (const auto& candidate : candidates) {
      Hammered trial = hammer(candidate, trial_options, false);
      run.throughput.trials.push_back({hammer_config(candidate, trial_options, trial.result), rates(trial, weak),
                                       trial.status == TestRun::Status::Ran ? "ran" : trial.message});
      add_facts(run, trial);
      merge_decoded(decoded, trial.decoded);
      if (trial.status == TestRun::Status::Stopped) break;  // the main run then stops at once too
      if (trial.status != TestRun::Status::Ran && !first_failure) first_failure.emplace(trial.status, trial.message);
    }
    if (const auto best = best_trial(run.throughput.trials)) {
      codegen_options = candidates[*best];
    } else if (first_failure && !runtime::stop_requested()) {  // nothing ran: say why
      run.status = first_failure->first;
      run.message = first_failure->second;
      return run;
    }
    const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
    main_options.time_budget = std::max(options.run.time_budget - spent, kMinTrial);
    main_options.iterations = 0;  // --auto hammers for its time budget
  }
  Hammered main = hammer(codegen_options, main_options, true);
  run.status = main.status;
  run.message = main.message;
  if (main.compiled) run.compiled = std::move(main.compiled);
  if (!main.ran) return run;
  add_facts(run, main);
  merge_decoded(decoded, main.decoded);
  const runtime::RunResult& result = main.result;
  run.throughput.config = hammer_config(codegen_options, main_options, result);
  run.throughput.rates = rates(main, weak);
  run.throughput.seed = result.seed;
  run.throughput.weak_basis = weak.basis();
  run.throughput.stress_note = result.stress.note;
  run.facts.sync = sync_mode_name(run.compiled->sync);
  run.facts.placement = result.placement.describe();
  run.placement = result.placement;
  run.facts.machine = "kernel " + result.kernel_release;
  if (run.status == TestRun::Status::Stopped || run.status == TestRun::Status::Failed) run.facts.status_note = run.message;
  if (run.status == TestRun::Status::Skipped) return run;

  run.judgement = report::judge(judged, decoded, prediction, prediction ? options.model : std::nullopt);
  if (options.explain_forbidden && prediction) {
    // Each explanation is a search of its own: explain the first few only.
    int budget = kMaxExplanations;
    for (auto& observed : run.judgement.observed) {
      if (observed.verdict != report::Verdict::Forbidden || budget-- <= 0) continue;
      try {
        observed.why_forbidden = model::explain(judged, *options.model, observed.state).text();
      } catch (const std::exception& e) {
        observed.why_forbidden = std::string("(no explanation: ") + e.what() + ")";
      }
    }
  }
  return run;
}

}  // namespace bpf_litmus::cli
