// Register allocation: test registers keep their numbers when they can, r10
// gets a real register, cmpxchg's r0 stays in machine r0, and when registers
// run out the least used test registers spill to the stack.
#include <gtest/gtest.h>

#include <set>

#include "codegen/regalloc.hpp"
#include "test_support.hpp"

namespace bpf_litmus::codegen {
namespace {

RegisterDemand demand_of(std::initializer_list<std::pair<litmus::Reg, std::uint32_t>> uses) {
  RegisterDemand demand;
  for (const auto& [reg, count] : uses) demand.uses[reg] = count;
  return demand;
}

// Every machine register in use is used once, and none is r10.
void expect_distinct(const Allocation& a) {
  std::multiset<int> regs{a.base, a.scratch};
  if (a.scratch2) regs.insert(*a.scratch2);
  if (a.index) regs.insert(*a.index);
  for (const auto& home : a.homes) {
    if (home && home->in_machine_reg) regs.insert(home->machine_reg);
  }
  for (int r : regs) {
    EXPECT_EQ(regs.count(r), 1u) << "r" << r << " allocated twice";
    EXPECT_LT(r, 10) << "the frame pointer is not allocatable";
  }
}

TEST(RegisterAllocation, TestRegistersKeepTheirNumbers) {
  const Allocation a = allocate_registers(demand_of({{1, 3}, {2, 1}, {4, 2}}));
  for (int r : {1, 2, 4}) {
    ASSERT_TRUE(a.homes[r]);
    EXPECT_TRUE(a.homes[r]->in_machine_reg);
    EXPECT_EQ(a.homes[r]->machine_reg, r);
  }
  EXPECT_FALSE(a.homes[3]);
  // The base and the index stay where the instance prologue put them.
  EXPECT_EQ(a.base, kSyncBaseReg);
  EXPECT_EQ(a.index, kSyncIndexReg);
  EXPECT_FALSE(a.scratch2);
  EXPECT_FALSE(a.spills());
  expect_distinct(a);
}

TEST(RegisterAllocation, R10GetsAMachineRegister) {
  const Allocation a = allocate_registers(demand_of({{10, 2}, {9, 1}, {8, 1}, {1, 1}, {2, 1}}));
  ASSERT_TRUE(a.homes[10]);
  EXPECT_TRUE(a.homes[10]->in_machine_reg);
  EXPECT_NE(a.homes[10]->machine_reg, 10);
  expect_distinct(a);
}

TEST(RegisterAllocation, HarnessMovesAsideForTestRegisters6And7) {
  const Allocation a = allocate_registers(demand_of({{6, 1}, {7, 1}}));
  EXPECT_EQ(a.homes[6]->machine_reg, 6);
  EXPECT_EQ(a.homes[7]->machine_reg, 7);
  EXPECT_NE(a.base, 7);
  EXPECT_NE(a.index, std::optional<std::uint8_t>(6));
  expect_distinct(a);
}

TEST(RegisterAllocation, CmpxchgKeepsR0InMachineR0EvenUnderPressure) {
  RegisterDemand demand;
  for (litmus::Reg r = 0; r < litmus::kNumRegs; ++r) demand.uses[r] = r == 0 ? 1 : 10;
  demand.cmpxchg = true;
  const Allocation a = allocate_registers(demand);
  ASSERT_TRUE(a.homes[0]);
  EXPECT_TRUE(a.homes[0]->in_machine_reg);
  EXPECT_EQ(a.homes[0]->machine_reg, 0);
  expect_distinct(a);
}

TEST(RegisterAllocation, ElevenRegistersSpillTheLeastUsed) {
  RegisterDemand demand;
  for (litmus::Reg r = 0; r < litmus::kNumRegs; ++r) demand.uses[r] = 100 - r;  // r10 least used
  const Allocation a = allocate_registers(demand);
  EXPECT_TRUE(a.spills());
  ASSERT_TRUE(a.scratch2);  // spilled values need a second scratch register
  EXPECT_FALSE(a.index);    // the index is spilled before any test register
  EXPECT_LT(a.index_slot, 0);
  int in_registers = 0;
  std::set<int> slots{a.index_slot};
  for (litmus::Reg r = 0; r < litmus::kNumRegs; ++r) {
    ASSERT_TRUE(a.homes[r]);
    if (a.homes[r]->in_machine_reg) {
      ++in_registers;
    } else {
      EXPECT_GE(r, 7) << "the most used registers stay in machine registers";
      EXPECT_TRUE(slots.insert(a.homes[r]->stack_off).second) << "slot shared";
      EXPECT_EQ(a.homes[r]->stack_off % 8, 0);
      EXPECT_LT(a.homes[r]->stack_off, kSyncSlot) << "sync's own slot is not reused";
    }
  }
  EXPECT_EQ(in_registers, 7);
  EXPECT_EQ(a.stack_bytes, 8 * (1 + 1 + 4));  // sync slot, index, four spills
  expect_distinct(a);
}

TEST(RegisterAllocation, WideImmediatesReserveASecondScratch) {
  RegisterDemand demand = demand_of({{1, 1}});
  demand.wide_immediate = true;
  const Allocation a = allocate_registers(demand);
  ASSERT_TRUE(a.scratch2);
  expect_distinct(a);
}

TEST(RegisterAllocation, ProgramsRecordTheHomes) {
  using testing::compile_ok;
  using testing::parse;
  const CompiledTest compiled = compile_ok(parse(
      "BPF t\n{ 0:r10=x; 0:r0=0; 0:r1=1; }\n P0 ;\n r0 = cmpxchg_64(r10 + 0, r0, r1) ;\nexists (0:r0=0)\n"));
  ASSERT_EQ(compiled.programs.size(), 1u);
  EXPECT_EQ(testing::machine_reg(compiled.programs[0], 0), 0);
  EXPECT_EQ(testing::machine_reg(compiled.programs[0], 1), 1);
  const int r10 = testing::machine_reg(compiled.programs[0], 10);
  EXPECT_GE(r10, 0);
  EXPECT_LT(r10, 10);
}

}  // namespace
}  // namespace bpf_litmus::codegen
