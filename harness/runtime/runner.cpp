// Runner: hammers a loaded test in launches. One pinned worker per test
// thread; for each launch every worker first counts its share of the last
// launch's instances and resets its share of the next one's (in parallel, on
// CPUs that would otherwise idle), then all meet at a start barrier and each
// runs its program once through BPF_PROG_TEST_RUN on its own CPU. The main
// thread writes the control block, waits a bounded time for the workers and
// sizes the next launch.
#include <bpf/bpf.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

#include "runtime/detail.hpp"
#include "runtime/stress.hpp"

namespace bpf_litmus::runtime {

namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "request_stop must be async-signal-safe");

std::uint64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);  // the clock bpf_ktime_get_ns() reads
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(now.tv_nsec);
}

std::uint64_t load_word(const std::uint64_t& word) {
  return std::atomic_ref<const std::uint64_t>(word).load(std::memory_order_relaxed);
}

// What one worker saw during one launch.
struct WorkerReport {
  bool returned = false;
  int err = 0;                 // errno of pinning or of BPF_PROG_TEST_RUN
  bool pin_failed = false;
  std::uint64_t completed = 0; // the program's return value
  bool abort_seen = false;     // the abort word was set when it returned
  bool cancelled = false;      // gave up at the start barrier: another worker never came
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = 0;
};

// The workers' share of memory work before a launch (or, with run false,
// after the last one).
struct LaunchJob {
  std::uint64_t collect = 0;  // instances [0, collect) of the last launch to count
  std::uint64_t reset = 0;    // instances [0, reset) to prepare for this launch
  bool run = true;
};

// State shared by run() and its workers. A worker still in the kernel when
// run() gives up keeps it (and through it the arena and program fds) alive.
struct Crew {
  explicit Crew(const LoadedTest::Impl& test) : access(test) {}

  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable done;
  std::uint64_t generation = 0;
  bool quit = false;
  int returned = 0;
  // Start barrier of the current launch (user space, so that a late worker is
  // waited for here, preemptibly, and not by a program spinning in the kernel).
  std::atomic<int> arrived{0};
  std::atomic<std::uint64_t> released{0};  // generation whose start barrier opened
  std::atomic<bool> cancelled{false};      // the launch timed out: stop waiting
  bool timebase = false;
  std::uint64_t start_margin_ns = 0;
  // Set by run() before each wake (under the mutex).
  LaunchJob job;
  std::vector<int> cpus;             // per worker, this launch
  std::vector<std::uint64_t> skews;  // Timebase, per worker, this launch
  std::vector<WorkerReport> reports;
  std::vector<Histogram> histograms;  // per worker, merged when the run ends
  std::vector<detail::UniqueFd> programs;  // duplicates of the test's program fds
  std::shared_ptr<detail::ArenaMapping> arena;
  detail::InstanceAccess access;
  detail::NativeThread native;  // empty: run the BPF programs
};

void block_async_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int sync_signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP}) sigdelset(&set, sync_signal);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // signals go to the thread that installed the handler
}

// Waits until every worker of launch `generation` is here; the last one
// sets a Timebase launch's per-thread t0 and opens the barrier. False if cancelled.
bool start_together(Crew& crew, std::uint64_t generation) {
  const auto threads = static_cast<int>(crew.reports.size());
  if (crew.arrived.fetch_add(1, std::memory_order_acq_rel) + 1 == threads) {
    if (crew.timebase) {
      const std::uint64_t t0 = monotonic_ns() + crew.start_margin_ns;
      for (std::size_t t = 0; t < crew.skews.size(); ++t) {
        std::atomic_ref<std::uint64_t>(crew.arena->control()->t0_ns[t].value)
            .store(t0 + crew.skews[t], std::memory_order_relaxed);
      }
    }
    crew.released.store(generation, std::memory_order_release);
    return true;
  }
  for (unsigned spins = 0; crew.released.load(std::memory_order_acquire) != generation; ++spins) {
    if (crew.cancelled.load(std::memory_order_relaxed)) return false;
    if (spins > 1000) sched_yield();  // let a worker sharing this CPU reach the barrier
  }
  return true;
}

