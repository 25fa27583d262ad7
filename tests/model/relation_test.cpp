#include "model/relation.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace bpf_litmus::model {
namespace {

Relation make(std::size_t n, std::initializer_list<std::pair<std::size_t, std::size_t>> edges) {
  Relation r(n);
  for (const auto& [a, b] : edges) r.insert(a, b);
  return r;
}

EventSet set_of(std::size_t n, std::initializer_list<std::size_t> members) {
  EventSet s(n);
  for (const std::size_t e : members) s.insert(e);
  return s;
}

TEST(EventSet, SetOperations) {
  const EventSet a = set_of(5, {0, 1, 2});
  const EventSet b = set_of(5, {2, 3});
  EXPECT_EQ((a | b).elements(), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ((a & b).elements(), (std::vector<std::size_t>{2}));
  EXPECT_EQ((a - b).elements(), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(a.count(), 3U);
  EXPECT_TRUE(EventSet(5).empty());
  EXPECT_EQ(EventSet::all(3).count(), 3U);
}

TEST(Relation, UnionIntersectionDifference) {
  const Relation a = make(4, {{0, 1}, {1, 2}});
  const Relation b = make(4, {{1, 2}, {2, 3}});
  EXPECT_EQ(a | b, make(4, {{0, 1}, {1, 2}, {2, 3}}));
  EXPECT_EQ(a & b, make(4, {{1, 2}}));
  EXPECT_EQ(a - b, make(4, {{0, 1}}));
}

TEST(Relation, SequenceAndInverse) {
  const Relation a = make(4, {{0, 1}, {0, 2}});
  const Relation b = make(4, {{1, 3}, {2, 3}, {3, 0}});
  EXPECT_EQ(seq(a, b), make(4, {{0, 3}}));
  EXPECT_EQ(seq(b, a), make(4, {{3, 1}, {3, 2}}));
  EXPECT_EQ(a.inverse(), make(4, {{1, 0}, {2, 0}}));
}

TEST(Relation, Closures) {
  const Relation chain = make(4, {{0, 1}, {1, 2}, {2, 3}});
  const Relation plus = chain.plus();
  EXPECT_TRUE(plus.contains(0, 3));
  EXPECT_TRUE(plus.contains(1, 3));
  EXPECT_FALSE(plus.contains(3, 0));
  EXPECT_FALSE(plus.contains(0, 0));
  EXPECT_EQ(plus.pairs().size(), 6U);
  EXPECT_EQ(chain.star(), plus | Relation::identity(4));
  EXPECT_EQ(chain.opt(), chain | Relation::identity(4));
}

TEST(Relation, Acyclicity) {
  EXPECT_TRUE(make(3, {{0, 1}, {1, 2}}).acyclic());
  EXPECT_FALSE(make(3, {{0, 1}, {1, 2}, {2, 0}}).acyclic());
  EXPECT_FALSE(make(3, {{1, 1}}).acyclic());
  EXPECT_FALSE(make(3, {{1, 1}}).irreflexive());
  EXPECT_TRUE(make(3, {{0, 1}}).irreflexive());
}

TEST(Relation, FindsTheShortestCycle) {
  const Relation r = make(6, {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 4}});
  const auto cycle = r.find_cycle();
  ASSERT_TRUE(cycle.has_value());
  ASSERT_EQ(cycle->size(), 2U);
  EXPECT_TRUE(r.contains((*cycle)[0], (*cycle)[1]));
  EXPECT_TRUE(r.contains((*cycle)[1], (*cycle)[0]));
  EXPECT_FALSE(make(3, {{0, 1}}).find_cycle().has_value());
  const auto path = r.find_path(0, 3);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(Relation, DomainRangeIdentityCartesianRestrict) {
  const Relation r = make(5, {{0, 1}, {2, 3}});
  EXPECT_EQ(r.domain().elements(), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(r.range().elements(), (std::vector<std::size_t>{1, 3}));
  const EventSet s = set_of(5, {1, 4});
  EXPECT_EQ(Relation::identity_on(s), make(5, {{1, 1}, {4, 4}}));
  EXPECT_EQ(Relation::cartesian(set_of(5, {0}), s), make(5, {{0, 1}, {0, 4}}));
  EXPECT_EQ(r.restrict(set_of(5, {0, 2}), set_of(5, {3})), make(5, {{2, 3}}));
  EXPECT_TRUE(Relation(5).empty());
  EXPECT_FALSE(r.empty());
}

TEST(Relation, WorksAcrossWordBoundaries) {
  // 130 events need three 64-bit words per row.
  constexpr std::size_t n = 130;
  Relation chain(n);
  for (std::size_t e = 0; e + 1 < n; ++e) chain.insert(e, e + 1);
  EXPECT_TRUE(chain.acyclic());
  EXPECT_TRUE(chain.plus().contains(0, n - 1));
  EXPECT_TRUE(seq(chain, chain).contains(63, 65));
  chain.insert(n - 1, 0);
  EXPECT_FALSE(chain.acyclic());
  EXPECT_EQ(chain.find_cycle()->size(), n);
  EXPECT_EQ(chain.inverse().successors(64).elements(), (std::vector<std::size_t>{63}));
}

}  // namespace
}  // namespace bpf_litmus::model
