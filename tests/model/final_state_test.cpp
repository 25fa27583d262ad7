// Final states, conditions and herd7's output format.
#include <gtest/gtest.h>

#include <stdexcept>

#include "report/herd_format.hpp"
#include "test_util.hpp"

namespace bpf_litmus::model {
namespace {

using testing::parse;

litmus::Observable reg(int thread, litmus::Reg r) { return {true, thread, r, ""}; }
litmus::Observable mem(const std::string& name) { return {false, 0, 0, name}; }
litmus::Value num(std::int64_t v) { return {false, v, ""}; }
litmus::Value addr(const std::string& name) { return {true, 0, name}; }

const std::string kTwoThreads =
    "BPF T\n"
    "{ 0:r1=x; 1:r1=y; }\n"
    " P0                    | P1                    ;\n"
    " r2 = *(u32 *)(r1 + 0) | r2 = *(u32 *)(r1 + 0) ;\n"
    "locations [y; 1:r10; 0:r1]\n"
    "exists (1:r2=0 /\\ (x=1 \\/ 0:r2=2))\n";

TEST(FinalState, ObservablesFollowHerdOrder) {
  const std::vector<litmus::Observable> places = observables(parse(kTwoThreads));
  const std::vector<litmus::Observable> expected{reg(0, 1), reg(0, 2), reg(1, 2), reg(1, 10), mem("x"),
                                                 mem("y")};
  EXPECT_EQ(places, expected);
}

TEST(FinalState, MakeFinalStateSortsAndChecks) {
  const litmus::Test test = parse(kTwoThreads);
  const FinalState state = make_final_state(
      test, {{mem("y"), num(0)}, {reg(1, 10), num(0)}, {reg(0, 1), addr("x")}, {mem("x"), num(1)},
             {reg(1, 2), num(0)}, {reg(0, 2), num(0)}});
  EXPECT_EQ(format_state(state), "0:r1=x; 0:r2=0; 1:r2=0; 1:fp=0; [x]=1; [y]=0;");
  EXPECT_TRUE(condition_holds(test, state));
  EXPECT_THROW((void)make_final_state(test, {{mem("y"), num(0)}}), std::invalid_argument);
  EXPECT_THROW((void)make_final_state(test, {{mem("z"), num(0)}}), std::invalid_argument);
}

TEST(FinalState, ConditionEvaluation) {
  const litmus::Test test = parse(kTwoThreads);
  const auto state_with = [&](std::int64_t r2_of_p1, std::int64_t x, std::int64_t r2_of_p0) {
    return make_final_state(test, {{reg(0, 1), addr("x")}, {reg(0, 2), num(r2_of_p0)},
                                   {reg(1, 2), num(r2_of_p1)}, {reg(1, 10), num(0)}, {mem("x"), num(x)},
                                   {mem("y"), num(0)}});
  };
  EXPECT_TRUE(condition_holds(test, state_with(0, 0, 2)));
  EXPECT_FALSE(condition_holds(test, state_with(0, 0, 1)));
  EXPECT_FALSE(condition_holds(test, state_with(1, 1, 2)));
}

TEST(HerdFormat, ConditionSpellingAndParentheses) {
  EXPECT_EQ(report::format_herd_condition(parse(kTwoThreads)), "exists (1:r2=0 /\\ ([x]=1 \\/ 0:r2=2))");
  const litmus::Test negated = parse(
      "BPF N\n{ 0:r1=x; }\n P0 ;\n r2 = *(u32 *)(r1 + 0) ;\n~exists (0:r2=1 \\/ not (0:r1=x) /\\ x=0)\n");
  EXPECT_EQ(report::format_herd_condition(negated), "~exists (0:r2=1 \\/ not (0:r1=x) /\\ [x]=0)");
}

TEST(HerdFormat, ForbiddenTestsCountWitnessesAgainstTheProposition) {
  const litmus::Test test = parse(
      "BPF CoRR.litmus\n{ 0:r1=x; 1:r1=x; }\n"
      " P0                    | P1                    ;\n"
      " *(u32 *)(r1 + 0) = 1  | r2 = *(u32 *)(r1 + 0) ;\n"
      "                       | r3 = *(u32 *)(r1 + 0) ;\n"
      "~exists (1:r2=1 /\\ 1:r3=0)\n");
  const Prediction prediction = predict(test, ModelKind::Bpf);
  EXPECT_EQ(report::format_herd(test, prediction),
            "Test CoRR Forbidden\n"
            "States 3\n"
            "1:r2=0; 1:r3=0;\n"
            "1:r2=0; 1:r3=1;\n"
            "1:r2=1; 1:r3=1;\n"
            "Ok\n"
            "Witnesses\n"
            "Positive: 3 Negative: 0\n"
            "Condition ~exists (1:r2=1 /\\ 1:r3=0)\n"
            "Observation CoRR Never 0 3\n"
            "\n");
}

}  // namespace
}  // namespace bpf_litmus::model