int pin_to(int cpu) {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(cpu, &cpus);
  return pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
}

void worker_main(const std::shared_ptr<Crew>& crew, std::size_t thread) {
  block_async_signals();
  const std::size_t workers = crew->reports.size();
  std::uint64_t seen = 0;
  int pinned_cpu = -1;
  for (;;) {
    LaunchJob job;
    int cpu = -1;
    {
      std::unique_lock lock(crew->mutex);
      crew->wake.wait(lock, [&] { return crew->quit || crew->generation != seen; });
      if (crew->quit) return;
      seen = crew->generation;
      job = crew->job;
      cpu = crew->cpus[thread];
    }
    WorkerReport report;
    if (cpu != pinned_cpu) {
      report.err = pin_to(cpu);
      report.pin_failed = report.err != 0;
      pinned_cpu = report.pin_failed ? -1 : cpu;
    }
    // This worker's share, the same slice of both ranges: no instance is
    // reset by one worker before another has counted it.
    const std::uint64_t span = std::max(job.collect, job.reset);
    detail::collect_and_reset(crew->access, span * thread / workers, span * (thread + 1) / workers, job.collect,
                              job.reset, crew->histograms[thread]);
    if (!job.run || report.pin_failed) {
      // Nothing to launch (or pinning failed: the launch fails without running).
    } else if (!start_together(*crew, seen)) {
      report.cancelled = true;
    } else if (crew->native) {
      report.start_ns = monotonic_ns();
      report.completed = crew->native(thread);
      report.end_ns = monotonic_ns();
      report.abort_seen = load_word(crew->arena->control()->abort.value) != 0;
    } else {
      auto opts = detail::libbpf_opts<bpf_test_run_opts>();
      report.start_ns = monotonic_ns();
      const int rc = bpf_prog_test_run_opts(crew->programs[thread].get(), &opts);
      report.end_ns = monotonic_ns();
      if (rc != 0) report.err = errno;
      report.completed = opts.retval;
      report.abort_seen = load_word(crew->arena->control()->abort.value) != 0;
    }
    report.returned = true;
    {
      std::lock_guard lock(crew->mutex);
      crew->reports[thread] = report;
      ++crew->returned;
    }
    crew->done.notify_all();
  }
}

std::string ms_text(std::uint64_t ns) { return std::to_string(ns / 1'000'000) + " ms"; }

// Why a launch ended short: one clause per thread that did not finish.
std::string describe_launch(const std::vector<WorkerReport>& reports, std::uint64_t n, std::uint64_t waited_ns) {
  std::uint64_t first_start = UINT64_MAX;
  for (const auto& r : reports) {
    if (r.returned) first_start = std::min(first_start, r.start_ns);
  }
  std::string text;
  for (std::size_t t = 0; t < reports.size(); ++t) {
    const auto& r = reports[t];
    std::string clause = "P" + std::to_string(t);
    if (!r.returned) {
      clause += " did not come back within " + ms_text(waited_ns) + " (stuck)";
    } else if (r.cancelled) {
      clause += " gave up waiting at the start barrier";
    } else if (r.completed >= n) {
      continue;
    } else {
      clause += " returned after " + std::to_string(r.completed) + " of " + std::to_string(n) + " instances";
      clause += r.abort_seen ? " (abort: a wait timed out)" : " with no abort pending (it did not arrive)";
      if (r.start_ns > first_start) clause += ", entered " + std::to_string((r.start_ns - first_start) / 1000) + " us late";
    }
    text += (text.empty() ? "" : "; ") + clause;
  }
  return text;
}

// Instances for the next launch: about options.launch_target long.
std::uint64_t next_launch_size(std::uint64_t n, std::uint64_t busy_ns, const RunOptions& options, std::uint32_t capacity) {
  const std::uint64_t per_instance = std::max<std::uint64_t>(1, busy_ns / std::max<std::uint64_t>(1, n));
  const auto target = static_cast<std::uint64_t>(std::chrono::nanoseconds(options.launch_target).count());
  const auto limit = static_cast<std::uint64_t>(std::chrono::nanoseconds(options.launch_limit).count());
  std::uint64_t next = std::min({target / per_instance, limit / per_instance, n * 8, std::uint64_t{capacity}});
  return std::max<std::uint64_t>(next, 1);
}

