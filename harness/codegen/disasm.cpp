#include "codegen/disasm.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#include "codegen/uapi_compat.hpp"

namespace bpf_litmus::codegen {
namespace {

// Indexed by BPF_OP(code) >> 4, as in the kernel's tables.
constexpr std::array<const char*, 16> kAluOps = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
                                                 "neg", "%=", "^=", "=", "s>>=", "endian", nullptr, nullptr};
constexpr std::array<const char*, 16> kJumpOps = {"goto", "==", ">",   ">=", "&",  "!=",    "s>",  "s>=",
                                                  "call", "exit", "<", "<=", "s<", "s<=", "may_goto", nullptr};
// Indexed by BPF_SIZE(code) >> 3.
constexpr std::array<const char*, 4> kSizes = {"u32", "u16", "u8", "u64"};
constexpr std::array<const char*, 4> kSignedSizes = {"s32", "s16", "s8", "s64"};
// Atomic read-modify-write names, indexed by BPF_OP(imm) >> 4 for add/or/and/xor.
constexpr std::array<const char*, 11> kAtomicOps = {"add", nullptr, nullptr, nullptr, "or", "and",
                                                    nullptr, nullptr, nullptr, nullptr, "xor"};

struct Helper {
  std::int32_t id;
  const char* name;
};
constexpr std::array<Helper, 6> kHelpers = {{{BPF_FUNC_map_lookup_elem, "bpf_map_lookup_elem"},
                                             {BPF_FUNC_ktime_get_ns, "bpf_ktime_get_ns"},
                                             {BPF_FUNC_trace_printk, "bpf_trace_printk"},
                                             {BPF_FUNC_get_prandom_u32, "bpf_get_prandom_u32"},
                                             {BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id"},
                                             {BPF_FUNC_loop, "bpf_loop"}}};

std::string reg(char prefix, unsigned r) { return std::string(1, prefix) + std::to_string(r); }
std::string r(unsigned n) { return reg('r', n); }
std::string signed_off(std::int32_t off) { return (off >= 0 ? "+" : "") + std::to_string(off); }
std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}
std::string size_name(std::uint8_t code) { return kSizes[BPF_SIZE(code) >> 3]; }
// `(u32 *)(r2 +0)`
std::string memory(std::uint8_t code, unsigned base, std::int16_t off) {
  return "(" + size_name(code) + " *)(" + r(base) + " " + signed_off(off) + ")";
}
std::string invalid(const bpf_insn& insn) { return "invalid insn (code " + hex(insn.code) + ")"; }

std::string alu(const bpf_insn& insn) {
  const bool wide = BPF_CLASS(insn.code) == BPF_ALU64;
  const char p = wide ? 'r' : 'w';
  const unsigned op = BPF_OP(insn.code);
  const std::string dst = reg(p, insn.dst_reg);
  if (op == BPF_END) {
    const char* kind = wide ? "bswap" : BPF_SRC(insn.code) == BPF_X ? "be" : "le";
    return dst + " = " + kind + std::to_string(insn.imm) + " " + dst;
  }
  if (op == BPF_NEG) return dst + " = -" + dst;
  const char* name = kAluOps[op >> 4];
  if (name == nullptr) return invalid(insn);
  std::string text = name;
  if ((op == BPF_DIV || op == BPF_MOD) && insn.off == 1) text = "s" + text;  // sdiv, smod (cpu v4)
  if (BPF_SRC(insn.code) == BPF_K) return dst + " " + text + " " + std::to_string(insn.imm);
  std::string src = reg(p, insn.src_reg);
  if (op == BPF_MOV && insn.off != 0) src = "(s" + std::to_string(insn.off) + ")" + src;  // movsx
  return dst + " " + text + " " + src;
}

std::string atomic(const bpf_insn& insn) {
  const bool wide = BPF_SIZE(insn.code) == BPF_DW;
  const std::string mem = memory(insn.code, insn.dst_reg, insn.off);
  const std::string atomic64 = wide ? "atomic64" : "atomic";
  switch (insn.imm) {
    case BPF_XCHG: return r(insn.src_reg) + " = " + atomic64 + "_xchg(" + mem + ", " + r(insn.src_reg) + ")";
    case BPF_CMPXCHG: return "r0 = " + atomic64 + "_cmpxchg(" + mem + ", r0, " + r(insn.src_reg) + ")";
    case BPF_LOAD_ACQ:
      return r(insn.dst_reg) + " = load_acquire(" + memory(insn.code, insn.src_reg, insn.off) + ")";
    case BPF_STORE_REL: return "store_release(" + mem + ", " + r(insn.src_reg) + ")";
    default: break;
  }
  const std::uint32_t op = static_cast<std::uint32_t>(insn.imm) & ~static_cast<std::uint32_t>(BPF_FETCH);
  const bool fetch = (insn.imm & BPF_FETCH) != 0;
  if (op > 0xff || (op & 0xf) != 0 || (op >> 4) >= kAtomicOps.size() || kAtomicOps[op >> 4] == nullptr) {
    return invalid(insn);
  }
  if (!fetch) return "lock *" + mem + " " + kAluOps[op >> 4] + " " + r(insn.src_reg);
  return r(insn.src_reg) + " = " + atomic64 + "_fetch_" + kAtomicOps[op >> 4] + "(" + mem + ", " +
         r(insn.src_reg) + ")";
}

std::string jump(const bpf_insn& insn) {
  const bool wide = BPF_CLASS(insn.code) == BPF_JMP;
  const unsigned op = BPF_OP(insn.code);
  if (op == BPF_CALL) {
    if (insn.src_reg == BPF_PSEUDO_CALL) return "call pc" + signed_off(insn.imm);
    for (const Helper& helper : kHelpers) {
      if (helper.id == insn.imm) return std::string("call ") + helper.name + "#" + std::to_string(insn.imm);
    }
    return "call unknown#" + std::to_string(insn.imm);
  }
  if (op == BPF_EXIT) return "exit";
  if (op == BPF_JA) return wide ? "goto pc" + signed_off(insn.off) : "gotol pc" + signed_off(insn.imm);
  if (op == BPF_JCOND) return insn.src_reg == BPF_MAY_GOTO ? "may_goto pc" + signed_off(insn.off) : invalid(insn);
  if (kJumpOps[op >> 4] == nullptr) return invalid(insn);
  const char p = wide ? 'r' : 'w';
  const std::string rhs = BPF_SRC(insn.code) == BPF_X ? reg(p, insn.src_reg) : hex(static_cast<std::uint32_t>(insn.imm));
  return "if " + reg(p, insn.dst_reg) + " " + kJumpOps[op >> 4] + " " + rhs + " goto pc" + signed_off(insn.off);
}

std::string ld_imm64(std::span<const bpf_insn> program, std::size_t index) {
  const bpf_insn& insn = program[index];
  if (index + 1 >= program.size()) return invalid(insn) + " without its second slot";
  const std::uint32_t high = static_cast<std::uint32_t>(program[index + 1].imm);
  const std::uint32_t low = static_cast<std::uint32_t>(insn.imm);
  const std::string dst = r(insn.dst_reg) + " = ";
  switch (insn.src_reg) {
    case BPF_PSEUDO_MAP_FD: return dst + "map[fd:" + std::to_string(insn.imm) + "]";
    case BPF_PSEUDO_MAP_VALUE: return dst + "map[fd:" + std::to_string(insn.imm) + "][0]+" + std::to_string(high);
    case BPF_PSEUDO_FUNC: return dst + "func pc" + signed_off(insn.imm);
    default: return dst + hex((std::uint64_t{high} << 32) | low) + " ll";
  }
}

}  // namespace

