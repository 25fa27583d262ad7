// Register allocation for one thread's instance body.
//
// A test names r0..r10; a real program has r0..r9 to spare (r10 is its frame
// pointer) and needs a few for itself. Test registers keep their own number
// when they can (r10 never can), the harness takes what is left, and when
// there is not enough the least used test registers live in stack slots.
#pragma once

#include <linux/bpf.h>

#include <array>
#include <cstdint>
#include <optional>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"

namespace bpf_litmus::codegen {

// Registers the instance loop and the sync code use before the body's
// registers are set up: callee-saved, because sync may call helpers.
inline constexpr std::uint8_t kSyncIndexReg = BPF_REG_6;  // instance index
inline constexpr std::uint8_t kSyncBaseReg = BPF_REG_7;   // arena base pointer
inline constexpr std::uint8_t kSyncCountReg = BPF_REG_9;  // Timebase: wait bound
// Stack slot for sync's own use (Timebase: the instance's start time).
inline constexpr std::int16_t kSyncSlot = -8;

struct RegisterDemand {
  std::array<std::uint32_t, litmus::kNumRegs> uses{};  // times each test register is named; 0: unused
  bool cmpxchg = false;         // BPF_CMPXCHG works on machine r0: test r0 must live there
  bool wide_immediate = false;  // some immediate needs a scratch register (ld_imm64)
};

struct Allocation {
  std::array<std::optional<RegisterHome>, litmus::kNumRegs> homes;  // by test register
  std::uint8_t base = kSyncBaseReg;     // arena base pointer during the body
  std::uint8_t scratch = BPF_REG_0;     // addresses, spilled values
  std::optional<std::uint8_t> scratch2;  // present when values are spilled or immediates are wide
  std::optional<std::uint8_t> index;     // instance index during the body, or...
  std::int16_t index_slot = 0;           // ...its stack slot when it has no register
  std::uint16_t stack_bytes = 0;         // bytes below the frame pointer in use

  bool spills() const;
};

// Homes for every test register `demand` names, and the harness registers.
[[nodiscard]] Allocation allocate_registers(const RegisterDemand& demand);

}  // namespace bpf_litmus::codegen
