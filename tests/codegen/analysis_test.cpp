// What codegen learns before emitting: registers to initialise, jump
// targets, dead statements, observed places in herd7's order, location widths.
#include <gtest/gtest.h>

#include "codegen/analysis.hpp"
#include "test_support.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

ThreadFacts facts_of(const litmus::Test& test, std::vector<litmus::Reg> observed = {}) {
  std::vector<std::optional<std::size_t>> targets;
  std::string unknown;
  EXPECT_TRUE(resolve_jumps(test.threads.at(0), targets, unknown)) << unknown;
  return analyse_thread(test.threads.at(0), targets, observed);
}

TEST(Analysis, InitialisesRegistersReadBeforeWritten) {
  // r1 is written first, r2 read first, r3 only written, r4 read after a
  // branch that may skip its write, r5 observed but never touched.
  const litmus::Test test = parse(one_thread(
      "0:r2=x;", {"r1 = 1", "*(u32 *)(r2 + 0) = r1", "r3 = 2", "if r1 == 0 goto L", "r4 = 1", "L: r1 = r4"}));
  const ThreadFacts facts = facts_of(test, {5});
  EXPECT_FALSE(facts.needs_init[1]);
  EXPECT_TRUE(facts.needs_init[2]);
  EXPECT_FALSE(facts.needs_init[3]);
  EXPECT_TRUE(facts.needs_init[4]);
  EXPECT_TRUE(facts.needs_init[5]);
  EXPECT_EQ(facts.uses[1], 4u);  // written twice, read twice
  EXPECT_EQ(facts.uses[5], 1u);  // observed
}

TEST(Analysis, FetchAtomicsWriteTheirSourceAndCmpxchgR0) {
  const litmus::Test test = parse(one_thread(
      "0:r1=x;", {"r2 = atomic_fetch_add((u64 *)(r1 + 0), r3)", "r0 = cmpxchg_64(r1 + 0, r0, r3)", "r4 = r3"}));
  const ThreadFacts facts = facts_of(test, {0, 3});
  EXPECT_TRUE(facts.needs_init[3]);  // the fetch reads r3 before writing it
  EXPECT_FALSE(facts.needs_init[2]) << "r2 is only the written left-hand side";
  EXPECT_TRUE(facts.needs_init[0]);  // cmpxchg compares with r0
  EXPECT_TRUE(facts.cmpxchg);
}

TEST(Analysis, StatementsAfterAGotoAreDead) {
  const litmus::Test test = parse(one_thread("", {"goto L", "r1 = r9", "L: r1 = 0"}));
  const ThreadFacts facts = facts_of(test);
  EXPECT_EQ(facts.reachable, (std::vector<bool>{true, false, true}));
  EXPECT_FALSE(facts.needs_init[9]) << "a dead read demands nothing";
}

TEST(Analysis, JumpsToTrailingLabelsGoToTheEnd) {
  const litmus::Test test = parse(one_thread("", {"if r1 == 0 goto L", "r1 = 1", "L:"}));
  std::vector<std::optional<std::size_t>> targets;
  std::string unknown;
  ASSERT_TRUE(resolve_jumps(test.threads[0], targets, unknown));
  EXPECT_EQ(targets[0], 3u);
  EXPECT_FALSE(targets[1]);
}

TEST(Analysis, ObservedPlacesFollowHerd7StateOrder) {
  const litmus::Test test = parse(
      "BPF t\n{ 0:r1=y; 1:r1=x; }\n P0 | P1 ;\n r2 = *(u32 *)(r1 + 0) | r2 = *(u32 *)(r1 + 0) ;\n"
      "locations [y; 1:r1; 0:r3]\nexists (1:r2=0 /\\ x=1 /\\ 0:r2=0 /\\ 1:r2=0)\n");
  const std::vector<litmus::Observable> places = observed_places(test);
  std::vector<std::string> names;
  for (const auto& p : places) {
    names.push_back(p.is_register ? std::to_string(p.thread) + ":r" + std::to_string(p.reg) : p.location);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"0:r2", "0:r3", "1:r1", "1:r2", "x", "y"}));
}

TEST(Analysis, LocationWidthsComeFromTypesThenAccesses) {
  const litmus::Test test = parse(
      "BPF t\n{ u16 a; 0:r1=b; 0:r2=c; 0:r3=d; 0:r4=a; }\n P0 ;\n"
      " r5 = *(u8 *)(r1 + 0) ;\n *(u64 *)(r1 + 0) = r5 ;\n r2 += 0 ;\n r5 = *(u8 *)(r2 + 0) ;\n"
      " r5 = *(u64 *)(r4 + 0) ;\nexists (0:r5=0)\n");
  const std::vector<litmus::Width> widths = location_widths(test);
  ASSERT_EQ(test.locations.size(), 4u);
  EXPECT_EQ(widths[0], litmus::Width::U16) << "a: declared";
  EXPECT_EQ(widths[1], litmus::Width::U64) << "b: widest access";
  EXPECT_EQ(widths[2], litmus::Width::U32) << "c: its register is overwritten, herd7's default";
  EXPECT_EQ(widths[3], litmus::Width::U32) << "d: never accessed";
}

}  // namespace
}  // namespace bpf_litmus::codegen::testing
