// A small table-driven RV64GC decoder for the code BPF JITs emit (Debian 12's
// capstone 4 has no riscv): the base integer instructions, M, A with Zacas
// (amocas), Zba/Zbb register forms, fences and the compressed (C) forms,
// which are printed as the instructions they expand to, as objdump does.
// Floating point, vector and CSR instructions are not decoded.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "audit/native_disasm.hpp"

namespace bpf_litmus::audit {

[[nodiscard]] std::vector<NativeInsn> disassemble_riscv64(std::span<const std::uint8_t> code);

}  // namespace bpf_litmus::audit
