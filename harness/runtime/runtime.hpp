// The runtime stage: load a CompiledTest into the kernel, place its threads
// on CPUs, hammer it in launches of many instances, and count what each
// instance observed. It never looks at test semantics, only at the programs,
// the memory layout and the observed slots (see codegen/compiled_test.hpp).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/compiled_test.hpp"
#include "runtime/expected.hpp"
#include "runtime/histogram.hpp"

namespace bpf_litmus::runtime {

// ---- Kernel features ------------------------------------------------------

// One construct the kernel may or may not accept: codegen's list, so that
// CompiledTest::required_features is answered one to one. Names
// (feature_name) are what BPF_LITMUS_ASSUME_MISSING lists, comma separated.
using Feature = codegen::KernelFeature;
inline constexpr std::size_t kFeatureCount = static_cast<std::size_t>(Feature::MayGoto) + 1;

// "load_acquire_u16", "bpf_loop", ...
std::string_view feature_name(Feature feature);

struct Features {
  std::array<bool, kFeatureCount> present{};
  // Largest BPF_F_MMAPABLE array value the kernel created, up to
  // kArenaProbeLimit (a kernel that allows more reports the limit).
  std::uint64_t max_arena_bytes = 0;
  std::string kernel_release;
  std::string probe_error;                   // why probing failed altogether, if it did
  std::vector<std::string> assumed_missing;  // names taken from BPF_LITMUS_ASSUME_MISSING
  std::vector<std::string> unknown_names;    // names in it that are no feature

  bool has(Feature feature) const { return present[static_cast<std::size_t>(feature)]; }
};
inline constexpr std::uint64_t kArenaProbeLimit = 64ull << 20;

// What this kernel accepts; probed once per process, then cached.
const Features& probe_features();

// ---- Loading --------------------------------------------------------------

// A test whose programs are in the kernel and whose arena is mapped.
// Move-only; closing fds and unmapping happen in the destructor.
class LoadedTest {
 public:
  struct Impl;
  explicit LoadedTest(std::unique_ptr<Impl> impl);
  LoadedTest(LoadedTest&&) noexcept;
  LoadedTest& operator=(LoadedTest&&) noexcept;
  ~LoadedTest();

  const std::string& name() const;
  int threads() const;
  // Thread `thread`'s verifier log, when loaded with keep_verifier_log; else "".
  const std::string& verifier_log(int thread) const;
  Impl& impl() { return *impl_; }  // the runtime's own use (runtime/detail.hpp)

 private:
  std::unique_ptr<Impl> impl_;
};

// Creates the arena, loads one program per thread. Errors: Unsupported when a
// program needs a feature probe_features() lacks, Rejected with the relevant
// verifier lines, System, BadInput for an inconsistent layout.
struct LoadOptions {
  // Keep each program's verifier log (the full level-2 trace), also when it
  // is accepted: loading is slower; bug reports include it.
  bool keep_verifier_log = false;
  // Give each program BTF line info at the first instruction of every test
  // statement and harness block, so that jited_line_offsets can map the JIT's
  // code back to them (bpftool's `dump jited linum` shows them too).
  bool line_info = false;
};
Expected<LoadedTest> load(const codegen::CompiledTest& test, const LoadOptions& options = {});

// ---- Native code ------------------------------------------------------------

// The machine code the kernel's JIT made of thread `thread`'s program
// (jited_prog_insns); empty when the program runs in the interpreter.
Expected<std::vector<std::uint8_t>> jited_image(LoadedTest& test, int thread);

// Where the JIT put the instructions thread `thread`'s program has line info
// for: (instruction index as compiled, offset in jited_image), by offset.
// Needs LoadOptions::line_info; an error when the kernel hides the addresses.
struct JitedLine {
  std::uint32_t insn = 0;
  std::uint32_t offset = 0;
};
Expected<std::vector<JitedLine>> jited_line_offsets(LoadedTest& test, int thread);

// ---- Placement ------------------------------------------------------------

enum class PlacementPolicy : std::uint8_t {
  DistinctCores,  // one thread per core while cores last, then SMT siblings
  SmtSiblings,    // fill each core's hardware threads before the next core
  DistinctNuma,   // spread threads round-robin over NUMA nodes
};

struct PlacementOptions {
  PlacementPolicy policy = PlacementPolicy::DistinctCores;
  bool oversubscribe = false;  // let threads share CPUs when there are too few
};

// Which test thread runs on which of the placement's CPUs, launch by launch.
enum class CpuAssignment : std::uint8_t {
  Fixed,    // thread t always on slot t
  Rotate,   // launch k: thread t on slot (t + k) mod threads
  Shuffle,  // launch k: a random permutation of the slots (RunOptions::seed)
};

struct CpuSlot {
  int cpu = -1;        // OS CPU number
  int core = -1;       // hwloc logical core index
  int numa_node = -1;  // OS NUMA node number
};

struct Placement {
  std::vector<CpuSlot> slots;  // one per test thread
  bool oversubscribed = false;   // some threads share a CPU
  std::string skip_reason;       // non-empty: the test cannot be placed
  int usable_cpus = 0;

