#include "cli/pipeline.hpp"

#include <variant>

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

  auto compiled = codegen::compile(test, options.codegen);
  if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) {
    run.status = error->kind == codegen::CodegenError::Kind::Unsupported ? TestRun::Status::Unsupported
                                                                          : TestRun::Status::BadInput;
    run.message = codegen::to_string(*error);
    return run;
  }
  run.compiled = std::move(std::get<codegen::CompiledTest>(compiled));

  auto loaded = runtime::load(*run.compiled, {.keep_verifier_log = options.keep_evidence, .line_info = options.keep_evidence});
  if (!loaded) {
    run.status = status_of(loaded.error());
    run.message = loaded.error().message;
    return run;
  }
  for (int t = 0; options.keep_evidence && t < loaded->threads(); ++t) {
    run.verifier_logs.push_back(loaded->verifier_log(t));
    auto image = runtime::jited_image(*loaded, t);
    run.jit_images.push_back(image ? std::move(*image) : std::vector<std::uint8_t>{});
    auto lines = runtime::jited_line_offsets(*loaded, t);
    run.jit_lines.push_back(lines ? std::move(*lines) : std::vector<runtime::JitedLine>{});
  }
  runtime::RunOptions run_options = options.run;
  if (options.on_progress) {
    run_options.after_launch = [&](const runtime::Histogram& counted, std::chrono::nanoseconds happened_by) {
      const auto decoded = report::decode_histogram(test, *run.compiled, counted);
      return options.on_progress(
          report::judge(judged, decoded, prediction, prediction ? options.model : std::nullopt), happened_by);
    };
  }
  const runtime::RunResult result = runtime::run(*loaded, run_options);
  run.status = status_of(result.status);
  run.message = result.message;
  run.facts.iterations = result.iterations;
  run.facts.seconds = std::chrono::duration<double>(result.wall_time).count();
  run.facts.launches = result.launches;
  run.facts.unsynchronised = result.unsynchronised;
  run.facts.sync = sync_mode_name(run.compiled->sync);
  run.facts.placement = result.placement.describe();
  run.placement = result.placement;
  run.facts.machine = "kernel " + result.kernel_release;
  if (run.status == TestRun::Status::Stopped || run.status == TestRun::Status::Failed) run.facts.status_note = run.message;
  if (run.status == TestRun::Status::Skipped) return run;

  const auto decoded = report::decode_histogram(test, *run.compiled, result.histogram);
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
