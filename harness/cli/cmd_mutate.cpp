// `bpf-litmus mutate FILE|DIR... [--time-per-mutant S] [--only ID]...
// [--stop-at-first-catch] [--report DIR] [--no-run]`: the mutation score of
// the harness (MC Mutants' method, docs/mutation.md). Each mutant weakens one
// ordering primitive as a buggy JIT would; the ones x86-TSO can expose are
// compiled and run as real programs and judged against the ORIGINAL test's
// bpf verdict. A mutant is caught when its run shows a state the bpf model
// forbids for the original.
//
// Exit status: 0 every exposable mutant that ran was caught; 1 some was
// missed; 2 bad input; 3 a run failed; 130 interrupted.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "audit/isa_ordering.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/pipeline.hpp"
#include "litmus/parser.hpp"
#include "mutate/exposure.hpp"
#include "mutate/mutants.hpp"
#include "report/bug_report.hpp"

namespace bpf_litmus::cli {
namespace {

extern "C" void on_mutate_interrupt(int) { runtime::request_stop(); }

struct MutateOptions {
  std::vector<std::string> inputs;
  double seconds_per_mutant = 2;
  std::vector<std::string> only;
  bool stop_at_first_catch = false;
  bool no_run = false;
  bool oversubscribe = false;
  std::string report_dir;
};

// What happened to the exposable mutants, for the score.
struct Tally {
  std::size_t mutants = 0;
  std::size_t not_exposable = 0;
  std::size_t caught = 0;
  std::size_t missed = 0;
  std::vector<std::string> failed;   // exposable, but the run failed: "test id (why)"
  std::vector<std::string> not_run;  // exposable, but not run here: "test id (why)"
  std::vector<double> catch_seconds;
  bool interrupted = false;
};

// "2.01 s", or "0.4 ms" below a tenth of a second.
std::string seconds_text(double seconds) {
  std::ostringstream text;
  if (seconds < 0.1) {
    text << std::fixed << std::setprecision(1) << seconds * 1000 << " ms";
  } else {
    text << std::fixed << std::setprecision(2) << seconds << " s";
  }
  return text.str();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Instances of a judged run in states that count against the mutant.
std::uint64_t caught_instances(const mutate::Mutant& mutant, const report::Judgement& judgement) {
  std::uint64_t caught = 0;
  for (const auto& observed : judgement.observed) {
    if (observed.verdict == report::Verdict::Forbidden && mutate::state_counts(mutant, observed.state)) {
      caught += observed.count;
    }
  }
  return caught;
}

// Runs one exposable mutant; prints and tallies the outcome.
void hunt(const std::string& file, const mutate::Mutant& mutant, const std::shared_ptr<const Reference>& original,
          const MutateOptions& options, Tally& tally) {
  PipelineOptions pipeline;
  pipeline.model = model::ModelKind::Bpf;
  pipeline.reference = original;
  pipeline.keep_evidence = !options.report_dir.empty();
  pipeline.explain_forbidden = !options.report_dir.empty();
  pipeline.run.iterations = 0;
  pipeline.run.time_budget = std::chrono::milliseconds(static_cast<long long>(options.seconds_per_mutant * 1000));
  pipeline.run.launch_target = std::chrono::milliseconds(20);  // the time to first catch is known to a launch
  pipeline.run.placement.oversubscribe = options.oversubscribe;
  // On a busy machine a thread may enter a launch late and its partner's wait
  // time out: keep trying within the time budget rather than give up after 3.
  pipeline.run.max_empty_launches = 1000;
  std::optional<std::chrono::nanoseconds> first_catch;
  pipeline.on_progress = [&](const report::Judgement& so_far, std::chrono::nanoseconds happened_by) {
    if (!first_catch && caught_instances(mutant, so_far) > 0) first_catch = happened_by;
    return !(first_catch && options.stop_at_first_catch);
  };
  const TestRun run = run_litmus_test(mutant.test, pipeline, file);
  switch (run.status) {
    case TestRun::Status::Skipped:
    case TestRun::Status::Unsupported:
      tally.not_run.push_back(original->test.name + " " + mutant.id + " (" + run.message + ")");
      std::cout << "not run: " << run.message << '\n';
      return;
    case TestRun::Status::BadInput:
    case TestRun::Status::Rejected:
    case TestRun::Status::Failed:
      tally.failed.push_back(original->test.name + " " + mutant.id + " (" + run.message + ")");
      std::cout << "FAILED: " << run.message << '\n';
      return;
    case TestRun::Status::Stopped: tally.interrupted = true; break;
    case TestRun::Status::Ran: break;
  }
  const std::uint64_t caught = caught_instances(mutant, run.judgement);
  if (caught == 0) {
    ++tally.missed;
    std::cout << "MISSED in " << seconds_text(run.facts.seconds) << " (" << run.facts.iterations << " instances)\n";
    return;
  }
  ++tally.caught;
  // The progress report lags the final count by a launch at most: a catch in
  // the last launch is only seen at the end.
  const double first =
      first_catch ? std::chrono::duration<double>(*first_catch).count() : run.facts.seconds;
  tally.catch_seconds.push_back(first);
  std::cout << "caught: " << caught << " of " << run.facts.iterations << " instances in "
            << seconds_text(run.facts.seconds) << ", first by " << seconds_text(first) << '\n';
  if (options.report_dir.empty()) return;
  std::ostringstream reproduce;
  reproduce << "bpf-litmus mutate " << std::filesystem::absolute(file).string() << " --only '" << mutant.id
            << "' --time-per-mutant " << options.seconds_per_mutant;
  report::BugReportInput input = bug_report_input(run, pipeline, reproduce.str());
  input.test_path = file;
  input.weakening = "bpf-litmus mutate replaced P" + std::to_string(mutant.thread) + "'s `" + mutant.before +
                    "` by `" + mutant.after + "` (mutant " + mutant.id + ", " +
                    std::string(mutate::mutation_name(mutant.mutation)) +
                    "): the code a JIT would emit if it dropped this primitive's ordering.";
  std::string dir_name = original->test.name + "~" + mutant.id;
  std::replace_if(dir_name.begin(), dir_name.end(), [](char c) { return c == ':' || c == '>' || c == '/'; }, '-');
  std::cout << "      " << write_bug_report_line((std::filesystem::path(options.report_dir) / dir_name).string(), input)
            << '\n';
}

// All mutants of one file; returns false when the file could not be used.
bool mutate_file(const std::string& file, const MutateOptions& options, Tally& tally) {
  auto original = std::make_shared<Reference>();
  try {
    original->test = litmus::parse_file(file);
    original->prediction = model::predict(original->test, model::ModelKind::Bpf);
  } catch (const std::exception& e) {  // ParseError, ModelError, LimitExceeded
    std::cerr << e.what() << '\n';
    return false;
  }
  const std::vector<mutate::Mutant> mutants = mutate::make_mutants(original->test);
  std::vector<mutate::Exposure> exposures;
  std::size_t exposable = 0;
  for (const auto& mutant : mutants) {
    exposures.push_back(mutate::exposure(mutant, original->prediction));
    exposable += exposures.back().exposable();
  }
  std::cout << original->test.name << ": " << mutants.size() << " mutants, " << exposable
            << " exposable on x86-TSO\n";
  for (std::size_t i = 0; i < mutants.size(); ++i) {
    const auto& mutant = mutants[i];
    const bool selected = options.only.empty() ||
                          std::find(options.only.begin(), options.only.end(), mutant.id) != options.only.end();
    if (!selected) continue;
    ++tally.mutants;
    std::cout << "  " << std::left << std::setw(26) << mutant.id << "  ";
    if (!exposures[i].exposable()) {
      ++tally.not_exposable;
      std::cout << "not exposable" << (exposures[i].note.empty() ? "" : ": " + exposures[i].note) << '\n';
    } else {
      std::cout << "exposable (tso allows " << model::format_state(exposures[i].states.front()) << "): ";
      if (options.no_run || tally.interrupted) {
        tally.not_run.push_back(original->test.name + " " + mutant.id + " (not asked to run)");
        std::cout << "not run\n";
      } else {
        std::cout << std::flush;
        hunt(file, mutant, original, options, tally);
      }
    }
    std::cout << "      " << mutant.before << "  ->  " << mutant.after << '\n';
  }
  return true;
}

}  // namespace

void add_mutate_command(CLI::App& app, int* status) {
  auto options = std::make_shared<MutateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "mutate", "weaken each ordering primitive as a buggy JIT would, and count the mutants this machine catches");
  cmd->add_option("inputs", options->inputs, "litmus files, or directories of them")->required();
  cmd->add_option("--time-per-mutant", options->seconds_per_mutant, "seconds to run each exposable mutant")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--only", options->only, "run only the mutant with this id (P0:1:atomic->plain); repeatable");
  cmd->add_flag("--stop-at-first-catch", options->stop_at_first_catch, "end a mutant's run once it is caught");
  cmd->add_flag("--no-run", options->no_run, "list the mutants and which x86-TSO can expose; run none");
  cmd->add_flag("--oversubscribe", options->oversubscribe, "run mutants of tests with more threads than CPUs");
  cmd->add_option("--report", options->report_dir, "write a bug report bundle per caught mutant into DIR");
  cmd->callback([options, status] {
    const auto listed = litmus_files_or_report(options->inputs);
    if (!listed) {
      *status = kExitBadInput;
      return;
    }
    const std::vector<std::string>& files = *listed;
    if (audit::host_isa() != audit::Isa::X86_64) {
      std::cout << "note: exposability comes from the tso model of the x86-64 JIT; this machine is not x86-64\n";
    }
    Tally tally;
    bool bad_input = false;
    std::signal(SIGINT, on_mutate_interrupt);
    for (const std::string& file : files) {
      bad_input = !mutate_file(file, *options, tally) || bad_input;
      tally.interrupted = tally.interrupted || runtime::stop_requested();
    }
    std::signal(SIGINT, SIG_DFL);
    const std::size_t ran = tally.caught + tally.missed + tally.failed.size();
    std::cout << "\nMutation score: " << tally.caught << "/" << ran << " exposable mutants caught ("
              << tally.not_exposable << " not exposable on this machine)\n";
    if (!tally.failed.empty()) {
      std::cout << "Failed to run: " << tally.failed.size() << " exposable mutants (counted as not caught):";
      for (const auto& what : tally.failed) std::cout << "\n  " << what;
      std::cout << '\n';
    }
    if (!tally.not_run.empty()) {
      std::cout << "Not run: " << tally.not_run.size() << " exposable mutants:";
      for (const auto& what : tally.not_run) std::cout << "\n  " << what;
      std::cout << '\n';
    }
    if (!tally.catch_seconds.empty()) {
      std::cout << "Time to first catch: median " << seconds_text(median(tally.catch_seconds)) << ", max "
                << seconds_text(*std::max_element(tally.catch_seconds.begin(), tally.catch_seconds.end()))
                << " (over " << tally.catch_seconds.size() << " caught; known to a 20 ms launch)\n";
    }
    *status = tally.interrupted ? kExitInterrupted
              : !tally.failed.empty() ? kExitRuntimeFailure
              : bad_input       ? kExitBadInput
              : tally.missed > 0 ? kExitForbiddenObserved
                                 : kExitOk;
  });
}

}  // namespace bpf_litmus::cli
