// Why a model forbids a state: the axiom and a cycle, as bug reports show them.
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace bpf_litmus::model {
namespace {

using testing::parse;
using testing::store_buffering;

FinalState sb_state(const litmus::Test& test, std::int64_t r2_of_p0, std::int64_t r2_of_p1) {
  return make_final_state(test, {{{true, 0, 2, ""}, {false, r2_of_p0, ""}},
                                 {{true, 1, 2, ""}, {false, r2_of_p1, ""}}});
}

bool mentions(const Explanation& e, const std::string& relation) {
  for (const Explanation::Step& step : e.cycle) {
    if (step.relations.find(relation) != std::string::npos) return true;
  }
  return false;
}

TEST(Explain, ScForbidsStoreBufferingWithAPoFrCycle) {
  const litmus::Test test = parse(store_buffering());
  const Explanation e = explain(test, ModelKind::Sc, sb_state(test, 0, 0));
  ASSERT_EQ(e.verdict, Explanation::Verdict::Forbidden);
  EXPECT_EQ(e.axiom, "SC");
  ASSERT_EQ(e.cycle.size(), 4U);
  EXPECT_TRUE(mentions(e, "po"));
  EXPECT_TRUE(mentions(e, "fr"));
  EXPECT_NE(e.cycle[0].event.find("P"), std::string::npos);
  EXPECT_NE(e.text().find("SC"), std::string::npos);
}

TEST(Explain, BpfForbidsFencedStoreBufferingByPropagation) {
  const std::string fence = "r6 = atomic_fetch_add((u64 *)(r5 + 0), r6)";
  const litmus::Test test = parse(store_buffering(fence, fence));
  const Explanation e = explain(test, ModelKind::Bpf, sb_state(test, 0, 0));
  ASSERT_EQ(e.verdict, Explanation::Verdict::Forbidden);
  EXPECT_EQ(e.axiom, "Propagation");
  EXPECT_FALSE(e.cycle.empty());
}

TEST(Explain, CoherenceViolationsAreNamed) {
  const litmus::Test test = parse(
      "BPF CoRR\n{ 0:r1=x; 1:r1=x; }\n"
      " P0                    | P1                    ;\n"
      " *(u32 *)(r1 + 0) = 1  | r2 = *(u32 *)(r1 + 0) ;\n"
      "                       | r3 = *(u32 *)(r1 + 0) ;\n"
      "exists (1:r2=1 /\\ 1:r3=0)\n");
  const FinalState state = make_final_state(
      test, {{{true, 1, 2, ""}, {false, 1, ""}}, {{true, 1, 3, ""}, {false, 0, ""}}});
  const Explanation e = explain(test, ModelKind::Bpf, state);
  ASSERT_EQ(e.verdict, Explanation::Verdict::Forbidden);
  EXPECT_EQ(e.axiom, "Coherence");
  EXPECT_TRUE(mentions(e, "fr") || mentions(e, "po-loc"));
}

TEST(Explain, AtomicityViolationsShowTheInterveningWrite) {
  const litmus::Test test = parse(
      "BPF CAS\n{ 0:r1=x; 0:r0=0; 0:r2=1; 1:r1=x; }\n"
      " P0                              | P1                   ;\n"
      " r0 = cmpxchg_64(r1 + 0, r0, r2) | *(u32 *)(r1 + 0) = 2 ;\n"
      "exists (0:r0=0 /\\ x=1)\n");
  // x=1 last after reading 0 needs P1's write between the cmpxchg's read and write.
  EXPECT_FALSE(predict(test, ModelKind::Bpf).validated);
  const FinalState state =
      make_final_state(test, {{{true, 0, 0, ""}, {false, 0, ""}}, {{false, 0, 0, "x"}, {false, 1, ""}}});
  const Explanation e = explain(test, ModelKind::Bpf, state);
  ASSERT_EQ(e.verdict, Explanation::Verdict::Forbidden);
  EXPECT_EQ(e.axiom, "Atomic");
  ASSERT_EQ(e.cycle.size(), 3U);
  EXPECT_EQ(e.cycle[0].relations, "fre");
  EXPECT_EQ(e.cycle[1].relations, "coe");
  EXPECT_EQ(e.cycle[2].relations, "rmw^-1");
}

TEST(Explain, AllowedAndUnreachableStates) {
  const litmus::Test test = parse(store_buffering());
  EXPECT_EQ(explain(test, ModelKind::Tso, sb_state(test, 0, 0)).verdict, Explanation::Verdict::Allowed);
  const Explanation unreachable = explain(test, ModelKind::Bpf, sb_state(test, 5, 0));
  EXPECT_EQ(unreachable.verdict, Explanation::Verdict::Unreachable);
  EXPECT_NE(unreachable.text().find("unreachable"), std::string::npos);
}

}  // namespace
}  // namespace bpf_litmus::model
