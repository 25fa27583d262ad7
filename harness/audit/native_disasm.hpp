// Native machine code as text: capstone 4 (Debian 12) for x86-64 and arm64,
// plus a decoder of the arm64 LSE atomics (ARMv8.1: LDADD, SWP, CAS, ...)
// and LDAPR, which capstone 4 does not know and which arm64 JITs emit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audit/isa_ordering.hpp"

namespace bpf_litmus::audit {

struct NativeInsn {
  std::uint64_t offset = 0;  // from the start of the image
  std::vector<std::uint8_t> bytes;
  std::string mnemonic;      // as capstone spells it, x86 prefixes included: "lock xadd"
  std::string operands;      // "qword ptr [rdi], rsi"; "ish" for `dmb ish`
  MemoryOperand memory = MemoryOperand::None;  // where its memory operand is, if it accesses memory
  bool decoded = true;       // false: bytes no decoder knows (mnemonic ".byte"/".inst")

  [[nodiscard]] std::string text() const;  // "lock xadd qword ptr [rdi], rsi"
};

// Every instruction of `code`; undecodable bytes become `.byte`/`.inst` entries.
[[nodiscard]] std::vector<NativeInsn> disassemble_native(Isa isa, std::span<const std::uint8_t> code);

// One line per instruction: `  0x1c: f0 48 0f c1 37        lock xadd qword ptr [rdi], rsi`.
[[nodiscard]] std::string format_native(std::span<const NativeInsn> insns, std::string_view indent = "  ");

}  // namespace bpf_litmus::audit
