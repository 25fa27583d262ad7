#include "audit/native_disasm.hpp"

#include <capstone/capstone.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include "audit/riscv_disasm.hpp"

namespace bpf_litmus::audit {
namespace {

// An arm64 register name: x/w by width, 31 is the stack pointer as a base.
std::string arm64_reg(unsigned number, bool wide, bool base = false) {
  if (number == 31) return base ? "sp" : (wide ? "xzr" : "wzr");
  return (wide ? "x" : "w") + std::to_string(number);
}

// ARMv8.1 atomic memory operations and compare-and-swap, and ARMv8.3 LDAPR
// (Arm ARM C4.1 "Loads and stores" encoding tables), which capstone 4 lacks.
std::optional<NativeInsn> decode_arm64_atomic(std::uint32_t word) {
  const unsigned size = word >> 30;
  const unsigned rs = (word >> 16) & 31;
  const unsigned rn = (word >> 5) & 31;
  const unsigned rt = word & 31;
  const bool wide = size == 3;
  const std::string suffix = size == 0 ? "b" : size == 1 ? "h" : "";
  const std::string base = "[" + arm64_reg(rn, true, true) + "]";
  NativeInsn insn;
  insn.memory = MemoryOperand::NotFirst;
  if ((word & 0x3f200c00u) == 0x38200000u) {  // LD<op>, ST<op>, SWP, LDAPR
    const bool acquire = (word >> 23) & 1;
    const bool release = (word >> 22) & 1;
    const unsigned o3 = (word >> 15) & 1;
    const unsigned opc = (word >> 12) & 7;
    if (o3 == 1 && opc == 4 && acquire && !release && rs == 31) {
      insn.mnemonic = "ldapr" + suffix;
      insn.operands = arm64_reg(rt, wide) + ", " + base;
      return insn;
    }
    static constexpr const char* kOps[] = {"add", "clr", "eor", "set", "smax", "smin", "umax", "umin"};
    std::string op;
    if (o3 == 0) {
      op = kOps[opc];
    } else if (opc == 0) {
      op = "swp";
    } else {
      return std::nullopt;
    }
    const std::string order = std::string(acquire ? "a" : "") + (release ? "l" : "");
    if (o3 == 0 && !acquire && rt == 31) {  // ST<op>: the load's result is discarded
      insn.mnemonic = "st" + op + order + suffix;
      insn.operands = arm64_reg(rs, wide) + ", " + base;
    } else {
      insn.mnemonic = (o3 == 0 ? "ld" : "") + op + order + suffix;
      insn.operands = arm64_reg(rs, wide) + ", " + arm64_reg(rt, wide) + ", " + base;
    }
    return insn;
  }
  if ((word & 0x3fa07c00u) == 0x08a07c00u) {  // CAS, CASA, CASL, CASAL
    const bool acquire = (word >> 22) & 1;
    const bool release = (word >> 15) & 1;
    insn.mnemonic = std::string("cas") + (acquire ? "a" : "") + (release ? "l" : "") + suffix;
    insn.operands = arm64_reg(rs, wide) + ", " + arm64_reg(rt, wide) + ", " + base;
    return insn;
  }
  return std::nullopt;
}

// Where the memory operand of a capstone instruction is, if it accesses memory.
MemoryOperand memory_operand(Isa isa, const cs_insn& insn) {
  const std::string_view mnemonic = insn.mnemonic;
  if (isa == Isa::Ppc64) {
    // Indexed and reserved forms (ldarx r9, 0, r3) name their address as
    // registers, not as a memory operand: the table's rows say which access.
    for (std::uint8_t i = 0; i < insn.detail->ppc.op_count; ++i) {
      if (insn.detail->ppc.operands[i].type == PPC_OP_MEM) return MemoryOperand::NotFirst;
    }
    const IsaOrderingRow* row = find_isa_ordering_row(isa, mnemonic, insn.op_str, MemoryOperand::NotFirst);
    return row != nullptr ? MemoryOperand::NotFirst : MemoryOperand::None;
  }
  if (isa == Isa::S390x) {
    for (std::uint8_t i = 0; i < insn.detail->sysz.op_count; ++i) {
      if (insn.detail->sysz.operands[i].type == SYSZ_OP_MEM) return MemoryOperand::NotFirst;
    }
    return MemoryOperand::None;
  }
  if (isa == Isa::X86_64) {
    if (mnemonic == "lea" || mnemonic.starts_with("nop")) return MemoryOperand::None;  // address only
    const cs_x86& x86 = insn.detail->x86;
    for (std::uint8_t i = 0; i < x86.op_count; ++i) {
      if (x86.operands[i].type == X86_OP_MEM) return i == 0 ? MemoryOperand::First : MemoryOperand::NotFirst;
    }
    return MemoryOperand::None;
  }
  const cs_arm64& arm64 = insn.detail->arm64;
  for (std::uint8_t i = 0; i < arm64.op_count; ++i) {
    if (arm64.operands[i].type == ARM64_OP_MEM) return MemoryOperand::NotFirst;
  }
  return MemoryOperand::None;
}

struct CapstoneCloser {
  void operator()(csh* handle) const {
    cs_close(handle);
    delete handle;
  }
};

std::unique_ptr<csh, CapstoneCloser> open_capstone(Isa isa) {
  auto handle = std::unique_ptr<csh, CapstoneCloser>(new csh{});
  cs_err err = CS_ERR_ARCH;
  switch (isa) {
    case Isa::X86_64: err = cs_open(CS_ARCH_X86, CS_MODE_64, handle.get()); break;
    case Isa::Arm64: err = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, handle.get()); break;
    case Isa::Ppc64:
      err = cs_open(CS_ARCH_PPC, static_cast<cs_mode>(CS_MODE_64 | CS_MODE_LITTLE_ENDIAN), handle.get());
      break;
    case Isa::S390x: err = cs_open(CS_ARCH_SYSZ, CS_MODE_BIG_ENDIAN, handle.get()); break;
    case Isa::Riscv64: break;  // riscv_disasm.cpp
  }
  if (err != CS_ERR_OK) throw std::runtime_error(std::string("capstone: ") + cs_strerror(err));
  cs_option(*handle, CS_OPT_DETAIL, CS_OPT_ON);
  return handle;
}

// The length of the s390x instruction starting with `first` (its two top bits).
std::size_t s390x_length(std::uint8_t first) { return first < 0x40 ? 2 : first < 0xc0 ? 4 : 6; }

}  // namespace