  bool ok() const { return skip_reason.empty(); }
  std::string describe() const;  // "P0:cpu0/core0/node0 P1:cpu1/core1/node0"
};

// Chooses a CPU per thread among those this process may use (affinity mask, cgroup).
Placement choose_placement(int threads, const PlacementOptions& options);

// ---- Running --------------------------------------------------------------

struct RunOptions {
  std::uint64_t iterations = 1'000'000;  // instances to complete; 0: until the time budget
  std::chrono::milliseconds time_budget{0};  // 0: none
  PlacementOptions placement;
  CpuAssignment cpu_assignment = CpuAssignment::Fixed;
  std::uint64_t slot_ns = 200;               // Timebase: time between instances
  // Timebase: each launch, each thread's start is shifted by a random
  // 0..skew_ns, so that the threads' relative offsets vary between launches.
  std::uint64_t skew_ns = 0;
  // Permutation of instance memory, CPU shuffles, skews; 0: from the clock
  // (RunResult::seed says which, so that a run can be repeated).
  std::uint64_t seed = 0;
  // Memory-stress threads, on usable CPUs the test does not use (none are
  // started when there are none; RunResult::stress says so).
  int stress_threads = 0;
  std::uint64_t start_margin_ns = 200'000;   // Timebase: t0 = now + margin, set when all threads are up
  std::uint64_t spin_limit = 1u << 23;       // bound on each in-kernel wait (may_goto's own budget)
  std::uint64_t oversubscribed_spin_limit = 256;  // ... when threads share CPUs
  std::chrono::milliseconds launch_target{100};   // aim for launches this long
  // never plan a longer launch: may_goto's budget is about 250 ms of run time
  // on Linux >= 6.15 (x86-64), and a long stay in the kernel starves a CPU
  std::chrono::milliseconds launch_limit{200};
  std::chrono::milliseconds launch_timeout{2000}; // then abort; a thread still out after
                                                  // as long again is reported stuck
  std::uint32_t first_launch_instances = 256;
  int max_empty_launches = 3;  // launches in a row that complete no instance before giving up
  // Called after each launch with the outcomes counted so far and the time,
  // from the start of the hammering, by which they had all happened (the
  // workers count a launch's instances during the next one); returning false
  // ends the run (Completed). For progress and early stops: bpf-litmus
  // mutate's time to the first forbidden outcome.
  std::function<bool(const Histogram& counted, std::chrono::nanoseconds happened_by)> after_launch;
};

// What the memory-stress threads did.
struct StressReport {
  int requested = 0;
  int started = 0;
  std::vector<int> cpus;
  std::string target;         // which lines they wrote ("spare lines of each instance", ...)
  std::uint64_t rounds = 0;   // cache lines written, summed over the stress threads
  std::string note;           // why fewer were started than requested
};

enum class RunStatus : std::uint8_t {
  Completed,  // the iterations or the time budget were reached
  Stopped,    // request_stop() ended it early; what was measured is kept
  Skipped,    // not run (message says why, e.g. too few CPUs)
  Failed,     // a launch failed or a thread got stuck (message says which)
};
std::string_view run_status_name(RunStatus status);
// "fixed", "rotate", "shuffle"; "cores", "smt", "numa": names options and records use.
std::string_view cpu_assignment_name(CpuAssignment assignment);
std::string_view placement_policy_name(PlacementPolicy policy);

// The loop construct to compile for on this kernel: may_goto when the probe
// found it (fewest instructions per instance), else bpf_loop.
codegen::LoopStrategy preferred_loop(const Features& features);
// The arena budget to compile for (codegen::CodegenOptions::arena_budget):
// the default, or less when the kernel maps less.
std::uint64_t arena_budget(const Features& features);

struct RunResult {
  RunStatus status = RunStatus::Completed;
  std::string message;
  Histogram histogram;              // completed instances by observed value vector
  std::uint64_t iterations = 0;     // instances completed (== histogram.total())
  std::uint64_t launches = 0;
  std::uint64_t aborted_launches = 0;
  std::uint64_t unsynchronised = 0; // summed over threads: instances run after a timed-out wait
  std::chrono::nanoseconds wall_time{0};    // the whole hammering loop
  std::chrono::nanoseconds kernel_time{0};  // summed launch durations
  std::chrono::nanoseconds together_time{0};  // the part of them with every thread running
  Placement placement;
  std::string kernel_release;
  std::uint64_t seed = 0;           // the seed used (RunOptions::seed, or the one drawn)
  StressReport stress;
};

// Runs launches until options.iterations, the time budget or request_stop().
RunResult run(LoadedTest& test, const RunOptions& options);

// Async-signal-safe: ends the current and every later run() after its launch.
void request_stop();
bool stop_requested();
void clear_stop();

}  // namespace bpf_litmus::runtime
