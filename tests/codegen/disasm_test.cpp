// The disassembler prints what the kernel verifier's log prints.
#include <gtest/gtest.h>

#include <vector>

#include "codegen/disasm.hpp"
#include "codegen/insn.hpp"

namespace bpf_litmus::codegen {
namespace {

std::string one(const bpf_insn& insn) {
  const std::vector<bpf_insn> program{insn};
  return disassemble(program, 0);
}

TEST(Disassembler, PrintsVerifierLogSyntax) {
  struct Case {
    bpf_insn insn;
    const char* text;
  };
  const Case cases[] = {
      {insn::mov64_imm(1, -5), "r1 = -5"},
      {insn::mov64_reg(3, 9), "r3 = r9"},
      {insn::alu64_imm(BPF_ADD, 3, -8), "r3 += -8"},
      {insn::alu64_reg(BPF_SUB, 0, 1), "r0 -= r1"},
      {insn::alu64_imm(BPF_AND, 3, 16777215), "r3 &= 16777215"},
      {insn::alu64_imm(BPF_LSH, 1, 6), "r1 <<= 6"},
      {insn::alu64_reg(BPF_ARSH, 1, 2), "r1 s>>= r2"},
      {insn::alu64_imm(BPF_MOD, 1, 3), "r1 %= 3"},
      {insn::make(BPF_ALU | BPF_ADD | BPF_X, 1, 2, 0, 0), "w1 += w2"},
      {insn::make(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 1, 0), "r1 s/= r2"},
      {insn::make(BPF_ALU64 | BPF_NEG, 4, 0, 0, 0), "r4 = -r4"},
      {insn::load(4, 1, 2, 0), "r1 = *(u32 *)(r2 +0)"},
      {insn::load(8, 1, 10, -16), "r1 = *(u64 *)(r10 -16)"},
      {insn::make(BPF_LDX | BPF_MEMSX | BPF_H, 1, 2, 4, 0), "r1 = *(s16 *)(r2 +4)"},
      {insn::store_reg(1, 3, 4, 2), "*(u8 *)(r3 +4) = r2"},
      {insn::store_imm(8, 10, -8, 0), "*(u64 *)(r10 -8) = 0"},
      {insn::atomic(8, BPF_ADD, 1, 2, 0), "lock *(u64 *)(r1 +0) += r2"},
      {insn::atomic(4, BPF_OR, 1, 2, 8), "lock *(u32 *)(r1 +8) |= r2"},
      {insn::atomic(4, BPF_ADD | BPF_FETCH, 1, 2, 0), "r2 = atomic_fetch_add((u32 *)(r1 +0), r2)"},
      {insn::atomic(8, BPF_XOR | BPF_FETCH, 1, 2, 0), "r2 = atomic64_fetch_xor((u64 *)(r1 +0), r2)"},
      {insn::atomic(8, BPF_XCHG, 1, 2, 0), "r2 = atomic64_xchg((u64 *)(r1 +0), r2)"},
      {insn::atomic(4, BPF_CMPXCHG, 3, 5, 0), "r0 = atomic_cmpxchg((u32 *)(r3 +0), r0, r5)"},
      {insn::atomic(8, BPF_CMPXCHG, 3, 5, 0), "r0 = atomic64_cmpxchg((u64 *)(r3 +0), r0, r5)"},
      {insn::load_acquire(4, 1, 2, 0), "r1 = load_acquire((u32 *)(r2 +0))"},
      {insn::store_release(2, 1, 0, 2), "store_release((u16 *)(r1 +0), r2)"},
      {insn::atomic(4, 0x7, 1, 2, 0), "invalid insn (code 0xc3)"},
      {insn::ja(-8), "goto pc-8"},
      {insn::jmp_imm(BPF_JNE, 1, 0, 43), "if r1 != 0x0 goto pc+43"},
      {insn::jmp_imm(BPF_JSLT, 1, -1, 2), "if r1 s< 0xffffffff goto pc+2"},
      {insn::jmp_reg(BPF_JGE, 0, 1, 6), "if r0 >= r1 goto pc+6"},
      {insn::make(BPF_JMP32 | BPF_JEQ | BPF_X, 1, 2, 1, 0), "if w1 == w2 goto pc+1"},
      {insn::may_goto(22), "may_goto pc+22"},
      {insn::call_helper(BPF_FUNC_loop), "call bpf_loop#181"},
      {insn::call_helper(BPF_FUNC_ktime_get_ns), "call bpf_ktime_get_ns#5"},
      {insn::call_helper(9999), "call unknown#9999"},
      {insn::call_local(4), "call pc+4"},
      {insn::exit(), "exit"},
      {insn::make(0xff, 0, 0, 0, 0), "invalid insn (code 0xff)"},
  };
  for (const Case& c : cases) EXPECT_EQ(one(c.insn), c.text);
}

TEST(Disassembler, ReadsBothSlotsOfLdImm64) {
  const auto imm = insn::ld_imm64(1, 0x100000000ull);
  const auto value = insn::ld_map_value(7, 3, 36864);
  const auto func = insn::ld_func(2, 8);
  const std::vector<bpf_insn> program{imm[0], imm[1], value[0], value[1], func[0], func[1], insn::exit()};
  EXPECT_EQ(disassemble(program, 0), "r1 = 0x100000000 ll");
  EXPECT_EQ(disassemble(program, 1), "(second slot of ld_imm64)");
  EXPECT_EQ(disassemble(program, 2), "r7 = map[fd:3][0]+36864");
  EXPECT_EQ(disassemble(program, 4), "r2 = func pc+8");
  EXPECT_EQ(disassemble(program, 7), "past the end of the program");
  EXPECT_EQ(disassemble_line(program, 6), "   6: (95) exit");
  EXPECT_EQ(disassemble_program(program),
            "   0: (18) r1 = 0x100000000 ll\n   2: (18) r7 = map[fd:3][0]+36864\n"
            "   4: (18) r2 = func pc+8\n   6: (95) exit\n");
  const std::vector<bpf_insn> truncated{imm[0]};
  EXPECT_EQ(disassemble(truncated, 0), "invalid insn (code 0x18) without its second slot");
}

}  // namespace
}  // namespace bpf_litmus::codegen
