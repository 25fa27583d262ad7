// Executions herd7 drops because a read accesses a non-location (x+10): the
// prediction keeps herd7's states and reports those executions apart, as
// patterns whose values read there (and what depends on them) are unknown.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "test_util.hpp"

namespace bpf_litmus::model {
namespace {

using testing::parse;

litmus::Observable reg(int thread, litmus::Reg r) { return {true, thread, r, ""}; }
litmus::Observable mem(const std::string& location) { return {false, 0, 0, location}; }
litmus::Value num(std::int64_t v) { return {false, v, ""}; }

std::vector<std::string> texts(const Prediction& p) {
  std::vector<std::string> out;
  for (const UndefinedOutcome& u : p.undefined) out.push_back(u.text());
  return out;
}

std::vector<std::string> states(const Prediction& p) {
  std::vector<std::string> out;
  for (const FinalState& s : p.states) out.push_back(format_state(s));
  return out;
}

// The catalogue's S+fence+addr shape: y starts at 10, so reading y's initial
// value makes P1 read x+10, which is no location.
const std::string kAddressFromInitialValue =
    "BPF S+fence+addr-like\n"
    "{ int x = 0; int y = 10; 0:r0=x; 0:r1=y; 0:r5=t; 0:r6=0; 1:r0=x; 1:r1=y; }\n"
    " P0                                        | P1                    ;\n"
    " *(u32 *)(r0 + 0) = 2                      | r2 = *(u32 *)(r1 + 0) ;\n"
    " r6 = atomic_fetch_add((u64 *)(r5 + 0), r6) | r0 += r2              ;\n"
    " *(u32 *)(r1 + 0) = 0                      | r3 = *(u32 *)(r0 + 0) ;\n"
    "exists (1:r2=0 /\\ 1:r3=0)\n";

TEST(Undefined, HerdStatesStayAndTheDroppedReadIsUnknown) {
  const litmus::Test test = parse(kAddressFromInitialValue);
  const Prediction p = predict(test, ModelKind::Bpf);
  EXPECT_EQ(states(p), std::vector<std::string>{"1:r2=0; 1:r3=2;"});
  EXPECT_EQ(p.positive, 0U);
  EXPECT_EQ(p.negative, 1U);
  ASSERT_EQ(texts(p), std::vector<std::string>{"1:r2=10; 1:r3=?;"});
  EXPECT_EQ(p.undefined[0].reason, "P1 reads x+10, which is no location");

  const auto state = [&](std::int64_t r2, std::int64_t r3) {
    return make_final_state(test, {{reg(1, 2), num(r2)}, {reg(1, 3), num(r3)}});
  };
  EXPECT_TRUE(p.undefined[0].matches(state(10, 0)));
  EXPECT_TRUE(p.undefined[0].matches(state(10, 12345)));
  EXPECT_FALSE(p.undefined[0].matches(state(0, 0)));  // the state bpf forbids stays forbidden
  EXPECT_FALSE(p.undefined[0].matches(state(2, 0)));
}

TEST(Undefined, OtherModelsReportTheSamePattern) {
  for (const ModelKind kind : {ModelKind::Sc, ModelKind::Tso}) {
    EXPECT_EQ(texts(predict(parse(kAddressFromInitialValue), kind)),
              std::vector<std::string>{"1:r2=10; 1:r3=?;"});
  }
}

TEST(Undefined, UnknownValuesFlowThroughArithmeticAndMemory) {
  const litmus::Test test = parse(
      "BPF flow\n"
      "{ int o = 8; 0:r1=x; 0:r5=z; 0:r8=o; }\n"
      " P0                    ;\n"
      " r9 = *(u32 *)(r8 + 0) ;\n"
      " r1 += r9              ;\n"
      " r3 = *(u32 *)(r1 + 0) ;\n"
      " r4 = r3              ;\n"
      " r4 += 1              ;\n"
      " r6 = 7               ;\n"
      " *(u32 *)(r5 + 0) = r4 ;\n"
      "exists (0:r4=1 /\\ 0:r6=7 /\\ [z]=1)\n");
  const Prediction p = predict(test, ModelKind::Bpf);
  EXPECT_TRUE(p.states.empty());  // herd7 drops every execution
  ASSERT_EQ(texts(p), std::vector<std::string>{"0:r4=?; 0:r6=7; [z]=?;"});
  EXPECT_EQ(p.undefined[0].reason, "P0 reads x+8, which is no location");
  EXPECT_TRUE(p.undefined[0].matches(
      make_final_state(test, {{reg(0, 4), num(99)}, {reg(0, 6), num(7)}, {mem("z"), num(99)}})));
  EXPECT_FALSE(p.undefined[0].matches(
      make_final_state(test, {{reg(0, 4), num(99)}, {reg(0, 6), num(6)}, {mem("z"), num(99)}})));
}

TEST(Undefined, AWriteToTheNonLocationIsReadAsHerdReadsIt) {
  // herd7 lets the read of x+4 take P0's write to x+4, and drops the rest.
  const litmus::Test test = parse(
      "BPF offset-write\n"
      "{ int o = 4; 0:r1=x; 0:r8=o; 1:r1=x; 1:r8=o; }\n"
      " P0                    | P1                    ;\n"
      " r9 = *(u32 *)(r8 + 0) | r9 = *(u32 *)(r8 + 0) ;\n"
      " r1 += r9              | r1 += r9              ;\n"
      " *(u32 *)(r1 + 0) = 3  | r2 = *(u32 *)(r1 + 0) ;\n"
      "exists (1:r2=3)\n");
  const Prediction p = predict(test, ModelKind::Bpf);
  EXPECT_EQ(states(p), std::vector<std::string>{"1:r2=3;"});
  EXPECT_EQ(texts(p), std::vector<std::string>{"1:r2=?;"});  // or what x+4 held before
}

TEST(Undefined, TheRestOfTheExecutionStillPassesTheAxioms) {
  // MP with fences, whose reader then reads x+4 (into r7, not observed):
  // herd7 drops every execution, but no pattern lets the reader see the flag
  // without the data.
  const std::string fence = "r6 = atomic_fetch_add((u64 *)(r5 + 0), r6)";
  const litmus::Test test = parse(
      "BPF MP+fences+nonlocation\n"
      "{ int o = 4; 0:r1=x; 0:r3=y; 0:r5=t; 0:r6=0; 1:r1=x; 1:r3=y; 1:r5=u; 1:r6=0; 1:r8=o; }\n"
      " P0                    | P1                    ;\n"
      " *(u32 *)(r1 + 0) = 1  | r2 = *(u32 *)(r3 + 0) ;\n"
      " " + fence + " | " + fence + " ;\n"
      " *(u32 *)(r3 + 0) = 1  | r4 = *(u32 *)(r1 + 0) ;\n"
      "                       | r9 = *(u32 *)(r8 + 0) ;\n"
      "                       | r1 += r9              ;\n"
      "                       | r7 = *(u32 *)(r1 + 0) ;\n"
      "exists (1:r2=1 /\\ 1:r4=0)\n");
  const Prediction p = predict(test, ModelKind::Bpf);
  EXPECT_TRUE(p.states.empty());
  EXPECT_EQ(texts(p), (std::vector<std::string>{"1:r2=0; 1:r4=0;", "1:r2=0; 1:r4=1;", "1:r2=1; 1:r4=1;"}));
}

TEST(Undefined, ABranchOnAnUnknownValueGoesBothWays) {
  const litmus::Test test = parse(
      "BPF branch\n"
      "{ int o = 16; 0:r1=x; 0:r8=o; }\n"
      " P0                      ;\n"
      " r9 = *(u32 *)(r8 + 0)   ;\n"
      " r1 += r9                ;\n"
      " r2 = *(u32 *)(r1 + 0)   ;\n"
      " r3 = 1                  ;\n"
      " if r2 == 0 goto L       ;\n"
      " r3 = 2                  ;\n"
      " L:                      ;\n"
      "exists (0:r3=1)\n");
  EXPECT_EQ(texts(predict(test, ModelKind::Bpf)), (std::vector<std::string>{"0:r3=1;", "0:r3=2;"}));
}

TEST(Undefined, TestsWithoutNonLocationsHaveNone) {
  EXPECT_TRUE(predict(parse(testing::kMessagePassing), ModelKind::Bpf).undefined.empty());
  EXPECT_TRUE(predict(parse(testing::store_buffering()), ModelKind::Sc).undefined.empty());
}

}  // namespace
}  // namespace bpf_litmus::model
