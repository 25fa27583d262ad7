// Final conditions and the `locations [...]` list.
#include <gtest/gtest.h>

#include <string>

#include "litmus/printer.hpp"
#include "test_util.hpp"

namespace bpf_litmus::litmus {
namespace {

using Kind = Condition::Kind;

// A two-thread test over x and y ending with the given constraint text.
litmus::Test with_constraint(std::string_view constraint) {
  return parse_text("BPF t\n{ 0:r1=x; 1:r1=y; }\n P0 | P1 ;\n r2 = 1 | r2 = 2 ;\n" +
                        std::string(constraint) + "\n",
                    "t.litmus");
}

Condition condition_of(std::string_view constraint) {
  return with_constraint(constraint).condition;
}

TEST(Quantifier, EveryForm) {
  EXPECT_EQ(with_constraint("exists (0:r2=1)").quantifier, Quantifier::Exists);
  EXPECT_EQ(with_constraint("~exists (0:r2=1)").quantifier, Quantifier::NotExists);
  EXPECT_EQ(with_constraint("~ exists (0:r2=1)").quantifier, Quantifier::NotExists);
  EXPECT_EQ(with_constraint("forall (0:r2=1)").quantifier, Quantifier::Forall);
  EXPECT_EQ(with_constraint("final (0:r2=1)").quantifier, Quantifier::Exists);
  EXPECT_EQ(with_constraint("exists 0:r2=1;").quantifier, Quantifier::Exists);
}

TEST(Quantifier, NoConditionIsForallTrue) {
  const litmus::Test test = with_constraint("");
  EXPECT_EQ(test.quantifier, Quantifier::Forall);
  EXPECT_EQ(test.condition.kind, Kind::Const);
  EXPECT_TRUE(test.condition.constant);
}

TEST(Atom, RegisterTerm) {
  const Condition c = condition_of("exists (1:r2=0)");
  ASSERT_EQ(c.kind, Kind::Atom);
  EXPECT_TRUE(c.atom.target.is_register);
  EXPECT_EQ(c.atom.target.thread, 1);
  EXPECT_EQ(c.atom.target.reg, 2);
  EXPECT_FALSE(c.atom.value.is_address);
  EXPECT_EQ(c.atom.value.integer, 0);
  EXPECT_EQ(c.pos.line, 5u);
  EXPECT_EQ(c.pos.col, 9u);
  EXPECT_EQ(condition_of("exists (P1:fp=-1)").atom.value.integer, -1);
  EXPECT_EQ(condition_of("exists (P1:fp=-1)").atom.target.reg, 10);
}

TEST(Atom, MemoryTermsWithAndWithoutBrackets) {
  for (const std::string_view text : {"exists (x=1)", "exists ([x]=1)", "exists (x == 1)"}) {
    const Condition c = condition_of(text);
    ASSERT_EQ(c.kind, Kind::Atom) << text;
    EXPECT_FALSE(c.atom.target.is_register);
    EXPECT_EQ(c.atom.target.location, "x");
    EXPECT_EQ(c.atom.value.integer, 1);
  }
}

TEST(Atom, AddressValue) {
  const Condition c = condition_of("exists (0:r2=y)");
  EXPECT_TRUE(c.atom.value.is_address);
  EXPECT_EQ(c.atom.value.location, "y");
  EXPECT_EQ(condition_of("exists (x=0x10)").atom.value.integer, 16);
}

TEST(Atom, NotEqualIsANegatedAtom) {
  for (const std::string_view text : {"exists (x != 1)", "exists (x <> 1)"}) {
    const Condition c = condition_of(text);
    ASSERT_EQ(c.kind, Kind::Not) << text;
    ASSERT_EQ(c.operands.size(), 1u);
    EXPECT_EQ(c.operands[0].kind, Kind::Atom);
    EXPECT_EQ(c.operands[0].atom.value.integer, 1);
  }
}

TEST(Connective, AndOrNotParenthesesConstants) {
  const Condition c = condition_of("exists (~(0:r2=1 \\/ x=2) /\\ (true \\/ false))");
  ASSERT_EQ(c.kind, Kind::And);
  ASSERT_EQ(c.operands.size(), 2u);
  const Condition& negation = c.operands[0];
  ASSERT_EQ(negation.kind, Kind::Not);
  EXPECT_EQ(negation.operands.at(0).kind, Kind::Or);
  const Condition& constants = c.operands[1];
  ASSERT_EQ(constants.kind, Kind::Or);
  EXPECT_TRUE(constants.operands.at(0).constant);
  EXPECT_FALSE(constants.operands.at(1).constant);
  EXPECT_EQ(condition_of("exists not x=1").kind, Kind::Not);
}

TEST(Connective, ChainsAreFlattened) {
  const Condition c = condition_of("exists (0:r2=1 /\\ 1:r2=2 /\\ (x=1 /\\ y=2))");
  ASSERT_EQ(c.kind, Kind::And);
  EXPECT_EQ(c.operands.size(), 4u);
}

TEST(Connective, AndBindsTighterThanOr) {
  const Condition c = condition_of("exists (x=1 \\/ y=1 /\\ 0:r2=1)");
  ASSERT_EQ(c.kind, Kind::Or);
  ASSERT_EQ(c.operands.size(), 2u);
  EXPECT_EQ(c.operands[0].kind, Kind::Atom);
  EXPECT_EQ(c.operands[1].kind, Kind::And);
}

TEST(Connective, NotBindsTighterThanAnd) {
  const Condition c = condition_of("exists (~x=1 /\\ y=1)");
  ASSERT_EQ(c.kind, Kind::And);
  EXPECT_EQ(c.operands[0].kind, Kind::Not);
}

// herd7: `=>` binds tighter than `/\` and associates to the right.
TEST(Connective, ImplicationBecomesNotOr) {
  const Condition c = condition_of("forall (x=1 /\\ y=1 => 0:r2=1)");
  ASSERT_EQ(c.kind, Kind::And);
  const Condition& implication = c.operands.at(1);
  ASSERT_EQ(implication.kind, Kind::Or);
  EXPECT_EQ(implication.operands.at(0).kind, Kind::Not);
  EXPECT_EQ(implication.operands.at(0).operands.at(0).atom.target.location, "y");
  EXPECT_EQ(implication.operands.at(1).kind, Kind::Atom);
  EXPECT_EQ(print_condition(condition_of("exists (x=1 => y=1 => 0:r2=1)")),
            "not ([x]=1) \\/ not ([y]=1) \\/ 0:r2=1");
}

TEST(Locations, ListAndOrderOfFirstMention) {
  const litmus::Test test = parse_text(
      "BPF t\n{ int c=a; 0:r1=b; }\n P0 ;\n r2 = 1 ;\nlocations [0:r2; d; c;]\n"
      "exists (0:r1=e /\\ [f]=1)\n",
      "t.litmus");
  ASSERT_EQ(test.extra_observed.size(), 3u);
  EXPECT_TRUE(test.extra_observed[0].is_register);
  EXPECT_EQ(test.extra_observed[0].reg, 2);
  EXPECT_EQ(test.extra_observed[1].location, "d");
  EXPECT_EQ(test.extra_observed[2].location, "c");
  // Declared, register addresses, memory addresses, condition, then the list.
  std::vector<std::string> names;
  for (const Location& location : test.locations) names.push_back(location.name);
  EXPECT_EQ(names, (std::vector<std::string>{"c", "b", "a", "e", "f", "d"}));
}

TEST(Locations, EmptyListAndNoTrailingSemicolon) {
  EXPECT_TRUE(with_constraint("locations []\nexists (x=0)").extra_observed.empty());
  EXPECT_EQ(with_constraint("locations [0:r2;1:r2]\nexists (x=0)").extra_observed.size(), 2u);
}

}  // namespace
}  // namespace bpf_litmus::litmus