class Hammer {
 public:
  Hammer(LoadedTest::Impl& test, const RunOptions& options, RunResult& result, const detail::NativeThread& native)
      : test_(test), options_(options), result_(result), crew_(std::make_shared<Crew>(test)), rng_(result.seed) {
    crew_->native = native;
  }
  Hammer(const Hammer&) = delete;
  Hammer& operator=(const Hammer&) = delete;
  ~Hammer() { dismiss(); }

  void run();

 private:
  bool start_workers();
  void prepare_run();
  // Control block, barrier words and the workers' CPUs and skews for a launch of n.
  void prepare_launch(std::uint64_t n, std::uint64_t spin_limit, bool give_up);
  // Wakes every worker for `job` and waits (bounded) for all of them; false if one is stuck.
  bool launch(const LaunchJob& job);
  std::uint64_t* thread_word(std::size_t thread, codegen::ThreadStateWord word) const;
  detail::LaunchSpan launch_span(const std::vector<WorkerReport>& reports) const;
  void dismiss();

  LoadedTest::Impl& test_;
  const RunOptions& options_;
  RunResult& result_;
  std::shared_ptr<Crew> crew_;
  std::vector<std::thread> workers_;
  std::mt19937_64 rng_;
  std::uint64_t launch_number_ = 0;
  std::uint64_t waited_ns_ = 0;
  bool launch_in_flight_ = false;  // a worker never came back from the last launch
};

bool Hammer::start_workers() {
  const std::size_t threads = test_.programs.size();
  crew_->reports.assign(threads, {});
  crew_->histograms.assign(threads, Histogram(test_.observed.size()));
  crew_->cpus.assign(threads, -1);
  crew_->skews.assign(threads, 0);
  crew_->arena = test_.arena;
  crew_->timebase = test_.sync == codegen::SyncMode::Timebase;
  crew_->start_margin_ns = options_.start_margin_ns;
  for (std::size_t t = 0; t < threads; ++t) {
    crew_->programs.emplace_back(fcntl(test_.programs[t].get(), F_DUPFD_CLOEXEC, 0));
    if (crew_->programs.back().get() < 0) {
      result_.status = RunStatus::Failed;
      result_.message = std::string("duplicating a program fd: ") + std::strerror(errno);
      return false;
    }
  }
  try {
    for (std::size_t t = 0; t < threads; ++t) workers_.emplace_back(worker_main, crew_, t);
  } catch (const std::system_error& e) {
    result_.status = RunStatus::Failed;
    result_.message = std::string("starting a runner thread: ") + e.what();
    return false;
  }
  return true;
}

// Once per run: barrier words from zero (an earlier run may have ended
// anyhow) and the instance permutation, if the layout has one.
void Hammer::prepare_run() {
  const auto& layout = test_.layout;
  std::uint8_t* arena = test_.arena->arena();
  std::memset(arena + layout.barriers_offset, 0, std::uint64_t{layout.capacity} * layout.barrier_stride);
  if (layout.permutation_offset != 0) {
    std::vector<std::uint32_t> permutation(layout.capacity);
    std::iota(permutation.begin(), permutation.end(), 0u);
    std::shuffle(permutation.begin(), permutation.end(), rng_);
    std::memcpy(arena + layout.permutation_offset, permutation.data(), permutation.size() * sizeof(std::uint32_t));
  }
}

