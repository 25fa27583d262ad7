// `bpf-litmus run FILE|DIR... [-n ITER] [--time S] [--sync spin|none|timebase]
// [--model bpf|sc|tso|none] [--report DIR]`: hammer each test on this machine's CPUs and
// print its histogram in litmus7's format, judged against the model.
#include <csignal>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/pipeline.hpp"
#include "cli/hammer_options.hpp"
#include "cli/throughput.hpp"
#include "report/litmus7_log.hpp"
#include "xarch/emulation.hpp"

namespace bpf_litmus::cli {
namespace {

extern "C" void on_interrupt(int) { runtime::request_stop(); }

// Prints one test's result; returns the exit status it calls for.
int print_test_run(const TestRun& run, bool fail_on_forbidden) {
  switch (run.status) {
    case TestRun::Status::BadInput:
      std::cerr << run.message << '\n';
      return kExitBadInput;
    case TestRun::Status::Unsupported:
    case TestRun::Status::Skipped:
    case TestRun::Status::Rejected: {
      const char* what = run.status == TestRun::Status::Skipped ? "Skipped: " : "";
      std::cout << "Test " << run.test->name << " " << what << run.message << "\n\n" << std::flush;
      return run.status == TestRun::Status::Rejected ? kExitRuntimeFailure : kExitOk;
    }
    case TestRun::Status::Ran:
    case TestRun::Status::Stopped:
    case TestRun::Status::Failed: break;
  }
  std::cout << report::format_litmus7(*run.test, run.judgement, run.facts);
  if (!run.model_note.empty()) std::cout << "Model: no prediction: " << run.model_note << '\n';
  std::cout << report::format_verdicts(run.judgement, run.facts) << format_throughput(run.throughput) << '\n'
            << std::flush;
  if (run.observed_forbidden() && fail_on_forbidden) return kExitForbiddenObserved;
  return run.status == TestRun::Status::Failed ? kExitRuntimeFailure : kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int* status) {
  struct Options {
    std::vector<std::string> inputs;
    PipelineOptions pipeline;
    double seconds = 0;
    std::string model = "bpf";
    bool no_fail_on_forbidden = false;
    std::string report_dir;
    bool force_emulated = false;
    HammerArguments hammer;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("run", "hammer litmus tests on this machine and judge the outcomes");
  cmd->add_option("inputs", options->inputs, "litmus files, or directories of them")->required();
  cmd->add_option("-n,--iterations", options->pipeline.run.iterations, "instances to run per test (0: until --time)")
      ->capture_default_str();
  cmd->add_option("--time", options->seconds, "time budget per test, in seconds (0: none)");
  add_sync_option(*cmd, options->pipeline.codegen.sync);
  add_layout_option(*cmd, options->pipeline.codegen.layout);
  cmd->add_option("--capacity", options->pipeline.codegen.capacity,
                  "instances the test memory holds (0: as many as fit in 64 MiB)")
      ->capture_default_str();
  cmd->add_option("--slot-ns", options->pipeline.run.slot_ns, "timebase: nanoseconds between two instances")
      ->capture_default_str();
  add_hammer_options(*cmd, options->pipeline, options->hammer);
  cmd->add_option("--model", options->model, "judge against bpf (herd7's bpf.cat), sc, tso, or none")
      ->check(CLI::IsMember({"bpf", "sc", "tso", "none"}))
      ->capture_default_str();
  cmd->add_flag("--no-fail-on-forbidden", options->no_fail_on_forbidden,
                "exit 0 even when a state the model forbids is observed");
  cmd->add_flag("--oversubscribe", options->pipeline.run.placement.oversubscribe,
                "run tests with more threads than CPUs, time-shared, with waits that give up");
  cmd->add_flag("--force-emulated", options->force_emulated,
                "hammer even on an emulated CPU (QEMU TCG), whose outcomes say nothing about the guest ISA");
  cmd->add_option("--report", options->report_dir,
                  "for each test that shows a forbidden state, write a bug report bundle into DIR/<test>");
  cmd->callback([options, status] {
    // Under TCG every access runs in the host's order: a weak outcome the
    // guest ISA allows could never show, and Never would read as a result.
    if (const xarch::EmulationCheck check = xarch::detect_emulation(); check.emulated && !options->force_emulated) {
      std::cerr << "bpf-litmus run: this CPU is emulated (" << check.evidence << "): an emulator runs the guest's "
                << "accesses in the host's order, so hammering shows nothing about this architecture's weak "
                << "behaviour. Run on real hardware, use `scripts/xarch-audit --litmus` to see the JIT's code, or "
                << "pass --force-emulated.\n";
      *status = kExitRuntimeFailure;
      return;
    }
    const auto listed = litmus_files_or_report(options->inputs);
    if (!listed) {
      *status = kExitBadInput;
      return;
    }
    const std::vector<std::string>& files = *listed;
    PipelineOptions pipeline = options->pipeline;
    resolve_hammer_options(options->hammer, pipeline);
    pipeline.run.time_budget = std::chrono::milliseconds(static_cast<long long>(options->seconds * 1000));
    pipeline.model = model::model_kind_from_name(options->model);
    pipeline.keep_evidence = !options->report_dir.empty();
    std::signal(SIGINT, on_interrupt);
    bool forbidden = false;
    int worst = kExitOk;
    for (const std::string& file : files) {
      const TestRun run = run_litmus_file(file, pipeline);
      const int test_status = print_test_run(run, !options->no_fail_on_forbidden);
      if (run.observed_forbidden() && !options->report_dir.empty()) {
        const std::string dir = options->report_dir + "/" + run.test->name;
        std::cout << write_bug_report_line(dir, bug_report_input(run, pipeline,
                                                                 reproduce_command(file, pipeline, options->seconds)))
                  << '\n';
      }
      forbidden = forbidden || test_status == kExitForbiddenObserved;
      worst = std::max(worst, test_status);
      if (run.status == TestRun::Status::Stopped) {
        std::cerr << "bpf-litmus: interrupted; results above are what was measured\n";
        worst = std::max(worst, kExitInterrupted);
        break;
      }
    }
    std::signal(SIGINT, SIG_DFL);
    *status = forbidden ? kExitForbiddenObserved : worst;
  });
}

}  // namespace bpf_litmus::cli