std::string disassemble(std::span<const bpf_insn> program, std::size_t index) {
  if (index >= program.size()) return "past the end of the program";
  const bpf_insn& insn = program[index];
  if (index > 0 && program[index - 1].code == (BPF_LD | BPF_IMM | BPF_DW) && insn.code == 0) {
    return "(second slot of ld_imm64)";
  }
  switch (BPF_CLASS(insn.code)) {
    case BPF_ALU:
    case BPF_ALU64: return alu(insn);
    case BPF_JMP:
    case BPF_JMP32: return jump(insn);
    case BPF_LDX:
      if (BPF_MODE(insn.code) == BPF_MEM) return r(insn.dst_reg) + " = *" + memory(insn.code, insn.src_reg, insn.off);
      if (BPF_MODE(insn.code) == BPF_MEMSX) {
        return r(insn.dst_reg) + " = *(" + kSignedSizes[BPF_SIZE(insn.code) >> 3] + " *)(" + r(insn.src_reg) + " " +
               signed_off(insn.off) + ")";
      }
      return invalid(insn);
    case BPF_ST:
      if (BPF_MODE(insn.code) != BPF_MEM) return invalid(insn);
      return "*" + memory(insn.code, insn.dst_reg, insn.off) + " = " + std::to_string(insn.imm);
    case BPF_STX:
      if (BPF_MODE(insn.code) == BPF_MEM) return "*" + memory(insn.code, insn.dst_reg, insn.off) + " = " + r(insn.src_reg);
      if (BPF_MODE(insn.code) == BPF_ATOMIC) return atomic(insn);
      return invalid(insn);
    case BPF_LD:
      if (insn.code == (BPF_LD | BPF_IMM | BPF_DW)) return ld_imm64(program, index);
      return invalid(insn);
    default: return invalid(insn);
  }
}

std::string disassemble_line(std::span<const bpf_insn> program, std::size_t index) {
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%4zu: (%02x) ", index, index < program.size() ? program[index].code : 0);
  return prefix + disassemble(program, index);
}

std::string disassemble_program(std::span<const bpf_insn> program) {
  std::string text;
  for (std::size_t i = 0; i < program.size(); ++i) {
    text += disassemble_line(program, i) + "\n";
    if (program[i].code == (BPF_LD | BPF_IMM | BPF_DW)) ++i;
  }
  return text;
}

}  // namespace bpf_litmus::codegen
