// `bpf-litmus campaign DIR|FILE... [--time-per-test S] [--iterations N]
// [--out DIR] [--log FILE] [--resume FILE] [--oversubscribe] [--sync MODE]
// [--layout L] [--model M]`: runs a corpus through the pipeline and stores
// every test's result in one JSON Lines file per machine and campaign
// (docs/results.md), each record on disk before the next test starts.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/pipeline.hpp"
#include "cli/throughput.hpp"
#include "litmus/parser.hpp"
#include "report/herd_format.hpp"
#include "report/litmus7_log.hpp"
#include "results/compare.hpp"
#include "results/result_file.hpp"
#include "results/sha256.hpp"

namespace bpf_litmus::cli {
namespace {

using Clock = std::chrono::steady_clock;

extern "C" void on_campaign_interrupt(int) { runtime::request_stop(); }

struct CampaignArguments {
  std::vector<std::string> inputs;
  results::CampaignOptions options;
  std::string out_dir = "results";
  std::string log_path;
  std::string resume_path;
  std::string report_dir;  // bug report bundles of tests that show a forbidden state
};

std::string status_name(TestRun::Status status) {
  switch (status) {
    case TestRun::Status::Ran: return "ran";
    case TestRun::Status::Stopped: return "stopped";
    case TestRun::Status::Skipped: return "skipped";
    case TestRun::Status::Unsupported: return "unsupported";
    case TestRun::Status::BadInput: return "bad_input";
    case TestRun::Status::Rejected: return "rejected";
    case TestRun::Status::Failed: break;
  }
  return "failed";
}

std::string verdict_name(report::Verdict verdict) {
  switch (verdict) {
    case report::Verdict::Allowed: return "allowed";
    case report::Verdict::Forbidden: return "forbidden";
    case report::Verdict::OutsideModel: break;
  }
  return "outside_model";
}

// A test's name as records store it: herd7's, or the file's stem when it does not parse.
std::string test_name_of(const std::string& file, const std::optional<litmus::Test>& test) {
  return test ? report::herd_test_name(*test) : std::filesystem::path(file).stem().string();
}

std::string test_name_of(const std::string& file) {
  try {
    return test_name_of(file, litmus::parse_file(file));
  } catch (const litmus::ParseError&) {
    return test_name_of(file, std::nullopt);
  }
}

// The one place that turns a pipeline result into a stored record (the run
// facts themselves: results/record.cpp).
results::TestRecord record_of(const TestRun& run, const PipelineOptions& pipeline, std::string sha256,
                              std::string started) {
  results::TestRecord record;
  record.name = test_name_of(run.file, run.test);
  record.file = run.file;
  record.source_sha256 = std::move(sha256);
  record.started = std::move(started);
  record.status = status_name(run.status);
  record.message = run.message;
  if (run.test) {
    record.kind = report::quantifier_kind_name(run.test->quantifier);
    record.condition = report::format_herd_condition(*run.test);
  }
  if (pipeline.model) {
    results::ModelVerdict model;
    model.name = model::model_kind_name(*pipeline.model);
    model.predicted = run.prediction.has_value();
    model.note = run.model_note;
    if (run.prediction) {
      model.observation = report::observation_name(run.prediction->observation);
      for (const auto& state : run.prediction->states) model.allowed_states.push_back(model::format_state(state));
      model.positive = run.prediction->positive;
      model.negative = run.prediction->negative;
    }
    record.model = std::move(model);
  }
  const report::Judgement& judgement = run.judgement;
  for (const report::ObservedState& observed : judgement.observed) {
    record.histogram.push_back({model::format_state(observed.state), observed.count, observed.satisfies_condition,
                                verdict_name(observed.verdict), observed.why_forbidden, observed.why_outside});
  }
  record.positive = judgement.positive;
  record.negative = judgement.negative;
  record.validated = judgement.validated;
  record.observation = report::observation_name(judgement.observation);
  record.forbidden_states = judgement.forbidden_states;
  record.forbidden_instances = judgement.forbidden_instances;
  record.outside_model_states = judgement.outside_model_states;
  record.outside_model_instances = judgement.outside_model_instances;
  record.run.facts = run.facts;
  // --auto chose the layout the main run used.
  record.run.layout = run.throughput.config.layout.empty() ? layout_name(pipeline.codegen.layout)
                                                           : run.throughput.config.layout;
  if (!run.throughput.config.sync.empty()) record.run.throughput = run.throughput;
  record.run.oversubscribed = run.placement.oversubscribed;
  for (std::size_t thread = 0; thread < run.placement.slots.size(); ++thread) {
    const runtime::CpuSlot& slot = run.placement.slots[thread];
    record.run.threads.push_back({static_cast<int>(thread), slot.cpu, slot.core, slot.numa_node});
  }
  return record;
}

// A test's block in the --log file: litmus7's banner, the source, then the
// classic lines (herdtools7's msum7/mcompare7 parse them: docs/results.md),
// a Hash line (the source's SHA-256, not herd7's digest), and our own lines.
std::string log_block(const TestRun& run, const std::string& source, const std::string& sha256) {
  const std::string title = "% Results for " + run.file + " %";
  const std::string rule(title.size(), '%');
  std::string out = rule + "\n" + title + "\n" + rule + "\n" + source;
  if (!source.empty() && source.back() != '\n') out += '\n';
  const bool measured = run.status == TestRun::Status::Ran || run.status == TestRun::Status::Stopped ||
                        run.status == TestRun::Status::Failed;
  if (!measured) {  // no `Test` line: the log parsers would take the next test's histogram for this one's
    return out + "% " + test_name_of(run.file, run.test) + ": " + status_name(run.status) + ": " + run.message + "\n\n";
  }
  out += report::format_litmus7(*run.test, run.judgement, run.facts);
  out += "Hash=" + sha256 + "\n";
  if (!run.model_note.empty()) out += "Model: no prediction: " + run.model_note + "\n";
  return out + report::format_verdicts(run.judgement, run.facts) + format_throughput(run.throughput) + "\n";
}

std::string read_source(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "2m05s", "41s", "0.3s".
std::string duration_text(double seconds) {
  const auto total = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (seconds < 10) std::snprintf(text, sizeof text, "%.1fs", seconds);
  else if (total >= 3600) std::snprintf(text, sizeof text, "%lldh%02lldm", total / 3600, total / 60 % 60);
  else if (total >= 60) std::snprintf(text, sizeof text, "%lldm%02llds", total / 60, total % 60);
  else std::snprintf(text, sizeof text, "%llds", total);
  return text;
}

// One line per finished test on stdout; on a terminal also a status line on
// stderr, redrawn four times a second: test k of n, time in the current test,
// totals so far (the running test's up to its last launch), and an ETA from
// the tests run so far.
class Progress {
 public:
  Progress(std::size_t tests, double seconds_per_test)
      : tests_(tests), seconds_per_test_(seconds_per_test), live_(isatty(STDERR_FILENO) == 1) {
    if (live_) redraw_thread_ = std::jthread([this](std::stop_token stop) { redraw_loop(stop); });
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() {
    if (!live_) return;
    redraw_thread_.request_stop();
    wake_.notify_all();
    redraw_thread_.join();
    std::cerr << "\r\033[K" << std::flush;
  }

  [[nodiscard]] bool live() const { return live_; }

  void start(std::size_t index, std::string name) {
    const std::lock_guard lock(mutex_);
    index_ = index;
    name_ = std::move(name);
    test_started_ = Clock::now();
    running_iterations_ = running_weak_ = 0;
  }

  // The running test's counts so far (after each of its launches).
  void running(std::uint64_t iterations, std::uint64_t weak) {
    const std::lock_guard lock(mutex_);
    running_iterations_ = iterations;
    running_weak_ = weak;
  }

  // A test this session ran: its line, and the totals.
  void finish(const results::TestRecord& record) {
    std::string line = "[" + std::to_string(index_) + "/" + std::to_string(tests_) + "] " + record.name + ": ";
    if (record.has_histogram()) {
      line += std::to_string(record.positive) + "/" + std::to_string(record.run.facts.iterations) + " " +
              record.observation;
      if (record.model && record.model->predicted) line += " (" + record.model->name + ": " + record.model->observation + ")";
      if (record.forbidden_states > 0) {
        line += "  !! " + std::to_string(record.forbidden_instances) + " instances in " +
                std::to_string(record.forbidden_states) + " forbidden state(s)";
      }
      if (record.status != "ran") line += "  [" + record.status + ": " + record.message + "]";
    } else {
      line += record.status + ": " + record.message;
    }
    const std::lock_guard lock(mutex_);
    running_iterations_ = running_weak_ = 0;
    iterations_ += record.run.facts.iterations;
    weak_ += record.positive;
    forbidden_ += record.forbidden_states;
    ++finished_;
    busy_seconds_ += std::chrono::duration<double>(Clock::now() - test_started_).count();
    print_locked(line);
  }

  // A test skipped because a finished record of it is in the resumed file.
  void already_recorded(const std::string& name) {
    const std::lock_guard lock(mutex_);
    print_locked("[" + std::to_string(index_) + "/" + std::to_string(tests_) + "] " + name + ": already recorded");
  }

  void note(const std::string& text) {
    const std::lock_guard lock(mutex_);
    if (live_) std::cerr << "\r\033[K";
    std::cerr << "bpf-litmus: " << text << '\n' << std::flush;
  }

 private:
  void print_locked(const std::string& line) {
    if (live_) std::cerr << "\r\033[K" << std::flush;
    std::cout << line << '\n' << std::flush;
  }

  void redraw_loop(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
      if (index_ > 0) std::cerr << "\r\033[K" << fitted(status_locked()) << std::flush;
      wake_.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
    }
  }

  std::string status_locked() const {
    const double in_test = std::chrono::duration<double>(Clock::now() - test_started_).count();
    std::string text = "[" + std::to_string(index_) + "/" + std::to_string(tests_) + "] " + name_ + " " +
                       duration_text(in_test);
    if (seconds_per_test_ > 0) text += "/" + duration_text(seconds_per_test_);
    text += " | " + results::compact_count(iterations_ + running_iterations_) + " iterations, " +
            results::compact_count(weak_ + running_weak_) + " weak";
    if (forbidden_ > 0) text += ", !! " + std::to_string(forbidden_) + " forbidden";
    const double per_test = finished_ > 0 ? busy_seconds_ / static_cast<double>(finished_) : seconds_per_test_;
    if (per_test > 0) {
      const double remaining = per_test * static_cast<double>(tests_ - index_) + std::max(0.0, per_test - in_test);
      text += " | ETA " + duration_text(remaining);
    }
    return text;
  }

  // Cut to the terminal's width: a wrapped line would not be redrawn in place.
  static std::string fitted(std::string text) {
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 && text.size() >= size.ws_col) {
      text.resize(size.ws_col - 1);
    }
    return text;
  }

  const std::size_t tests_;
  const double seconds_per_test_;
  const bool live_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::size_t index_ = 0;
  std::string name_;
  Clock::time_point test_started_ = Clock::now();
  std::uint64_t iterations_ = 0;
  std::uint64_t weak_ = 0;
  std::uint64_t running_iterations_ = 0;
  std::uint64_t running_weak_ = 0;
  std::uint64_t forbidden_ = 0;
  std::size_t finished_ = 0;
  double busy_seconds_ = 0;
  std::jthread redraw_thread_;  // last: stopped and joined before the members it reads go
};

// 0.5 -> "0.5", 2 -> "2".
std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// The canonical command line of a campaign with these options.
std::vector<std::string> command_of(const CampaignArguments& arguments, const std::vector<std::string>& inputs) {
  const results::CampaignOptions& o = arguments.options;
  std::vector<std::string> command = {"bpf-litmus",      "campaign",  "--time-per-test", number_text(o.time_per_test),
                                      "--iterations",    std::to_string(o.iterations),   "--sync",
                                      o.sync,            "--layout",  o.layout,          "--model",
                                      o.model,           "--out",     arguments.out_dir};
  if (o.oversubscribe) command.emplace_back("--oversubscribe");
  if (o.auto_select) command.emplace_back("--auto");
  if (!arguments.log_path.empty()) command.insert(command.end(), {"--log", arguments.log_path});
  if (!arguments.report_dir.empty()) command.insert(command.end(), {"--report", arguments.report_dir});
  if (!arguments.resume_path.empty()) command.insert(command.end(), {"--resume", arguments.resume_path});
  command.insert(command.end(), inputs.begin(), inputs.end());
  return command;
}

template <typename Enum>
Enum enum_named(const std::string& name, std::initializer_list<Enum> values, std::string (*name_of)(Enum)) {
  for (const Enum value : values) {
    if (name_of(value) == name) return value;
  }
  return *values.begin();  // unreachable: CLI11 checked the name
}

PipelineOptions pipeline_of(const results::CampaignOptions& options) {
  PipelineOptions pipeline;
  pipeline.codegen.sync = enum_named(options.sync, {codegen::SyncMode::Spin, codegen::SyncMode::None,
                                                    codegen::SyncMode::Timebase}, sync_mode_name);
  pipeline.codegen.layout = enum_named(
      options.layout, {codegen::LocationLayout::SeparateLines, codegen::LocationLayout::SharedLine}, layout_name);
  pipeline.run.iterations = options.iterations;
  pipeline.run.time_budget = std::chrono::milliseconds(static_cast<long long>(options.time_per_test * 1000));
  pipeline.run.placement.oversubscribe = options.oversubscribe;
  pipeline.model = model::model_kind_from_name(options.model);
  pipeline.auto_select = options.auto_select;
  return pipeline;
}

// Where a campaign writes, and what it already holds when resumed.
struct CampaignStore {
  std::string path;
  results::DurableFile results;
  std::optional<results::DurableFile> log;
  std::map<std::string, std::string> finished;  // test name -> source SHA-256 of its finished record
};

// Reads the result file to resume; its inputs and options stand where none
// were given again. Returns an exit status when it cannot be resumed here.
std::optional<int> prepare_resume(CampaignArguments& arguments, const CLI::App& cmd,
                                  const results::MachineFingerprint& fingerprint,
                                  std::optional<results::ResultFile>& resumed) {
  try {
    resumed = results::read_result_file(arguments.resume_path);
  } catch (const results::ResultFileError& e) {
    std::cerr << "bpf-litmus: " << e.what() << '\n';
    return kExitBadInput;
  }
  if (resumed->header.fingerprint.id != fingerprint.id) {
    std::cerr << "bpf-litmus: " << arguments.resume_path << " was recorded on another machine or configuration "
              << "(fingerprint " << resumed->header.fingerprint.id << ", this one is " << fingerprint.id
              << "): start a new campaign\n";
    return kExitBadInput;
  }
  const results::CampaignOptions recorded =
      resumed->resumes.empty() ? resumed->header.options : resumed->resumes.back().options;
  results::CampaignOptions& options = arguments.options;
  auto given = [&](const char* name) { return cmd.get_option(name)->count() > 0; };
  if (!given("--time-per-test")) options.time_per_test = recorded.time_per_test;
  if (!given("--iterations")) options.iterations = recorded.iterations;
  if (!given("--sync")) options.sync = recorded.sync;
  if (!given("--layout")) options.layout = recorded.layout;
  if (!given("--model")) options.model = recorded.model;
  if (!given("--oversubscribe")) options.oversubscribe = recorded.oversubscribe;
  if (!given("--auto")) options.auto_select = recorded.auto_select;
  if (arguments.inputs.empty()) arguments.inputs = resumed->header.inputs;
  return std::nullopt;
}

// Creates the result file (or reopens the resumed one) and the log, and
// writes their first lines. Throws ResultFileError or filesystem_error.
CampaignStore open_store(const CampaignArguments& arguments, const std::vector<std::string>& command,
                         const results::MachineFingerprint& fingerprint,
                         const std::optional<results::ResultFile>& resumed, std::size_t tests_planned) {
  const std::string started = results::utc_timestamp();
  std::optional<CampaignStore> store;
  if (resumed) {
    store.emplace(CampaignStore{arguments.resume_path,
                                results::DurableFile(arguments.resume_path, results::DurableFile::Mode::Append),
                                {}, {}});
    if (resumed->torn_tail) store->results.truncate(resumed->complete_bytes);  // the record being written when it died
    for (const results::TestRecord& test : resumed->latest_tests()) {
      if (test.status != "stopped") store->finished[test.name] = test.source_sha256;
    }
    store->results.append_record(
        results::ResumeRecord{started, fingerprint.id, command, arguments.options, tests_planned});
  } else {
    std::filesystem::create_directories(arguments.out_dir);
    const std::string id = results::campaign_id(fingerprint);
    const std::string path = (std::filesystem::path(arguments.out_dir) / (id + ".jsonl")).string();
    store.emplace(CampaignStore{path, results::DurableFile(path, results::DurableFile::Mode::CreateNew), {}, {}});
    store->results.append_record(results::CampaignHeader{id, started, fingerprint, command, arguments.inputs,
                                                         arguments.options, tests_planned});
  }
  if (!arguments.log_path.empty()) {
    const bool append = resumed && std::filesystem::exists(arguments.log_path);
    store->log.emplace(arguments.log_path,
                       append ? results::DurableFile::Mode::Append : results::DurableFile::Mode::Replace);
    std::string joined;
    for (const std::string& word : command) joined += (joined.empty() ? "" : " ") + word;
    store->log->append(std::string(append ? "% Resumed " : "% Started ") + started + "\nCommand line: " + joined +
                       "\nMachine: " + results::describe_machine(fingerprint) + "\nFingerprint: " + fingerprint.id +
                       "\nResults: " + store->path + "\nVersion: bpf-litmus " + fingerprint.bpf_litmus_version + " (" +
                       fingerprint.git_commit + ")\n\n");
  }
  return std::move(*store);
}

// Ctrl-C and SIGTERM stop the running test (its launch ends, what was
// measured is recorded) while installed. One-shot: a second signal kills,
// which loses nothing, every finished test being on disk already.
class InterruptHandler {
 public:
  InterruptHandler() {
    struct sigaction action {};
    action.sa_handler = on_campaign_interrupt;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_int_);
    sigaction(SIGTERM, &action, &previous_term_);
  }
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;
  ~InterruptHandler() {
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
  }

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

int exit_status_of(const TestRun& run) {
  switch (run.status) {
    case TestRun::Status::BadInput: return kExitBadInput;
    case TestRun::Status::Rejected:
    case TestRun::Status::Failed: return kExitRuntimeFailure;
    case TestRun::Status::Ran:
    case TestRun::Status::Stopped:
    case TestRun::Status::Skipped:
    case TestRun::Status::Unsupported: break;
  }
  return kExitOk;
}

int run_campaign(CampaignArguments arguments, const CLI::App& cmd) {
  const results::MachineFingerprint fingerprint = results::machine_fingerprint();
  std::optional<results::ResultFile> resumed;
  if (!arguments.resume_path.empty()) {
    if (const auto status = prepare_resume(arguments, cmd, fingerprint, resumed)) return *status;
  } else if (arguments.inputs.empty()) {
    std::cerr << "bpf-litmus: campaign: give litmus files or directories (or --resume FILE)\n";
    return kExitBadInput;
  }
  const auto listed = litmus_files_or_report(arguments.inputs);
  if (!listed) return kExitBadInput;
  const std::vector<std::string>& files = *listed;
  PipelineOptions pipeline = pipeline_of(arguments.options);
  pipeline.keep_evidence = !arguments.report_dir.empty();
  std::optional<CampaignStore> store;
  try {
    store.emplace(open_store(arguments, command_of(arguments, arguments.inputs), fingerprint, resumed, files.size()));
  } catch (const std::exception& e) {  // ResultFileError, filesystem_error
    std::cerr << "bpf-litmus: " << e.what() << '\n';
    return kExitRuntimeFailure;
  }

  std::cout << "bpf-litmus campaign: " << files.size() << " tests on " << results::describe_machine(fingerprint)
            << "\nResults: " << store->path << '\n'
            << std::flush;
  int worst = kExitOk;
  bool forbidden = false;
  std::uint64_t recorded = 0;
  bool interrupted = false;
  try {
    const InterruptHandler interrupt_handler;
    Progress progress(files.size(), arguments.options.time_per_test);
    if (progress.live()) {
      pipeline.on_progress = [&progress](const report::Judgement& so_far, std::chrono::nanoseconds) {
        progress.running(so_far.positive + so_far.negative, so_far.positive);
        return true;
      };
    }
    for (std::size_t i = 0; i < files.size() && !runtime::stop_requested(); ++i) {
      const std::string& file = files[i];
      const std::string source = read_source(file);
      const std::string sha256 = results::sha256_hex(source);
      const std::string name = test_name_of(file);
      progress.start(i + 1, name);
      if (const auto it = store->finished.find(name); it != store->finished.end()) {
        if (it->second == sha256) {
          progress.already_recorded(name);
          continue;
        }
        progress.note(name + ": its file changed since it was recorded; running it again");
      }
      const std::string started = results::utc_timestamp();
      const TestRun run = run_litmus_file(file, pipeline);
      const results::TestRecord record = record_of(run, pipeline, sha256, started);
      store->results.append_record(record);
      if (store->log) store->log->append(log_block(run, source, sha256));
      ++recorded;
      progress.finish(record);
      if (run.observed_forbidden() && !arguments.report_dir.empty()) {
        progress.note(write_bug_report_line(
            arguments.report_dir + "/" + run.test->name,
            bug_report_input(run, pipeline, reproduce_command(file, pipeline, arguments.options.time_per_test))));
      }
      forbidden = forbidden || run.observed_forbidden();
      worst = std::max(worst, exit_status_of(run));
    }
    interrupted = runtime::stop_requested();
    const std::string finished = results::utc_timestamp();
    store->results.append_record(results::EndRecord{finished, interrupted ? "interrupted" : "completed", recorded});
    if (store->log) store->log->append("% " + std::string(interrupted ? "Interrupted " : "Finished ") + finished + "\n");
  } catch (const results::ResultFileError& e) {
    std::cerr << "bpf-litmus: " << e.what() << '\n';
    return kExitRuntimeFailure;
  }
  std::cout << (interrupted ? "Interrupted: " : "Done: ") << recorded << " tests recorded in " << store->path;
  if (interrupted) std::cout << "; continue with: bpf-litmus campaign --resume " << store->path;
  std::cout << '\n' << std::flush;
  if (interrupted) return kExitInterrupted;
  return forbidden ? kExitForbiddenObserved : worst;
}

}  // namespace

void add_campaign_command(CLI::App& app, int* status) {
  auto arguments = std::make_shared<CampaignArguments>();
  arguments->options.time_per_test = 2;
  CLI::App* cmd = app.add_subcommand("campaign", "run a corpus on this machine and store the results (docs/results.md)");
  cmd->add_option("inputs", arguments->inputs, "litmus files, or directories of them");
  cmd->add_option("--time-per-test", arguments->options.time_per_test, "seconds of hammering per test (0: none)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("-n,--iterations", arguments->options.iterations, "at most this many instances per test (0: no cap)")
      ->capture_default_str();
  cmd->add_option("--out", arguments->out_dir, "directory of the result file")->capture_default_str();
  cmd->add_option("--log", arguments->log_path, "also write litmus7's log format (for msum7, mcompare7) to this file");
  cmd->add_option("--report", arguments->report_dir,
                  "for each test that shows a forbidden state, write a bug report bundle into DIR/<test>");
  cmd->add_option("--resume", arguments->resume_path, "continue this interrupted campaign's result file")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--oversubscribe", arguments->options.oversubscribe,
                "run tests with more threads than CPUs, time-shared, with waits that give up");
  cmd->add_option("--sync", arguments->options.sync, "how the threads of an instance start together")
      ->check(CLI::IsMember({"spin", "none", "timebase"}))
      ->capture_default_str();
  cmd->add_option("--layout", arguments->options.layout, "locations on separate cache lines or one shared line")
      ->check(CLI::IsMember({"separate", "shared"}))
      ->capture_default_str();
  cmd->add_option("--model", arguments->options.model, "judge against bpf (herd7's bpf.cat), sc, tso, or none")
      ->check(CLI::IsMember({"bpf", "sc", "tso", "none"}))
      ->capture_default_str();
  cmd->add_flag("--auto", arguments->options.auto_select,
                "per test: try every sync mode and layout briefly, then spend the rest of --time-per-test on the "
                "one with the most weak outcomes per second (docs/throughput.md)");
  cmd->callback([arguments, cmd, status] { *status = run_campaign(*arguments, *cmd); });
}

}  // namespace bpf_litmus::cli