void Hammer::prepare_launch(std::uint64_t n, std::uint64_t spin_limit, bool give_up) {
  codegen::ControlBlock* control = test_.arena->control();
  for (std::size_t t = 0; t < crew_->reports.size(); ++t) {
    *thread_word(t, codegen::ThreadStateWord::LaunchStart) = 0;
    *thread_word(t, codegen::ThreadStateWord::LaunchEnd) = 0;
  }
  control->n_instances.value = n;
  control->slot_ns.value = options_.slot_ns;
  control->spin_limit.value = spin_limit;
  control->abort.value = 0;
  control->give_up_mode.value = give_up ? 1 : 0;
  const std::size_t threads = crew_->reports.size();
  for (std::size_t t = 0; t < threads; ++t) control->unsynced[t].value = 0;

  std::vector<std::size_t> slot(threads);
  std::iota(slot.begin(), slot.end(), std::size_t{0});
  switch (options_.cpu_assignment) {
    case CpuAssignment::Fixed: break;
    case CpuAssignment::Rotate:
      std::rotate(slot.begin(), slot.begin() + static_cast<std::ptrdiff_t>(launch_number_ % threads), slot.end());
      break;
    case CpuAssignment::Shuffle: std::shuffle(slot.begin(), slot.end(), rng_); break;
  }
  std::uniform_int_distribution<std::uint64_t> skew(0, options_.skew_ns);
  for (std::size_t t = 0; t < threads; ++t) {
    crew_->cpus[t] = result_.placement.slots[slot[t]].cpu;
    crew_->skews[t] = options_.skew_ns != 0 ? skew(rng_) : 0;
  }
  ++launch_number_;
}

std::uint64_t* Hammer::thread_word(std::size_t thread, codegen::ThreadStateWord word) const {
  return reinterpret_cast<std::uint64_t*>(test_.arena->arena() + test_.layout.thread_state_offset +
                                          thread * codegen::kThreadStateBytes + 8 * static_cast<std::uint32_t>(word));
}

// By the programs' own clock readings (CLOCK_MONOTONIC, as the reports'): a
// syscall's return can wait for the CPU on a busy machine, which is not
// hammering time. The reports' times when a program did not note its own (a
// hand-built one).
// Once per launch: no allocation (at most kMaxThreads threads).
detail::LaunchSpan Hammer::launch_span(const std::vector<WorkerReport>& reports) const {
  std::array<detail::ThreadInterval, codegen::kMaxThreads> intervals{};
  const std::span<const detail::ThreadInterval> threads(intervals.data(), reports.size());
  bool all_noted = true;
  for (std::size_t t = 0; t < reports.size(); ++t) {
    intervals[t] = {*thread_word(t, codegen::ThreadStateWord::LaunchStart),
                    *thread_word(t, codegen::ThreadStateWord::LaunchEnd)};
    all_noted = all_noted && intervals[t].start != 0 && intervals[t].end >= intervals[t].start;
  }
  if (!all_noted) {
    for (std::size_t t = 0; t < reports.size(); ++t) intervals[t] = {reports[t].start_ns, reports[t].end_ns};
  }
  return detail::launch_span(threads);
}

bool Hammer::launch(const LaunchJob& job) {
  codegen::ControlBlock* control = test_.arena->control();
  std::unique_lock lock(crew_->mutex);
  for (auto& report : crew_->reports) report = {};
  crew_->job = job;
  crew_->returned = 0;
  crew_->arrived.store(0);
  crew_->cancelled.store(false);
  ++crew_->generation;
  crew_->wake.notify_all();
  const std::size_t threads = crew_->reports.size();
  auto all_back = [&] { return crew_->returned == static_cast<int>(threads); };
  const std::uint64_t began = monotonic_ns();
  if (!crew_->done.wait_for(lock, options_.launch_timeout, all_back)) {
    // Tell the programs to stop at their next wait or instance, then wait as long again.
    std::atomic_ref<std::uint64_t>(control->abort.value).store(1, std::memory_order_relaxed);
    crew_->cancelled.store(true);
    crew_->done.wait_for(lock, options_.launch_timeout, all_back);
  }
  waited_ns_ = monotonic_ns() - began;
  launch_in_flight_ = !all_back();
  return !launch_in_flight_;
}

void Hammer::dismiss() {
  std::vector<bool> stuck(workers_.size(), false);
  {
    std::lock_guard lock(crew_->mutex);
    crew_->quit = true;
    for (std::size_t t = 0; t < workers_.size(); ++t) stuck[t] = launch_in_flight_ && !crew_->reports[t].returned;
  }
  crew_->wake.notify_all();
  for (std::size_t t = 0; t < workers_.size(); ++t) {
    // A worker stuck in the kernel cannot be joined in bounded time: it keeps
    // the crew (shared) and exits when its program returns.
    if (stuck[t]) {
      workers_[t].detach();
      test_.abandoned_workers = crew_;
    } else {
      workers_[t].join();
    }
  }
  workers_.clear();
}

