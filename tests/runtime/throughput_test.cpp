// The runner's throughput settings on the real kernel: permuted and strided
// instance memory, CPU assignment per launch, timebase skews, memory-stress
// threads, and the loop construct chosen from the kernel's features.
#include <gtest/gtest.h>
#include <sched.h>

#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include "codegen/codegen.hpp"
#include "litmus/parser.hpp"
#include "litmus_runs.hpp"
#include "runtime/detail.hpp"
#include "toy_tests.hpp"

namespace bpf_litmus::runtime {
namespace {

using codegen::SyncMode;
using testing::count_outcome;
using testing::run_corpus_test;

LoadedTest load_or_die(const codegen::CompiledTest& test) {
  auto loaded = load(test);
  if (!loaded.has_value()) throw std::runtime_error(loaded.error().message);
  return std::move(loaded.value());
}

TEST(Throughput, PermutedStridedInstancesKeepOutcomesValid) {
  codegen::CodegenOptions codegen_options;
  codegen_options.sync = SyncMode::Spin;
  codegen_options.permute_instances = true;
  codegen_options.instance_stride = 256;
  RunOptions options;
  options.iterations = 300'000;
  options.seed = 7;
  const auto run = run_corpus_test("SB+pos", codegen_options, options);
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.result.status, RunStatus::Completed) << run.result.message;
  EXPECT_EQ(run.result.seed, 7u);
  EXPECT_EQ(run.result.histogram.total(), options.iterations);
  std::uint64_t valid = 0;
  for (const auto& entry : run.result.histogram.entries()) {
    if (entry.key[0] <= 1 && entry.key[1] <= 1) valid += entry.count;
  }
  EXPECT_EQ(valid, options.iterations) << "every r5 is 0 or 1";
  EXPECT_GT(count_outcome(run, {{0, 5, 0}, {1, 5, 0}}), 0u);
}

// An observed address is rebased to instance 0's memory whichever memory
// the instance used: one key, that decodes to the location's name.
TEST(Throughput, AddressesCountUnderOneKeyWhenPermuted) {
  const litmus::Test test = litmus::parse_text(
      "BPF addr\n{ int x = y; 0:r1=x; }\n P0 ;\n r2 = *(u32 *)(r1 + 0) ;\nexists (0:r2=y)\n", "addr.litmus");
  codegen::CodegenOptions codegen_options;
  codegen_options.sync = SyncMode::None;
  codegen_options.permute_instances = true;
  auto compiled = std::get<codegen::CompiledTest>(codegen::compile(test, codegen_options));
  LoadedTest loaded = load_or_die(compiled);
  RunOptions options;
  options.iterations = 50'000;
  const RunResult result = run(loaded, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  const auto entries = result.histogram.entries();
  ASSERT_EQ(entries.size(), 1u);
  const auto y = codegen::decode_address(compiled.layout, 0, entries[0].key[0]);
  ASSERT_TRUE(y);
  EXPECT_EQ(test.locations[*y].name, "y");
}

// In place of the programs: each worker notes the CPU it runs on and its
// timebase start, launch by launch.
struct Observed {
  std::mutex mutex;
  std::vector<std::set<int>> cpus{2};
  std::vector<std::vector<std::uint64_t>> t0{2};
};
detail::NativeThread observer(LoadedTest& loaded, Observed& seen) {
  const codegen::ControlBlock* control = loaded.impl().arena->control();
  return [control, &seen](std::size_t thread) {
    std::lock_guard lock(seen.mutex);
    seen.cpus[thread].insert(sched_getcpu());
    seen.t0[thread].push_back(control->t0_ns[thread].value);
    return control->n_instances.value;
  };
}

TEST(Throughput, RotatedCpusSwapBetweenLaunches) {
  if (choose_placement(2, {}).usable_cpus < 2) GTEST_SKIP() << "needs two CPUs";
  for (CpuAssignment assignment : {CpuAssignment::Fixed, CpuAssignment::Rotate}) {
    LoadedTest loaded = load_or_die(testing::counting_test(2));
    Observed seen;
    RunOptions options;
    options.iterations = 20 * testing::kToyCapacity;
    options.cpu_assignment = assignment;
    const RunResult result = detail::run_with(loaded, options, observer(loaded, seen));
    ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
    ASSERT_GE(result.launches, 4u);
    const std::size_t expected = assignment == CpuAssignment::Fixed ? 1 : 2;
    EXPECT_EQ(seen.cpus[0].size(), expected) << cpu_assignment_name(assignment);
    EXPECT_EQ(seen.cpus[1].size(), expected) << cpu_assignment_name(assignment);
  }
}

TEST(Throughput, SkewsShiftEachThreadsStartWithinTheBound) {
  for (std::uint64_t skew : {std::uint64_t{0}, std::uint64_t{5000}}) {
    auto compiled = testing::counting_test(2);
    compiled.sync = SyncMode::Timebase;  // the runner then writes each thread's t0 (the toy ignores it)
    LoadedTest loaded = load_or_die(compiled);
    Observed seen;
    RunOptions options;
    options.iterations = 20 * testing::kToyCapacity;
    options.skew_ns = skew;
    options.seed = 3;
    const RunResult result = detail::run_with(loaded, options, observer(loaded, seen));
    ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
    ASSERT_EQ(seen.t0[0].size(), seen.t0[1].size());
    std::set<std::int64_t> differences;
    for (std::size_t launch = 0; launch < seen.t0[0].size(); ++launch) {
      const auto difference = static_cast<std::int64_t>(seen.t0[1][launch] - seen.t0[0][launch]);
      EXPECT_LE(std::abs(difference), static_cast<std::int64_t>(skew));
      differences.insert(difference);
    }
    EXPECT_EQ(differences.size() > 1, skew != 0) << "skew " << skew << ": drawn anew each launch";
  }
}

TEST(Throughput, StressThreadsRunOnlyOnSpareCpus) {
  const int usable = choose_placement(1, {}).usable_cpus;
  if (usable < 2) GTEST_SKIP() << "needs two CPUs";
  RunOptions options;
  options.iterations = 0;
  options.time_budget = std::chrono::milliseconds(200);
  options.stress_threads = 1;
  {  // one test thread: the other CPU is spare
    LoadedTest loaded = load_or_die(testing::counting_test(1));
    const RunResult result = run(loaded, options);
    ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
    ASSERT_EQ(result.stress.started, 1);
    EXPECT_NE(result.stress.cpus.at(0), result.placement.slots.at(0).cpu);
    EXPECT_GT(result.stress.rounds, 0u);
    EXPECT_FALSE(result.stress.target.empty());
    EXPECT_TRUE(result.stress.note.empty()) << result.stress.note;
  }
  if (usable == 2) {  // two test threads on two CPUs: none spare, and the run says so
    LoadedTest loaded = load_or_die(testing::counting_test(2));
    const RunResult result = run(loaded, options);
    ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
    EXPECT_EQ(result.stress.started, 0);
    EXPECT_NE(result.stress.note.find("uses 2 of 2 usable CPUs"), std::string::npos) << result.stress.note;
  }
}

// Launches are timed by the programs' own clock readings: a syscall's
// return may wait for the CPU, which is not hammering time.
TEST(Throughput, ProgramsNoteTheirLaunchTimes) {
  const litmus::Test test = litmus::parse_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/SB+pos.litmus");
  codegen::CodegenOptions codegen_options;
  codegen_options.capacity = 1u << 12;
  auto compiled = std::get<codegen::CompiledTest>(codegen::compile(test, codegen_options));
  LoadedTest loaded = load_or_die(compiled);
  RunOptions options;
  options.iterations = 100'000;
  const RunResult result = run(loaded, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  const auto& layout = loaded.impl().layout;
  for (std::size_t t = 0; t < 2; ++t) {
    const auto* words = reinterpret_cast<const std::uint64_t*>(loaded.impl().arena->arena() + layout.thread_state_offset +
                                                               t * codegen::kThreadStateBytes);
    const auto start = words[static_cast<std::uint32_t>(codegen::ThreadStateWord::LaunchStart)];
    const auto end = words[static_cast<std::uint32_t>(codegen::ThreadStateWord::LaunchEnd)];
    EXPECT_GT(start, 0u) << "P" << t;
    EXPECT_GE(end, start) << "P" << t;
  }
  EXPECT_GT(result.kernel_time.count(), 0);
  EXPECT_LE(result.kernel_time, result.wall_time);
  // The spin barrier holds the threads together in every instance.
  EXPECT_GT(result.together_time.count(), 0);
  EXPECT_LE(result.together_time, result.kernel_time);
}

TEST(Throughput, LaunchSpanCountsTheTimeEveryThreadRan) {
  using detail::ThreadInterval;
  const auto span = [](std::vector<ThreadInterval> threads) { return detail::launch_span(threads); };
  const auto overlapping = span({{100, 400}, {150, 300}});
  EXPECT_EQ(overlapping.first_start, 100u);
  EXPECT_EQ(overlapping.last_end, 400u);
  EXPECT_EQ(overlapping.together_ns, 150u);
  const auto staggered = span({{100, 200}, {150, 500}, {120, 260}});
  EXPECT_EQ(staggered.first_start, 100u);
  EXPECT_EQ(staggered.last_end, 500u);
  EXPECT_EQ(staggered.together_ns, 50u) << "from the last start (150) to the first end (200)";
  EXPECT_EQ(span({{100, 200}, {200, 300}}).together_ns, 0u) << "one ended as the other started";
  EXPECT_EQ(span({{300, 400}, {100, 200}}).together_ns, 0u) << "one ended before the other started";
  EXPECT_EQ(span({{100, 250}}).together_ns, 150u) << "a single thread is always with itself";
  EXPECT_EQ(span({}).last_end, 0u);
}

TEST(Throughput, PreferredLoopFollowsTheProbe) {
  Features features;
  features.present[static_cast<std::size_t>(Feature::BpfLoop)] = true;
  EXPECT_EQ(preferred_loop(features), codegen::LoopStrategy::BpfLoop);
  features.present[static_cast<std::size_t>(Feature::MayGoto)] = true;
  EXPECT_EQ(preferred_loop(features), codegen::LoopStrategy::MayGoto);
}

// Run by CTest with BPF_LITMUS_ASSUME_MISSING=may_goto: the kernel of a 6.1
// to 6.8 machine, as far as the probe tells.
TEST(BpfLoopFallback, TestsRunWithoutMayGoto) {
  const char* missing = std::getenv("BPF_LITMUS_ASSUME_MISSING");
  if (missing == nullptr || std::string(missing).find("may_goto") == std::string::npos) {
    GTEST_SKIP() << "run with BPF_LITMUS_ASSUME_MISSING=may_goto (ctest does)";
  }
  ASSERT_FALSE(probe_features().has(Feature::MayGoto));
  ASSERT_EQ(preferred_loop(probe_features()), codegen::LoopStrategy::BpfLoop);
  for (SyncMode sync : {SyncMode::None, SyncMode::Spin, SyncMode::Timebase}) {
    codegen::CodegenOptions codegen_options;
    codegen_options.sync = sync;
    codegen_options.loop = codegen::LoopStrategy::MayGoto;
    const auto refused = run_corpus_test("SB+pos", codegen_options, {});
    EXPECT_NE(refused.error.find("kernel lacks may_goto"), std::string::npos) << refused.error;

    codegen_options.loop = preferred_loop(probe_features());
    RunOptions options;
    options.iterations = 500'000;
    const auto run = run_corpus_test("SB+pos", codegen_options, options);
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.result.status, RunStatus::Completed) << run.result.message;
    EXPECT_EQ(run.result.histogram.total(), options.iterations);
    if (sync != SyncMode::None) {
      EXPECT_GT(count_outcome(run, {{0, 5, 0}, {1, 5, 0}}), 0u) << "store buffering shows through bpf_loop too";
    }
  }
}

}  // namespace
}  // namespace bpf_litmus::runtime
