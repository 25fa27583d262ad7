// The judgement keeps three verdicts apart: a state the model allows, one it
// forbids (a hardware, kernel or harness bug: `run` exits 1), and one only an
// execution herd7 drops can give (a read of a non-location): outside the
// model, never counted as forbidden.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "litmus/parser.hpp"
#include "model/model.hpp"
#include "report/judgement.hpp"
#include "report/litmus7_log.hpp"
#include "selfcheck_support.hpp"

namespace bpf_litmus::report {
namespace {

model::FinalState state(const litmus::Test& test, std::int64_t r2, std::int64_t r3) {
  return model::make_final_state(test, {{{true, 1, 2, ""}, {false, r2, ""}}, {{true, 1, 3, ""}, {false, r3, ""}}});
}

class JudgementOfNonLocationReads : public ::testing::Test {
 protected:
  litmus::Test test = litmus::parse_text(selfcheck::kReadsNonLocation, "inline.litmus");
  model::Prediction prediction = model::predict(test, model::ModelKind::Bpf);

  Judgement judge_counts(std::vector<std::pair<model::FinalState, std::uint64_t>> decoded) const {
    return judge(test, decoded, &prediction, model::ModelKind::Bpf);
  }
};

TEST_F(JudgementOfNonLocationReads, AStateOnlyADroppedExecutionGivesIsOutsideTheModel) {
  const Judgement j = judge_counts({{state(test, 0, 2), 30}, {state(test, 8, 0), 70}});
  ASSERT_EQ(j.observed.size(), 2U);
  EXPECT_EQ(j.observed[0].verdict, Verdict::Allowed);
  EXPECT_EQ(j.observed[1].verdict, Verdict::OutsideModel);
  EXPECT_EQ(j.observed[1].why_outside, "P1 reads x+8, which is no location");
  EXPECT_EQ(j.forbidden_states, 0U);
  EXPECT_EQ(j.forbidden_instances, 0U);
  EXPECT_EQ(j.outside_model_states, 1U);
  EXPECT_EQ(j.outside_model_instances, 70U);

  const std::string verdicts = format_verdicts(j, RunFacts{});
  EXPECT_NE(verdicts.find("0 forbidden, 1 outside the model (70 instances)"), std::string::npos) << verdicts;
  EXPECT_NE(verdicts.find("outside model 70"), std::string::npos) << verdicts;
  EXPECT_NE(verdicts.find("(P1 reads x+8, which is no location)"), std::string::npos) << verdicts;
  EXPECT_EQ(verdicts.find("FORBIDDEN"), std::string::npos) << verdicts;
}

TEST_F(JudgementOfNonLocationReads, AStateNoPatternMatchesStaysForbidden) {
  // r2=0 sends P1 to x itself: seeing the old x then is what bpf.cat forbids.
  const Judgement j = judge_counts({{state(test, 0, 0), 5}, {state(test, 8, 7), 1}});
  ASSERT_EQ(j.observed.size(), 2U);
  EXPECT_EQ(j.observed[0].verdict, Verdict::Forbidden);
  EXPECT_EQ(j.observed[1].verdict, Verdict::OutsideModel);
  EXPECT_EQ(j.forbidden_states, 1U);
  EXPECT_EQ(j.forbidden_instances, 5U);
  EXPECT_NE(format_verdicts(j, RunFacts{}).find("!!! FORBIDDEN 5"), std::string::npos);
}

TEST_F(JudgementOfNonLocationReads, WithoutAModelEverythingIsAllowed) {
  const Judgement j = judge(test, {{state(test, 8, 0), 3}}, nullptr, std::nullopt);
  EXPECT_EQ(j.observed.at(0).verdict, Verdict::Allowed);
  EXPECT_EQ(j.outside_model_states, 0U);
}

}  // namespace
}  // namespace bpf_litmus::report