std::string NativeInsn::text() const { return operands.empty() ? mnemonic : mnemonic + " " + operands; }

std::vector<NativeInsn> disassemble_native(Isa isa, std::span<const std::uint8_t> code) {
  if (isa == Isa::Riscv64) return disassemble_riscv64(code);
  const auto handle = open_capstone(isa);
  cs_insn* insn = cs_malloc(*handle);
  std::vector<NativeInsn> out;
  const std::uint8_t* cursor = code.data();
  std::size_t left = code.size();
  std::uint64_t address = 0;
  while (left > 0) {
    const std::uint64_t at = address;
    const std::uint8_t* start = cursor;
    if (cs_disasm_iter(*handle, &cursor, &left, &address, insn)) {
      NativeInsn& decoded = out.emplace_back();
      decoded.offset = at;
      decoded.bytes.assign(insn->bytes, insn->bytes + insn->size);
      decoded.mnemonic = insn->mnemonic;
      decoded.operands = insn->op_str;
      decoded.memory = memory_operand(isa, *insn);
      continue;
    }
    // capstone stopped: decode the word ourselves or step over it
    const std::size_t width = isa == Isa::Arm64 || isa == Isa::Ppc64 ? 4 : isa == Isa::S390x ? s390x_length(*start) : 1;
    const std::size_t step = std::min(width, left);
    std::optional<NativeInsn> fallback;
    if (isa == Isa::Arm64 && step == 4) {
      const std::uint32_t word = start[0] | start[1] << 8 | start[2] << 16 | static_cast<std::uint32_t>(start[3]) << 24;
      fallback = decode_arm64_atomic(word);
      if (!fallback) {
        char text[16];
        std::snprintf(text, sizeof text, "0x%08x", word);
        fallback = NativeInsn{0, {}, ".inst", text, MemoryOperand::None, false};
      }
    } else {
      std::string text;
      for (std::size_t i = 0; i < step; ++i) {
        char pair[4];
        std::snprintf(pair, sizeof pair, "%02x", start[i]);
        text += pair;
      }
      fallback = NativeInsn{0, {}, step == 1 ? ".byte" : ".inst", "0x" + text, MemoryOperand::None, false};
    }
    fallback->offset = at;
    fallback->bytes.assign(start, start + step);
    out.push_back(std::move(*fallback));
    cursor = start + step;
    left -= step;
    address = at + step;
  }
  cs_free(insn, 1);
  return out;
}

std::string format_native(std::span<const NativeInsn> insns, std::string_view indent) {
  std::string text;
  for (const NativeInsn& insn : insns) {
    char head[32];
    std::snprintf(head, sizeof head, "0x%04llx: ", static_cast<unsigned long long>(insn.offset));
    std::string hex;
    for (const std::uint8_t byte : insn.bytes) {
      char pair[4];
      std::snprintf(pair, sizeof pair, "%02x ", byte);
      hex += pair;
    }
    if (hex.size() < 24) hex.resize(24, ' ');
    text += std::string(indent) + head + hex + " " + insn.text() + "\n";
  }
  return text;
}

}  // namespace bpf_litmus::audit
