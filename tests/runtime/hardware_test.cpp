// Real litmus tests on this x86 machine: SB's store-buffering outcome shows,
// and outcomes x86-TSO forbids never do.
#include <gtest/gtest.h>

#include "litmus_runs.hpp"

namespace bpf_litmus::runtime {
namespace {

using codegen::SyncMode;
using testing::count_outcome;
using testing::run_corpus_test;

constexpr std::uint64_t kMillion = 1'000'000;

TEST(Hardware, StoreBufferingShowsOnX86) {
  for (SyncMode sync : {SyncMode::Spin, SyncMode::Timebase}) {
    RunOptions options;
    options.iterations = 4 * kMillion;
    const auto run = run_corpus_test("SB+pos", sync, options);
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.result.status, RunStatus::Completed) << run.result.message;
    EXPECT_EQ(run.result.histogram.total(), options.iterations);
    EXPECT_GT(count_outcome(run, {{0, 5, 0}, {1, 5, 0}}), 0u) << "sync mode " << static_cast<int>(sync);
  }
}

TEST(Hardware, MessagePassingWithPlainAccessesNeverReordersOnX86) {
  RunOptions options;
  options.iterations = 2 * kMillion;
  const auto run = run_corpus_test("MP+pos", SyncMode::Spin, options);
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.result.status, RunStatus::Completed) << run.result.message;
  EXPECT_EQ(run.result.iterations, options.iterations);
  EXPECT_EQ(count_outcome(run, {{1, 5, 1}, {1, 6, 0}}), 0u);
  EXPECT_GT(count_outcome(run, {{1, 5, 1}, {1, 6, 1}}), 0u) << "the threads never overlapped";
}

TEST(Hardware, StoreBufferingWithFetchAtomicsNeverShowsOnX86) {
  RunOptions options;
  options.iterations = 2 * kMillion;
  const auto run = run_corpus_test("SB+fetchadds", SyncMode::Spin, options);
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.result.status, RunStatus::Completed) << run.result.message;
  EXPECT_EQ(run.result.iterations, options.iterations);
  EXPECT_EQ(count_outcome(run, {{0, 5, 0}, {1, 5, 0}}), 0u);
}

// Three threads on this 2-CPU machine: skipped unless oversubscribed; then
// every launch ends (short waits give up, counted as unsynchronised).
TEST(Hardware, MoreThreadsThanCpusRunOnlyOversubscribed) {
  RunOptions options;
  options.iterations = 200'000;
  const auto skipped = run_corpus_test("3.SB+xchgs", SyncMode::Spin, options);
  ASSERT_EQ(skipped.error, "");
  EXPECT_EQ(skipped.result.status, RunStatus::Skipped);
  EXPECT_NE(skipped.result.message.find("3 threads"), std::string::npos) << skipped.result.message;

  options.placement.oversubscribe = true;
  for (SyncMode sync : {SyncMode::Spin, SyncMode::Timebase, SyncMode::None}) {
    const auto run = run_corpus_test("3.SB+xchgs", sync, options);
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.result.status, RunStatus::Completed) << run.result.message;
    EXPECT_TRUE(run.result.placement.oversubscribed);
    EXPECT_EQ(run.result.histogram.total(), options.iterations);
    if (sync == SyncMode::Spin) {
      EXPECT_GT(run.result.unsynchronised, 0u) << "a thread sharing a CPU cannot be waited for";
    }
    EXPECT_EQ(count_outcome(run, {{0, 5, 0}, {1, 5, 0}, {2, 5, 0}}), 0u) << "xchg is a full fence on x86";
  }
}

}  // namespace
}  // namespace bpf_litmus::runtime
