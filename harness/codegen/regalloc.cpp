#include "codegen/regalloc.hpp"

#include <algorithm>
#include <initializer_list>
#include <vector>

namespace bpf_litmus::codegen {
namespace {

constexpr int kMachineRegs = 10;  // r0..r9; r10 is the frame pointer

class FreeRegisters {
 public:
  void take(std::uint8_t reg) { taken_[reg] = true; }
  // The first free register of `preference`, taken.
  std::uint8_t pick(std::initializer_list<std::uint8_t> preference) {
    for (std::uint8_t reg : preference) {
      if (!taken_[reg]) {
        taken_[reg] = true;
        return reg;
      }
    }
    return kNone;  // unreachable: allocate_registers counts before picking
  }
  static constexpr std::uint8_t kNone = 0xff;

 private:
  std::array<bool, kMachineRegs> taken_{};
};

// Base and index stay where the sync code put them when they can (no moves);
// scratch registers prefer caller-saved ones.
constexpr std::initializer_list<std::uint8_t> kBaseOrder = {7, 6, 9, 8, 5, 4, 3, 2, 1, 0};
constexpr std::initializer_list<std::uint8_t> kIndexOrder = {6, 9, 8, 5, 4, 3, 2, 1, 0, 7};
constexpr std::initializer_list<std::uint8_t> kScratchOrder = {0, 1, 2, 3, 4, 5, 8, 9, 6, 7};

}  // namespace

bool Allocation::spills() const {
  return std::any_of(homes.begin(), homes.end(), [](const auto& home) { return home && !home->in_machine_reg; });
}

Allocation allocate_registers(const RegisterDemand& demand) {
  // Test registers by priority: r0 first when cmpxchg needs it in machine r0,
  // then the most used.
  std::vector<litmus::Reg> used;
  for (litmus::Reg r = 0; r < litmus::kNumRegs; ++r) {
    if (demand.uses[r] > 0 || (r == 0 && demand.cmpxchg)) used.push_back(r);
  }
  std::stable_sort(used.begin(), used.end(), [&](litmus::Reg a, litmus::Reg b) {
    const bool a_first = a == 0 && demand.cmpxchg;
    const bool b_first = b == 0 && demand.cmpxchg;
    if (a_first != b_first) return a_first;
    return demand.uses[a] > demand.uses[b];
  });

  const int n = static_cast<int>(used.size());
  const int wide = demand.wide_immediate ? 1 : 0;
  bool index_in_reg = true;
  bool need_scratch2 = demand.wide_immediate;
  int in_registers = n;
  if (n + 3 + wide > kMachineRegs) {
    // Cheapest first: the index is touched twice per instance, a test
    // register possibly many times.
    index_in_reg = false;
    if (n + 2 + wide > kMachineRegs) {
      need_scratch2 = true;
      in_registers = kMachineRegs - 3;
    }
  }

  Allocation result;
  FreeRegisters free;
  for (int i = 0; i < in_registers; ++i) {
    const litmus::Reg r = used[static_cast<std::size_t>(i)];
    if (r < kMachineRegs) {
      free.take(r);
      result.homes[r] = RegisterHome{r, true, r, 0};
    }
  }
  result.base = free.pick(kBaseOrder);
  if (index_in_reg) result.index = free.pick(kIndexOrder);
  for (int i = 0; i < in_registers; ++i) {
    const litmus::Reg r = used[static_cast<std::size_t>(i)];
    if (r >= kMachineRegs) result.homes[r] = RegisterHome{r, true, free.pick(kScratchOrder), 0};
  }
  result.scratch = free.pick(kScratchOrder);
  if (need_scratch2) result.scratch2 = free.pick(kScratchOrder);

  std::int16_t next_slot = kSyncSlot;
  if (!index_in_reg) {
    next_slot = static_cast<std::int16_t>(next_slot - 8);
    result.index_slot = next_slot;
  }
  for (int i = in_registers; i < n; ++i) {
    const litmus::Reg r = used[static_cast<std::size_t>(i)];
    next_slot = static_cast<std::int16_t>(next_slot - 8);
    result.homes[r] = RegisterHome{r, false, 0, next_slot};
  }
  result.stack_bytes = static_cast<std::uint16_t>(-next_slot);
  return result;
}

}  // namespace bpf_litmus::codegen
