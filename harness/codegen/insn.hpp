// Builders for struct bpf_insn: the one place that knows how each BPF
// instruction is encoded (Documentation/bpf/standardization/instruction-set.rst).
// Everything that emits BPF code, generated or fixed, goes through these.
#pragma once

#include <linux/bpf.h>

#include <array>
#include <cstdint>

#include "codegen/uapi_compat.hpp"

namespace bpf_litmus::codegen::insn {

constexpr bpf_insn make(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off,
                        std::int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

// Size field of a load, store or atomic for a width in bytes (1, 2, 4, 8).
constexpr std::uint8_t size_bits(unsigned bytes) {
  return bytes == 1 ? BPF_B : bytes == 2 ? BPF_H : bytes == 4 ? BPF_W : BPF_DW;
}

// ALU64: dst op= src / dst op= imm (op is BPF_ADD, BPF_SUB, ..., BPF_MOV).
constexpr bpf_insn alu64_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src) {
  return make(BPF_ALU64 | op | BPF_X, dst, src, 0, 0);
}
constexpr bpf_insn alu64_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return make(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}
constexpr bpf_insn mov64_reg(std::uint8_t dst, std::uint8_t src) { return alu64_reg(BPF_MOV, dst, src); }
constexpr bpf_insn mov64_imm(std::uint8_t dst, std::int32_t imm) { return alu64_imm(BPF_MOV, dst, imm); }

// dst = *(size *)(src + off)
constexpr bpf_insn load(unsigned bytes, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return make(BPF_LDX | size_bits(bytes) | BPF_MEM, dst, src, off, 0);
}
// *(size *)(dst + off) = src
constexpr bpf_insn store_reg(unsigned bytes, std::uint8_t dst, std::int16_t off, std::uint8_t src) {
  return make(BPF_STX | size_bits(bytes) | BPF_MEM, dst, src, off, 0);
}
// *(size *)(dst + off) = imm
constexpr bpf_insn store_imm(unsigned bytes, std::uint8_t dst, std::int16_t off, std::int32_t imm) {
  return make(BPF_ST | size_bits(bytes) | BPF_MEM, dst, 0, off, imm);
}
// BPF_ATOMIC: imm is BPF_ADD/AND/OR/XOR [| BPF_FETCH], BPF_XCHG, BPF_CMPXCHG,
// BPF_LOAD_ACQ (dst = *(src + off)) or BPF_STORE_REL (*(dst + off) = src).
constexpr bpf_insn atomic(unsigned bytes, std::int32_t op, std::uint8_t dst, std::uint8_t src,
                          std::int16_t off) {
  return make(BPF_STX | size_bits(bytes) | BPF_ATOMIC, dst, src, off, op);
}
constexpr bpf_insn load_acquire(unsigned bytes, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return atomic(bytes, BPF_LOAD_ACQ, dst, src, off);
}
constexpr bpf_insn store_release(unsigned bytes, std::uint8_t dst, std::int16_t off, std::uint8_t src) {
  return atomic(bytes, BPF_STORE_REL, dst, src, off);
}

// Jumps: off counts instructions after the jump. op is BPF_JEQ, BPF_JNE, ...
constexpr bpf_insn jmp_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return make(BPF_JMP | op | BPF_X, dst, src, off, 0);
}
constexpr bpf_insn jmp_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm, std::int16_t off) {
  return make(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}
constexpr bpf_insn ja(std::int16_t off) { return make(BPF_JMP | BPF_JA, 0, 0, off, 0); }
constexpr bpf_insn may_goto(std::int16_t off) { return make(BPF_JMP | BPF_JCOND, 0, BPF_MAY_GOTO, off, 0); }
constexpr bpf_insn call_helper(std::int32_t helper_id) { return make(BPF_JMP | BPF_CALL, 0, 0, 0, helper_id); }
// A BPF-to-BPF call or a callback reference uses src_reg BPF_PSEUDO_CALL /
// BPF_PSEUDO_FUNC with imm the instruction offset of the callee.
constexpr bpf_insn call_local(std::int32_t rel) { return make(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel); }
constexpr bpf_insn exit() { return make(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

// Two-slot 64-bit immediate load.
constexpr std::array<bpf_insn, 2> ld_imm64(std::uint8_t dst, std::uint64_t value) {
  return {make(BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, static_cast<std::int32_t>(value & 0xffffffffu)),
          make(0, 0, 0, 0, static_cast<std::int32_t>(value >> 32))};
}
// dst = address of byte `offset` in the value of the map whose fd is map_fd.
constexpr std::array<bpf_insn, 2> ld_map_value(std::uint8_t dst, int map_fd, std::uint32_t offset) {
  return {make(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_VALUE, 0, map_fd),
          make(0, 0, 0, 0, static_cast<std::int32_t>(offset))};
}
// dst = address of the subprogram `rel` instructions after this one (for bpf_loop).
constexpr std::array<bpf_insn, 2> ld_func(std::uint8_t dst, std::int32_t rel) {
  return {make(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_FUNC, 0, rel), make(0, 0, 0, 0, 0)};
}

}  // namespace bpf_litmus::codegen::insn
