#include "audit/riscv_disasm.hpp"

#include <array>
#include <cstdio>
#include <optional>
#include <string>

namespace bpf_litmus::audit {
namespace {

// RISC-V Unprivileged ISA, ch. 25 "RV32/64G Instruction Set Listings" and
// ch. 16 "C Standard Extension" (table 16.5-16.7) give every field used here.

constexpr std::array<const char*, 32> kRegs = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
                                               "a1",   "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
                                               "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

std::string reg(std::uint32_t number) { return kRegs[number & 31]; }

std::uint32_t bits(std::uint32_t word, unsigned high, unsigned low) {
  return (word >> low) & ((1u << (high - low + 1)) - 1);
}

std::int64_t sign_extend(std::uint64_t value, unsigned width) {
  const std::uint64_t sign = 1ull << (width - 1);
  return static_cast<std::int64_t>((value ^ sign) - sign);
}

std::string num(std::int64_t value) { return std::to_string(value); }

std::string mem(std::int64_t offset, std::uint32_t base) { return num(offset) + "(" + reg(base) + ")"; }

struct Decoded {
  std::string mnemonic;
  std::string operands;
  MemoryOperand memory = MemoryOperand::None;
};

Decoded plain(std::string mnemonic, std::string operands) { return {std::move(mnemonic), std::move(operands)}; }
Decoded access(std::string mnemonic, std::string operands) {
  return {std::move(mnemonic), std::move(operands), MemoryOperand::NotFirst};
}

// funct7, funct3 -> name for the register-register ALU forms (OP and OP-32).
struct AluForm {
  std::uint32_t funct7;
  std::uint32_t funct3;
  const char* name;
};
constexpr AluForm kOp[] = {
    {0x00, 0, "add"},    {0x20, 0, "sub"},    {0x00, 1, "sll"},    {0x00, 2, "slt"},    {0x00, 3, "sltu"},
    {0x00, 4, "xor"},    {0x00, 5, "srl"},    {0x20, 5, "sra"},    {0x00, 6, "or"},     {0x00, 7, "and"},
    {0x01, 0, "mul"},    {0x01, 1, "mulh"},   {0x01, 2, "mulhsu"}, {0x01, 3, "mulhu"},  {0x01, 4, "div"},
    {0x01, 5, "divu"},   {0x01, 6, "rem"},    {0x01, 7, "remu"},   {0x10, 2, "sh1add"}, {0x10, 4, "sh2add"},
    {0x10, 6, "sh3add"}, {0x20, 7, "andn"},   {0x20, 6, "orn"},    {0x20, 4, "xnor"},   {0x05, 6, "max"},
    {0x05, 7, "maxu"},   {0x05, 4, "min"},    {0x05, 5, "minu"},   {0x30, 1, "rol"},    {0x30, 5, "ror"},
};
constexpr AluForm kOp32[] = {
    {0x00, 0, "addw"}, {0x20, 0, "subw"},   {0x00, 1, "sllw"},  {0x00, 5, "srlw"},  {0x20, 5, "sraw"},
    {0x01, 0, "mulw"}, {0x01, 4, "divw"},   {0x01, 5, "divuw"}, {0x01, 6, "remw"},  {0x01, 7, "remuw"},
    {0x04, 0, "add.uw"},
};

// funct5 -> AMO name (A extension; amocas from Zacas).
constexpr std::pair<std::uint32_t, const char*> kAmo[] = {
    {0x00, "amoadd"}, {0x01, "amoswap"}, {0x02, "lr"},     {0x03, "sc"},      {0x04, "amoxor"},  {0x05, "amocas"},
    {0x08, "amoor"},  {0x0c, "amoand"},  {0x10, "amomin"}, {0x14, "amomax"},  {0x18, "amominu"}, {0x1c, "amomaxu"},
};

std::string fence_set(std::uint32_t set) {
  std::string text;
  if (set & 8) text += 'i';
  if (set & 4) text += 'o';
  if (set & 2) text += 'r';
  if (set & 1) text += 'w';
  return text.empty() ? "0" : text;
}

std::optional<Decoded> decode32(std::uint32_t w) {
  const std::uint32_t opcode = bits(w, 6, 0);
  const std::uint32_t rd = bits(w, 11, 7);
  const std::uint32_t funct3 = bits(w, 14, 12);
  const std::uint32_t rs1 = bits(w, 19, 15);
  const std::uint32_t rs2 = bits(w, 24, 20);
  const std::uint32_t funct7 = bits(w, 31, 25);
  const std::int64_t imm_i = sign_extend(bits(w, 31, 20), 12);
  switch (opcode) {
    case 0x03: {  // LOAD
      static constexpr const char* kLoads[] = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", nullptr};
      if (kLoads[funct3] == nullptr) return std::nullopt;
      return access(kLoads[funct3], reg(rd) + "," + mem(imm_i, rs1));
    }
    case 0x23: {  // STORE
      static constexpr const char* kStores[] = {"sb", "sh", "sw", "sd"};
      if (funct3 > 3) return std::nullopt;
      const std::int64_t imm = sign_extend(bits(w, 31, 25) << 5 | rd, 12);
      return access(kStores[funct3], reg(rs2) + "," + mem(imm, rs1));
    }
    case 0x13: {  // OP-IMM
      const std::uint32_t shamt = bits(w, 25, 20);
      switch (funct3) {
        case 0: return plain("addi", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
        case 1: return plain("slli", reg(rd) + "," + reg(rs1) + "," + num(shamt));
        case 2: return plain("slti", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
        case 3: return plain("sltiu", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
        case 4: return plain("xori", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
        case 5: return plain(bits(w, 30, 30) ? "srai" : "srli", reg(rd) + "," + reg(rs1) + "," + num(shamt));
        case 6: return plain("ori", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
        default: return plain("andi", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
      }
    }
    case 0x1b: {  // OP-IMM-32
      const std::uint32_t shamt = bits(w, 24, 20);
      if (funct3 == 0) return plain("addiw", reg(rd) + "," + reg(rs1) + "," + num(imm_i));
      if (funct3 == 1 && funct7 == 0x04) return plain("slli.uw", reg(rd) + "," + reg(rs1) + "," + num(bits(w, 25, 20)));
      if (funct3 == 1) return plain("slliw", reg(rd) + "," + reg(rs1) + "," + num(shamt));
      if (funct3 == 5) return plain(bits(w, 30, 30) ? "sraiw" : "srliw", reg(rd) + "," + reg(rs1) + "," + num(shamt));
      return std::nullopt;
    }
    case 0x33:
    case 0x3b: {  // OP, OP-32
      for (const AluForm& form : opcode == 0x33 ? std::span<const AluForm>(kOp) : std::span<const AluForm>(kOp32)) {
        if (form.funct7 == funct7 && form.funct3 == funct3) {
          return plain(form.name, reg(rd) + "," + reg(rs1) + "," + reg(rs2));
        }
      }
      return std::nullopt;
    }
    case 0x37: return plain("lui", reg(rd) + "," + num(bits(w, 31, 12)));
    case 0x17: return plain("auipc", reg(rd) + "," + num(bits(w, 31, 12)));
    case 0x6f: {  // JAL: imm[20|10:1|11|19:12]
      const std::uint32_t imm = bits(w, 31, 31) << 20 | bits(w, 19, 12) << 12 | bits(w, 20, 20) << 11 |
                                bits(w, 30, 21) << 1;
      return plain("jal", reg(rd) + "," + num(sign_extend(imm, 21)));
    }
    case 0x67: return plain("jalr", reg(rd) + "," + mem(imm_i, rs1));
    case 0x63: {  // BRANCH: imm[12|10:5] ... imm[4:1|11]
      static constexpr const char* kBranches[] = {"beq", "bne", nullptr, nullptr, "blt", "bge", "bltu", "bgeu"};
      if (kBranches[funct3] == nullptr) return std::nullopt;
      const std::uint32_t imm = bits(w, 31, 31) << 12 | bits(w, 7, 7) << 11 | bits(w, 30, 25) << 5 |
                                bits(w, 11, 8) << 1;
      return plain(kBranches[funct3], reg(rs1) + "," + reg(rs2) + "," + num(sign_extend(imm, 13)));
    }
    case 0x0f: {  // MISC-MEM
      if (funct3 == 1) return plain("fence.i", "");
      if (funct3 != 0) return std::nullopt;
      const std::uint32_t pred = bits(w, 27, 24);
      const std::uint32_t succ = bits(w, 23, 20);
      if (bits(w, 31, 28) == 8 && pred == 3 && succ == 3) return plain("fence.tso", "");
      return plain("fence", fence_set(pred) + "," + fence_set(succ));
    }
    case 0x2f: {  // AMO
      if (funct3 != 2 && funct3 != 3) return std::nullopt;
      const std::uint32_t funct5 = bits(w, 31, 27);
      for (const auto& [code, name] : kAmo) {
        if (code != funct5) continue;
        std::string mnemonic = std::string(name) + (funct3 == 2 ? ".w" : ".d");
        if (bits(w, 26, 26)) mnemonic += ".aq";
        if (bits(w, 25, 25)) mnemonic += bits(w, 26, 26) ? "rl" : ".rl";
        const std::string address = "(" + reg(rs1) + ")";
        if (funct5 == 0x02) return access(mnemonic, reg(rd) + "," + address);
        return access(mnemonic, reg(rd) + "," + reg(rs2) + "," + address);
      }
      return std::nullopt;
    }
    case 0x73:
      if (w == 0x00000073) return plain("ecall", "");
      if (w == 0x00100073) return plain("ebreak", "");
      return std::nullopt;
    default: return std::nullopt;
  }
}

// The compressed forms, expanded (C extension, RV64).
std::optional<Decoded> decode16(std::uint32_t h) {
  const std::uint32_t quadrant = bits(h, 1, 0);
  const std::uint32_t funct3 = bits(h, 15, 13);
  const std::uint32_t rd = bits(h, 11, 7);    // full register fields
  const std::uint32_t rs2 = bits(h, 6, 2);
  const std::uint32_t rd_c = bits(h, 4, 2) + 8;   // x8..x15 fields
  const std::uint32_t rs1_c = bits(h, 9, 7) + 8;
  const std::int64_t imm6 = sign_extend(bits(h, 12, 12) << 5 | bits(h, 6, 2), 6);
  const std::uint32_t lw_offset = bits(h, 12, 10) << 3 | bits(h, 6, 6) << 2 | bits(h, 5, 5) << 6;
  const std::uint32_t ld_offset = bits(h, 12, 10) << 3 | bits(h, 6, 5) << 6;
  if (h == 0) return std::nullopt;  // defined illegal
  if (quadrant == 0) {
    switch (funct3) {
      case 0: {
        const std::uint32_t imm = bits(h, 12, 11) << 4 | bits(h, 10, 7) << 6 | bits(h, 6, 6) << 2 | bits(h, 5, 5) << 3;
        return plain("addi", reg(rd_c) + ",sp," + num(imm));
      }
      case 2: return access("lw", reg(rd_c) + "," + mem(lw_offset, rs1_c));
      case 3: return access("ld", reg(rd_c) + "," + mem(ld_offset, rs1_c));
      case 6: return access("sw", reg(rd_c) + "," + mem(lw_offset, rs1_c));
      case 7: return access("sd", reg(rd_c) + "," + mem(ld_offset, rs1_c));
      default: return std::nullopt;
    }
  }
  if (quadrant == 1) {
    switch (funct3) {
      case 0: return rd == 0 ? plain("nop", "") : plain("addi", reg(rd) + "," + reg(rd) + "," + num(imm6));
      case 1: return plain("addiw", reg(rd) + "," + reg(rd) + "," + num(imm6));
      case 2: return plain("li", reg(rd) + "," + num(imm6));
      case 3:
        if (rd == 2) {
          const std::uint32_t imm = bits(h, 12, 12) << 9 | bits(h, 6, 6) << 4 | bits(h, 5, 5) << 6 |
                                    bits(h, 4, 3) << 7 | bits(h, 2, 2) << 5;
          return plain("addi", "sp,sp," + num(sign_extend(imm, 10)));
        }
        return plain("lui", reg(rd) + "," + num(imm6 & 0xfffff));
      case 4: {
        const std::uint32_t kind = bits(h, 11, 10);
        const std::uint32_t shamt = bits(h, 12, 12) << 5 | bits(h, 6, 2);
        if (kind == 0) return plain("srli", reg(rs1_c) + "," + reg(rs1_c) + "," + num(shamt));
        if (kind == 1) return plain("srai", reg(rs1_c) + "," + reg(rs1_c) + "," + num(shamt));
        if (kind == 2) return plain("andi", reg(rs1_c) + "," + reg(rs1_c) + "," + num(imm6));
        static constexpr const char* kOps[] = {"sub", "xor", "or", "and", "subw", "addw", nullptr, nullptr};
        const char* name = kOps[bits(h, 12, 12) << 2 | bits(h, 6, 5)];
        if (name == nullptr) return std::nullopt;
        return plain(name, reg(rs1_c) + "," + reg(rs1_c) + "," + reg(rd_c));
      }
      case 5: {  // offset[11|4|9:8|10|6|7|3:1|5]
        const std::uint32_t imm = bits(h, 12, 12) << 11 | bits(h, 11, 11) << 4 | bits(h, 10, 9) << 8 |
                                  bits(h, 8, 8) << 10 | bits(h, 7, 7) << 6 | bits(h, 6, 6) << 7 |
                                  bits(h, 5, 3) << 1 | bits(h, 2, 2) << 5;
        return plain("j", num(sign_extend(imm, 12)));
      }
      default: {  // beqz, bnez: offset[8|4:3] [7:6|2:1|5]
        const std::uint32_t imm = bits(h, 12, 12) << 8 | bits(h, 11, 10) << 3 | bits(h, 6, 5) << 6 |
                                  bits(h, 4, 3) << 1 | bits(h, 2, 2) << 5;
        return plain(funct3 == 6 ? "beqz" : "bnez", reg(rs1_c) + "," + num(sign_extend(imm, 9)));
      }
    }
  }
  if (quadrant == 2) {
    switch (funct3) {
      case 0: return plain("slli", reg(rd) + "," + reg(rd) + "," + num(bits(h, 12, 12) << 5 | bits(h, 6, 2)));
      case 2: {
        const std::uint32_t imm = bits(h, 12, 12) << 5 | bits(h, 6, 4) << 2 | bits(h, 3, 2) << 6;
        return access("lw", reg(rd) + "," + mem(imm, 2));
      }
      case 3: {
        const std::uint32_t imm = bits(h, 12, 12) << 5 | bits(h, 6, 5) << 3 | bits(h, 4, 2) << 6;
        return access("ld", reg(rd) + "," + mem(imm, 2));
      }
      case 4:
        if (bits(h, 12, 12) == 0) {
          return rs2 == 0 ? (rd == 1 ? plain("ret", "") : plain("jr", reg(rd))) : plain("mv", reg(rd) + "," + reg(rs2));
        }
        if (rd == 0 && rs2 == 0) return plain("ebreak", "");
        return rs2 == 0 ? plain("jalr", reg(rd)) : plain("add", reg(rd) + "," + reg(rd) + "," + reg(rs2));
      case 6: return access("sw", reg(rs2) + "," + mem(bits(h, 12, 9) << 2 | bits(h, 8, 7) << 6, 2));
      case 7: return access("sd", reg(rs2) + "," + mem(bits(h, 12, 10) << 3 | bits(h, 9, 7) << 6, 2));
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<NativeInsn> disassemble_riscv64(std::span<const std::uint8_t> code) {
  std::vector<NativeInsn> out;
  std::size_t at = 0;
  while (at + 2 <= code.size()) {
    const std::uint32_t low = code[at] | static_cast<std::uint32_t>(code[at + 1]) << 8;
    const bool compressed = (low & 3) != 3;
    const std::size_t size = compressed ? 2 : 4;
    if (at + size > code.size()) break;
    const std::uint32_t word =
        compressed ? low : low | static_cast<std::uint32_t>(code[at + 2]) << 16 | static_cast<std::uint32_t>(code[at + 3]) << 24;
    NativeInsn& insn = out.emplace_back();
    insn.offset = at;
    insn.bytes.assign(code.begin() + static_cast<std::ptrdiff_t>(at), code.begin() + static_cast<std::ptrdiff_t>(at + size));
    if (const std::optional<Decoded> decoded = compressed ? decode16(word) : decode32(word)) {
      insn.mnemonic = decoded->mnemonic;
      insn.operands = decoded->operands;
      insn.memory = decoded->memory;
    } else {
      char text[16];
      std::snprintf(text, sizeof text, compressed ? "0x%04x" : "0x%08x", word);
      insn.mnemonic = compressed ? ".2byte" : ".4byte";
      insn.operands = text;
      insn.decoded = false;
    }
    at += size;
  }
  if (at < code.size()) {  // a trailing odd byte
    out.push_back(NativeInsn{at, {code[at]}, ".byte", "", MemoryOperand::None, false});
  }
  return out;
}

}  // namespace bpf_litmus::audit