void Hammer::run() {
  const auto& layout = test_.layout;
  const bool shared = result_.placement.oversubscribed;
  const bool timebase = test_.sync == codegen::SyncMode::Timebase;
  const std::uint64_t spin_limit = shared ? options_.oversubscribed_spin_limit : options_.spin_limit;
  prepare_run();
  if (!start_workers()) return;
  std::vector<int> test_cpus;
  for (const auto& slot : result_.placement.slots) test_cpus.push_back(slot.cpu);
  detail::StressThreads stress(test_, options_.stress_threads, options_.placement, test_cpus, result_.stress);

  std::uint64_t n = std::clamp<std::uint64_t>(options_.first_launch_instances, 1, layout.capacity);
  if (timebase && options_.slot_ns > 0) {  // a Timebase launch lasts at least n * slot_ns
    const auto target = static_cast<std::uint64_t>(std::chrono::nanoseconds(options_.launch_target).count());
    n = std::clamp<std::uint64_t>(target / options_.slot_ns, 1, n);
  }
  int empty_launches = 0;  // in a row
  std::uint64_t uncounted = 0;  // instances of the last launch the workers have yet to count
  const std::uint64_t start = monotonic_ns();
  std::uint64_t counted_by = start;  // when the last launch the workers have counted ended
  const auto budget = static_cast<std::uint64_t>(std::chrono::nanoseconds(options_.time_budget).count());
  for (;;) {
    if (options_.iterations != 0 && result_.iterations >= options_.iterations) break;
    if (budget != 0 && monotonic_ns() - start >= budget) break;
    if (stop_requested()) {
      result_.status = RunStatus::Stopped;
      result_.message = "stopped on request";
      break;
    }
    std::uint64_t count = n;
    if (options_.iterations != 0) count = std::min(count, options_.iterations - result_.iterations);
    prepare_launch(count, spin_limit, shared);
    const bool all_back = launch(LaunchJob{uncounted, count, true});
    uncounted = 0;
    ++result_.launches;
    if (!all_back) {
      result_.status = RunStatus::Failed;
      result_.message = "launch of " + std::to_string(count) + " instances did not end: " +
                        describe_launch(crew_->reports, count, waited_ns_);
      break;
    }
    // Every worker is back: the reports and the arena are ours until the next launch.
    const auto& reports = crew_->reports;
    const auto failed = std::find_if(reports.begin(), reports.end(), [](const WorkerReport& r) { return r.err != 0; });
    if (failed != reports.end()) {
      const auto t = static_cast<std::size_t>(failed - reports.begin());
      result_.status = RunStatus::Failed;
      result_.message = (failed->pin_failed ? "pinning P" + std::to_string(t) + " to cpu " + std::to_string(crew_->cpus[t])
                                            : "BPF_PROG_TEST_RUN of P" + std::to_string(t)) +
                        ": " + std::strerror(failed->err);
      break;
    }
    std::uint64_t completed = count, most = 0;
    for (const auto& r : reports) {
      completed = std::min(completed, r.completed);
      most = std::max(most, r.completed);
    }
    const detail::LaunchSpan span = launch_span(reports);
    uncounted = completed;
    result_.iterations += completed;
    codegen::ControlBlock* control = test_.arena->control();
    for (std::size_t t = 0; t < reports.size(); ++t) result_.unsynchronised += control->unsynced[t].value;
    result_.kernel_time += std::chrono::nanoseconds(span.last_end - span.first_start);
    result_.together_time += std::chrono::nanoseconds(span.together_ns);
    // Barrier words of instances some thread reached and another did not
    // are left between two multiples of the thread count: start them over.
    const std::uint64_t half_arrived_end = std::min(count, most + 1);
    if (completed < half_arrived_end) {
      std::memset(test_.arena->arena() + layout.barriers_offset + completed * layout.barrier_stride, 0,
                  (half_arrived_end - completed) * layout.barrier_stride);
    }
    if (options_.after_launch) {
      Histogram counted(result_.histogram.key_words());
      for (const auto& histogram : crew_->histograms) counted.merge(histogram);
      const bool go_on = options_.after_launch(counted, std::chrono::nanoseconds(counted_by - start));
      counted_by = monotonic_ns();  // the next call's outcomes happened before now
      if (!go_on) break;
    }

    // A launch that got nowhere counts towards giving up. One aborted by a
    // timed-out wait (a thread preempted for long on a loaded machine) or
    // ended early by a program's own loop budget still counted what it
    // completed: it is only short, and the next is planned as large again.
    const bool aborted = control->abort.value != 0;
    if (aborted) ++result_.aborted_launches;
    if (completed == 0) {
      if (++empty_launches >= options_.max_empty_launches) {
        result_.status = RunStatus::Failed;
        result_.message = std::to_string(empty_launches) + " launches in a row completed no instance; last: " +
                          describe_launch(reports, count, waited_ns_);
        break;
      }
      continue;
    }
    empty_launches = 0;
    if (aborted) continue;  // its timing says nothing about the programs': same size again
    const std::uint64_t margin = timebase ? options_.start_margin_ns : 0;
    const std::uint64_t busy = span.last_end - span.first_start;
    n = next_launch_size(completed, busy > margin ? busy - margin : busy, options_, layout.capacity);
  }
  // The last launch's instances: counted by the workers too, then merged.
  if (uncounted != 0 && launch(LaunchJob{uncounted, 0, false})) uncounted = 0;
  result_.wall_time = std::chrono::nanoseconds(monotonic_ns() - start);
  for (const auto& histogram : crew_->histograms) result_.histogram.merge(histogram);
}

}  // namespace

