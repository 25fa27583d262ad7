// Support for the self-checks: where the corpora are, running the
// bpf-litmus binary as a user would (with a timeout, an environment, a
// SIGINT), and reading back the litmus7 block it prints.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/pipeline.hpp"

namespace bpf_litmus::selfcheck {

// S+fence+addr's shape: when P1 reads y's initial 8, it then reads x+8,
// which is no location. herd7 drops that execution; the machine runs it.
inline constexpr const char* kReadsNonLocation =
    "BPF S+fence+addr-shape\n"
    "{ int x = 0; int y = 8; 0:r0=x; 0:r1=y; 0:r5=t; 0:r6=0; 1:r0=x; 1:r1=y; }\n"
    " P0                                        | P1                    ;\n"
    " *(u32 *)(r0 + 0) = 2                      | r2 = *(u32 *)(r1 + 0) ;\n"
    " r6 = atomic_fetch_add((u64 *)(r5 + 0), r6) | r0 += r2              ;\n"
    " *(u32 *)(r1 + 0) = 0                      | r3 = *(u32 *)(r0 + 0) ;\n"
    "exists (1:r2=0 /\\ 1:r3=0)\n";

// The herd7 BPF catalogue's tests/ directory; empty when it is not there.
std::string catalogue_dir();
// Our corpus, litmus/.
std::string corpus_dir();
std::string corpus_file(const std::string& name);  // litmus/<name>.litmus
std::string bpf_litmus_binary();

// cli::run_litmus_file, tried again (up to twice) when the run Failed: when
// launches keep aborting, e.g. because a thread was scheduled milliseconds
// late on a loaded machine, nothing was observed at all. Each failed try is
// appended to *retried ("NAME (why)"); *seconds gets the last try's duration.
cli::TestRun run_retrying_failures(const std::string& file, const cli::PipelineOptions& options, double* seconds,
                                   std::vector<std::string>* retried);

// Empty when this process can load and run BPF programs; otherwise why not.
std::string kernel_unavailable_reason();

struct CliOptions {
  std::vector<std::pair<std::string, std::string>> environment;  // added to this process's
  // Send SIGINT this long after the start (the first signal only).
  std::optional<std::chrono::milliseconds> interrupt_after;
  // Then SIGKILL: a hung child fails the check instead of the whole suite.
  std::chrono::milliseconds timeout{120'000};
};

struct CliResult {
  int exit_status = -1;  // the status it exited with; -1 when killed by a signal
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr
  std::chrono::duration<double> elapsed{0};
  // From the SIGINT to the exit, when CliOptions::interrupt_after was set.
  std::optional<std::chrono::duration<double>> exit_after_interrupt;
};

// Runs `bpf-litmus args...` and waits for it to exit (or times it out).
CliResult run_cli(const std::vector<std::string>& args, const CliOptions& options = {});

// Starts `bpf-litmus args...` (a run long enough to be stopped), sends it
// SIGINT after `after`, and checks with GoogleTest assertions that it exits
// 130 within `bound` of the signal, having printed a litmus7 block with what
// was measured so far: iterations > 0, histogram and witnesses adding up to
// them, a Time no longer than the run. Any subcommand that prints `run`'s
// blocks can be checked so. Returns the result for further checks.
CliResult check_clean_interrupt(const std::vector<std::string>& args,
                                std::chrono::milliseconds after = std::chrono::milliseconds(1000),
                                std::chrono::milliseconds bound = std::chrono::milliseconds(3000));

// A litmus file in a fresh temporary directory, removed with it.
class TemporaryLitmus {
 public:
  TemporaryLitmus(const std::string& name, const std::string& text);
  ~TemporaryLitmus();
  TemporaryLitmus(const TemporaryLitmus&) = delete;
  TemporaryLitmus& operator=(const TemporaryLitmus&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

// One test's litmus7 block as `run` prints it, with bpf-litmus's `Run:` line.
struct Litmus7Block {
  std::string test;
  std::vector<std::pair<std::string, std::uint64_t>> histogram;  // state line, count
  std::uint64_t histogram_total = 0;
  std::uint64_t positive = 0, negative = 0;  // from the Observation line
  std::optional<double> time;                // the Time line
  std::optional<std::uint64_t> run_iterations;  // "Run: N iterations"
  std::uint64_t launches = 0;
  std::uint64_t unsynchronised = 0;
  std::vector<std::string> forbidden;      // `!!! FORBIDDEN` state lines
  std::vector<std::string> outside_model;  // `outside model` state lines
};

// Every litmus7 block of `run`'s output, in order; `Test NAME Skipped: ...`
// and similar one-line results are not blocks.
std::vector<Litmus7Block> parse_litmus7_blocks(const std::string& out);

}  // namespace bpf_litmus::selfcheck
