#include "model/value.hpp"

#include <gtest/gtest.h>

namespace bpf_litmus::model {
namespace {

const Val kX = Val::of_addr(0);
const Val kY = Val::of_addr(1);

TEST(Value, IntegersComputeAsSixtyFourBitTwosComplement) {
  EXPECT_EQ(apply(Op::Add, Val::of_int(2), Val::of_int(3)), Val::of_int(5));
  EXPECT_EQ(apply(Op::Sub, Val::of_int(2), Val::of_int(3)), Val::of_int(-1));
  EXPECT_EQ(apply(Op::Mul, Val::of_int(INT64_MAX), Val::of_int(2)), Val::of_int(-2));
  EXPECT_EQ(apply(Op::Div, Val::of_int(INT64_MIN), Val::of_int(-1)), Val::of_int(INT64_MIN));
  EXPECT_EQ(apply(Op::Lsh, Val::of_int(1), Val::of_int(65)), Val::of_int(2));
  EXPECT_EQ(apply(Op::Lt, Val::of_int(-1), Val::of_int(0)), Val::of_int(1));
  EXPECT_THROW((void)apply(Op::Mod, Val::of_int(1), Val::of_int(0)), ModelError);
}

TEST(Value, AddressesFollowHerdRules) {
  EXPECT_EQ(apply(Op::Add, kX, Val::of_int(4)), Val::of_addr(0, 4));
  EXPECT_EQ(apply(Op::Add, kX, Val::of_int(0)), kX);
  EXPECT_EQ(apply(Op::Sub, kX, kX), Val::of_int(0));
  EXPECT_EQ(apply(Op::Sub, kX, kY), Val::of_int(-1));
  EXPECT_EQ(apply(Op::Xor, kY, kY), Val::of_int(0));
  EXPECT_EQ(apply(Op::Eq, kX, Val::of_int(0)), Val::of_int(0));
  EXPECT_EQ(apply(Op::Ne, kX, kY), Val::of_int(1));
  EXPECT_EQ(apply(Op::Lt, kX, Val::of_int(0)), Val::of_int(0));
  EXPECT_EQ(apply(Op::Lt, Val::of_int(0), kX), Val::of_int(1));
  EXPECT_THROW((void)apply(Op::And, kX, Val::of_int(1)), ModelError);
  EXPECT_THROW((void)apply(Op::Add, kX, kY), ModelError);
  EXPECT_THROW((void)apply(Op::Ge, kX, Val::of_int(1)), ModelError);
}

TEST(Value, HerdOrderPutsIntegersBeforeAddresses) {
  EXPECT_LT(compare(Val::of_int(100), kX), 0);
  EXPECT_LT(compare(Val::of_int(-1), Val::of_int(0)), 0);
  EXPECT_LT(compare(kX, kY), 0);
  EXPECT_LT(compare(kX, Val::of_addr(0, 4)), 0);
  EXPECT_EQ(compare(kY, kY), 0);
}

TEST(Value, LocationTableSortsNamesAndSpellsValues) {
  litmus::Test test;
  test.locations.push_back({"y", std::nullopt, litmus::Value{true, 0, "x"}, {}});
  test.locations.push_back({"x", std::nullopt, litmus::Value{false, 3, ""}, {}});
  const LocationTable table = LocationTable::of(test);
  ASSERT_EQ(table.names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(table.initial[0], Val::of_int(3));
  EXPECT_EQ(table.initial[1], Val::of_addr(0));
  EXPECT_EQ(table.format(Val::of_addr(1, 8)), "y+8");
  EXPECT_EQ(table.format(Val::of_int(-7)), "-7");
  EXPECT_THROW((void)table.index("z"), ModelError);
}

}  // namespace
}  // namespace bpf_litmus::model
