#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <thread>

#include "runtime/runtime.hpp"
#include "toy_tests.hpp"

namespace bpf_litmus::runtime {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

LoadedTest load_or_die(const codegen::CompiledTest& test) {
  auto loaded = load(test);
  if (!loaded.has_value()) throw std::runtime_error(loaded.error().message);
  return std::move(loaded.value());
}

TEST(Runner, OneLaunchCountsEveryInstanceExactly) {
  LoadedTest test = load_or_die(testing::counting_test(2));
  RunOptions options;
  options.iterations = 600;
  options.first_launch_instances = 1024;
  const RunResult result = run(test, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  EXPECT_EQ(result.launches, 1u);
  EXPECT_EQ(result.iterations, 600u);
  EXPECT_EQ(result.histogram.total(), 600u);
  ASSERT_EQ(result.histogram.distinct(), 6u);
  // Instance i observes (i % 2, i % 3): each pair 100 times in 600 instances.
  for (std::uint64_t a = 0; a < 2; ++a) {
    for (std::uint64_t b = 0; b < 3; ++b) EXPECT_EQ(result.histogram.count(std::array{a, b}), 100u) << a << "," << b;
  }
  ASSERT_EQ(result.placement.slots.size(), 2u);
  EXPECT_FALSE(result.kernel_release.empty());
  EXPECT_EQ(result.unsynchronised, 0u);
}

TEST(Runner, CountsAddUpOverManyLaunches) {
  LoadedTest test = load_or_die(testing::counting_test(2));
  RunOptions options;
  options.iterations = 200'000;
  const RunResult result = run(test, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  EXPECT_EQ(result.iterations, 200'000u);
  EXPECT_EQ(result.histogram.total(), result.iterations);
  EXPECT_GE(result.launches, 200'000u / testing::kToyCapacity);
  EXPECT_EQ(result.histogram.distinct(), 6u);
  EXPECT_GT(result.wall_time.count(), 0);
  EXPECT_GT(result.kernel_time.count(), 0);
  EXPECT_LE(result.kernel_time, result.wall_time);
}

// Programs may end a launch early on their own (a loop budget): short
// launches are counted, not taken for a stuck thread.
TEST(Runner, ProgramsEndingLaunchesEarlyOnlyShortenThem) {
  LoadedTest test = load_or_die(testing::counting_test(2, 100));
  RunOptions options;
  options.iterations = 1000;
  const RunResult result = run(test, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  EXPECT_EQ(result.iterations, 1000u);
  EXPECT_EQ(result.histogram.total(), 1000u);
  EXPECT_EQ(result.launches, 10u);
  EXPECT_EQ(result.aborted_launches, 0u);
}

TEST(Runner, ReadsInstanceMemoryAndPerInstanceAddresses) {
  auto compiled = testing::counting_test(1);
  compiled.layout.instance_image = {7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  compiled.layout.address_inits.push_back({8, litmus::Width::U64, 4});  // word 8 holds &word 4
  codegen::ObservedSlot seven;
  seven.from_result = false;
  seven.location_offset = 0;
  seven.width = litmus::Width::U32;
  codegen::ObservedSlot address = seven;
  address.location_offset = 8;
  address.width = litmus::Width::U64;
  compiled.observed = {seven, address};
  LoadedTest test = load_or_die(compiled);
  RunOptions options;
  options.iterations = 100;
  const RunResult result = run(test, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  // Every instance holds its own word 4's address; counted rebased to
  // instance 0, all of them fall under one key.
  EXPECT_EQ(result.histogram.distinct(), 1u);
  const std::uint64_t word_4_of_instance_0 = compiled.layout.instances_offset + 4;
  EXPECT_EQ(result.histogram.count(std::array<std::uint64_t, 2>{7, word_4_of_instance_0}), 100u);
}

TEST(Runner, ThreadThatNeverArrivesIsReportedInBoundedTime) {
  LoadedTest test = load_or_die(testing::never_arrives_test());
  RunOptions options;
  options.iterations = 1000;
  options.spin_limit = 100'000;
  const auto began = Clock::now();
  const RunResult result = run(test, options);
  const auto took = Clock::now() - began;
  EXPECT_EQ(result.status, RunStatus::Failed);
  EXPECT_EQ(result.aborted_launches, 3u);
  EXPECT_EQ(result.iterations, 0u);
  EXPECT_NE(result.message.find("P1 returned after 0 of"), std::string::npos) << result.message;
  // P1 is named as not arriving, or, when a loaded machine delayed its entry
  // past P0's timeout, as entering late.
  const bool p1_blamed = result.message.find("(it did not arrive)") != std::string::npos ||
                         result.message.find(" us late") != std::string::npos;
  EXPECT_TRUE(p1_blamed) << result.message;
  EXPECT_NE(result.message.find("P0 returned after 0 of"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("abort: a wait timed out"), std::string::npos) << result.message;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(Runner, ProgramStuckInTheKernelIsReportedWithoutWaitingForIt) {
  LoadedTest test = load_or_die(testing::ignores_abort_test());
  RunOptions options;
  options.iterations = 1;
  options.spin_limit = 8;  // in the kernel for 8 * 2^26 ns: about half a second
  options.launch_timeout = milliseconds(50);
  const auto began = Clock::now();
  const RunResult result = run(test, options);
  const auto took = Clock::now() - began;
  EXPECT_EQ(result.status, RunStatus::Failed);
  EXPECT_NE(result.message.find("P0 did not come back within"), std::string::npos) << result.message;
  EXPECT_LT(took, milliseconds(300));
  const RunResult again = run(test, options);
  EXPECT_EQ(again.status, RunStatus::Failed);
  EXPECT_NE(again.message.find("still in the kernel"), std::string::npos) << again.message;
  // The abandoned program still holds its CPU: let it finish before the next test.
  std::this_thread::sleep_for(milliseconds(600));
}

TEST(Runner, RequestStopEndsTheRunAndKeepsWhatWasMeasured) {
  LoadedTest test = load_or_die(testing::counting_test(2));
  RunOptions options;
  options.iterations = 0;
  options.time_budget = std::chrono::seconds(20);
  std::thread stopper([] {
    std::this_thread::sleep_for(milliseconds(300));
    request_stop();
  });
  const auto began = Clock::now();
  const RunResult result = run(test, options);
  const auto took = Clock::now() - began;
  stopper.join();
  EXPECT_TRUE(stop_requested());
  clear_stop();
  EXPECT_EQ(result.status, RunStatus::Stopped);
  EXPECT_GT(result.iterations, 0u) << result.message << " launches " << result.launches << " aborted "
                                   << result.aborted_launches << " " << result.placement.describe();
  EXPECT_EQ(result.histogram.total(), result.iterations);
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(Runner, TimeBudgetEndsTheRun) {
  LoadedTest test = load_or_die(testing::counting_test(1));
  RunOptions options;
  options.iterations = 0;
  options.time_budget = milliseconds(300);
  const RunResult result = run(test, options);
  ASSERT_EQ(result.status, RunStatus::Completed) << result.message;
  EXPECT_GE(result.wall_time, milliseconds(300));
  EXPECT_LT(result.wall_time, milliseconds(800));
  EXPECT_EQ(result.histogram.total(), result.iterations);
}

TEST(Runner, TooManyThreadsIsSkippedUnlessOversubscribed) {
  LoadedTest test = load_or_die(testing::counting_test(5));
  RunOptions options;
  options.iterations = 5000;
  const RunResult skipped = run(test, options);
  EXPECT_EQ(skipped.status, RunStatus::Skipped);
  EXPECT_NE(skipped.message.find("5 threads"), std::string::npos) << skipped.message;
  EXPECT_EQ(skipped.launches, 0u);

  options.placement.oversubscribe = true;
  const RunResult shared = run(test, options);
  ASSERT_EQ(shared.status, RunStatus::Completed) << shared.message;
  EXPECT_TRUE(shared.placement.oversubscribed);
  EXPECT_EQ(shared.histogram.total(), 5000u);
}

}  // namespace
}  // namespace bpf_litmus::runtime
