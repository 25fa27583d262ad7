#include "runtime/histogram.hpp"

#include <gtest/gtest.h>

#include <array>

namespace bpf_litmus::runtime {
namespace {

TEST(Histogram, CountsAddUpAndEntriesAreSorted) {
  Histogram histogram(2);
  for (std::uint64_t i = 0; i < 1000; ++i) histogram.add(std::array<std::uint64_t, 2>{i % 3, i % 2});
  EXPECT_EQ(histogram.total(), 1000u);
  EXPECT_EQ(histogram.distinct(), 6u);
  std::uint64_t sum = 0;
  const auto entries = histogram.entries();
  for (const auto& entry : entries) sum += entry.count;
  EXPECT_EQ(sum, 1000u);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries.front().key, (std::vector<std::uint64_t>{0, 0}));
  EXPECT_EQ(entries.back().key, (std::vector<std::uint64_t>{2, 1}));
  EXPECT_EQ(histogram.count(std::array<std::uint64_t, 2>{0, 0}), 167u);  // i % 6 == 0
  EXPECT_EQ(histogram.count(std::array<std::uint64_t, 2>{2, 0}), 167u);  // i % 6 == 2
  EXPECT_EQ(histogram.count(std::array<std::uint64_t, 2>{5, 5}), 0u);
}

TEST(Histogram, GrowsPastItsInitialTableAndKeepsCounts) {
  Histogram histogram(1);
  for (std::uint64_t round = 0; round < 3; ++round) {
    for (std::uint64_t key = 0; key < 10'000; ++key) histogram.add(std::array<std::uint64_t, 1>{key * 7919});
  }
  EXPECT_EQ(histogram.distinct(), 10'000u);
  EXPECT_EQ(histogram.total(), 30'000u);
  for (std::uint64_t key = 0; key < 10'000; key += 997) {
    EXPECT_EQ(histogram.count(std::array<std::uint64_t, 1>{key * 7919}), 3u);
  }
}

TEST(Histogram, MergeAddsCountsAndIgnoresMismatchedWidths) {
  Histogram a(1), b(1), wide(2);
  a.add(std::array<std::uint64_t, 1>{1}, 5);
  b.add(std::array<std::uint64_t, 1>{1}, 2);
  b.add(std::array<std::uint64_t, 1>{2}, 3);
  wide.add(std::array<std::uint64_t, 2>{1, 1}, 9);
  a.merge(b);
  a.merge(wide);
  EXPECT_EQ(a.count(std::array<std::uint64_t, 1>{1}), 7u);
  EXPECT_EQ(a.count(std::array<std::uint64_t, 1>{2}), 3u);
  EXPECT_EQ(a.total(), 10u);
}

TEST(Histogram, RejectsKeysOfTheWrongWidthAndZeroCounts) {
  Histogram histogram(2);
  histogram.add(std::array<std::uint64_t, 1>{1});
  histogram.add(std::array<std::uint64_t, 2>{1, 2}, 0);
  EXPECT_EQ(histogram.total(), 0u);
  EXPECT_EQ(histogram.distinct(), 0u);
}

TEST(Histogram, EmptyKeysCountAsOneOutcome) {
  Histogram histogram(0);
  histogram.add({}, 4);
  histogram.add({});
  EXPECT_EQ(histogram.distinct(), 1u);
  EXPECT_EQ(histogram.count({}), 5u);
}

}  // namespace
}  // namespace bpf_litmus::runtime