std::string_view run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::Completed: return "Completed";
    case RunStatus::Stopped: return "Stopped";
    case RunStatus::Skipped: return "Skipped";
    case RunStatus::Failed: return "Failed";
  }
  return "Unknown";
}

std::string_view cpu_assignment_name(CpuAssignment assignment) {
  switch (assignment) {
    case CpuAssignment::Fixed: return "fixed";
    case CpuAssignment::Rotate: return "rotate";
    case CpuAssignment::Shuffle: return "shuffle";
  }
  return "fixed";
}

namespace detail {

LaunchSpan launch_span(std::span<const ThreadInterval> threads) {
  if (threads.empty()) return {};
  LaunchSpan span{UINT64_MAX, 0, 0};
  std::uint64_t last_start = 0, first_end = UINT64_MAX;
  for (const auto& t : threads) {
    span.first_start = std::min(span.first_start, t.start);
    span.last_end = std::max(span.last_end, t.end);
    last_start = std::max(last_start, t.start);
    first_end = std::min(first_end, t.end);
  }
  span.together_ns = first_end > last_start ? first_end - last_start : 0;
  return span;
}

RunResult run_with(LoadedTest& test, const RunOptions& options, const NativeThread& native) {
  RunResult result;
  try {
    auto& impl = test.impl();
    result.histogram = Histogram(impl.observed.size());
    result.kernel_release = probe_features().kernel_release;
    result.seed = options.seed != 0 ? options.seed : monotonic_ns();
    result.placement = choose_placement(test.threads(), options.placement);
    if (!impl.abandoned_workers.expired()) {
      result.status = RunStatus::Failed;
      result.message = "a program of an earlier run of this test is still in the kernel";
      return result;
    }
    if (!result.placement.ok()) {
      result.status = RunStatus::Skipped;
      result.message = result.placement.skip_reason;
      return result;
    }
    Hammer hammer(impl, options, result, native);
    hammer.run();
  } catch (const std::exception& e) {
    result.status = RunStatus::Failed;
    result.message = std::string("internal error: ") + e.what();
  }
  return result;
}

}  // namespace detail

RunResult run(LoadedTest& test, const RunOptions& options) { return detail::run_with(test, options, {}); }

void request_stop() { g_stop.store(true, std::memory_order_relaxed); }
bool stop_requested() { return g_stop.load(std::memory_order_relaxed); }
void clear_stop() { g_stop.store(false, std::memory_order_relaxed); }

}  // namespace bpf_litmus::runtime
