// Every instruction form of the dialect, and the AST fields it fills.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "test_util.hpp"

namespace bpf_litmus::litmus {
namespace {

using test_support::parse_cells;
using test_support::parse_instruction_text;

template <typename T>
T parse_as(std::string_view cell) {
  const Instruction instruction = parse_instruction_text(cell);
  EXPECT_TRUE(std::holds_alternative<T>(instruction)) << cell;
  return std::holds_alternative<T>(instruction) ? std::get<T>(instruction) : T{};
}

TEST(Mov, Register) {
  const Mov mov = parse_as<Mov>("r3 = r7");
  EXPECT_EQ(mov.dst, 3);
  EXPECT_TRUE(mov.src.is_reg);
  EXPECT_EQ(mov.src.reg, 7);
}

TEST(Mov, RegistersFpAndUpperCase) {
  const Mov mov = parse_as<Mov>("R10 = fp");
  EXPECT_EQ(mov.dst, 10);
  EXPECT_EQ(mov.src.reg, 10);
  EXPECT_EQ(parse_as<Mov>("FP = R0").dst, 10);
}

TEST(Mov, Immediates) {
  EXPECT_EQ(parse_as<Mov>("r1 = 42").src.imm, 42);
  EXPECT_FALSE(parse_as<Mov>("r1 = 42").src.is_reg);
  EXPECT_EQ(parse_as<Mov>("r1 = -42").src.imm, -42);
  EXPECT_EQ(parse_as<Mov>("r1 = +42").src.imm, 42);
  EXPECT_EQ(parse_as<Mov>("r1 = 0x1f").src.imm, 31);
  // rD = imm is BPF_LD_IMM64 beyond 32 bits.
  EXPECT_EQ(parse_as<Mov>("r1 = 4294967296").src.imm, 4294967296);
  EXPECT_EQ(parse_as<Mov>("r1 = -9223372036854775808").src.imm, INT64_MIN);
}

TEST(Alu, EveryOperatorWithRegisterAndImmediate) {
  const std::vector<std::pair<std::string, AluOp>> ops{
      {"+=", AluOp::Add}, {"-=", AluOp::Sub},  {"*=", AluOp::Mul},  {"/=", AluOp::Div},
      {"%=", AluOp::Mod}, {"&=", AluOp::And},  {"|=", AluOp::Or},   {"^=", AluOp::Xor},
      {"<<=", AluOp::Lsh}, {">>=", AluOp::Rsh}, {"s>>=", AluOp::Arsh}};
  for (const auto& [spelling, op] : ops) {
    const Alu with_reg = parse_as<Alu>("r2 " + spelling + " r9");
    EXPECT_EQ(with_reg.op, op) << spelling;
    EXPECT_EQ(with_reg.dst, 2);
    EXPECT_TRUE(with_reg.src.is_reg);
    EXPECT_EQ(with_reg.src.reg, 9);
    const Alu with_imm = parse_as<Alu>("r2 " + spelling + " -7");
    EXPECT_EQ(with_imm.op, op) << spelling;
    EXPECT_FALSE(with_imm.src.is_reg);
    EXPECT_EQ(with_imm.src.imm, -7);
  }
  EXPECT_EQ(parse_as<Alu>("r1-=r2").op, AluOp::Sub);  // no blanks needed
  EXPECT_EQ(parse_as<Alu>("r1 s>>=3").op, AluOp::Arsh);
}

TEST(Load, EveryWidth) {
  const std::vector<std::pair<std::string, Width>> widths{
      {"u8", Width::U8}, {"u16", Width::U16}, {"u32", Width::U32}, {"u64", Width::U64}};
  for (const auto& [name, width] : widths) {
    const Load load = parse_as<Load>("r4 = *(" + name + " *)(r2 + 16)");
    EXPECT_EQ(load.width, width) << name;
    EXPECT_EQ(load.dst, 4);
    EXPECT_EQ(load.base, 2);
    EXPECT_EQ(load.off, 16);
    EXPECT_FALSE(load.acquire);
  }
}

TEST(Load, SpacingAndOffsetVariants) {
  EXPECT_EQ(parse_as<Load>("r1 = *(u32*)(r2 + 0)").width, Width::U32);
  EXPECT_EQ(parse_as<Load>("r1 = *(u32* )(r2 + 0)").width, Width::U32);
  EXPECT_EQ(parse_as<Load>("r1= *(u32 *)(r2 + 0)").width, Width::U32);
  EXPECT_EQ(parse_as<Load>("r1 = *(u64 *)(r10 - 8)").off, -8);
  EXPECT_EQ(parse_as<Load>("r1 = *(u64 *)(r10-8)").off, -8);
  EXPECT_EQ(parse_as<Load>("r1 = *(u64 *)(r2 +8)").off, 8);
  EXPECT_EQ(parse_as<Load>("r1 = *(u64 *)(fp - 32768)").off, -32768);
  EXPECT_EQ(parse_as<Load>("r1 = *(u64 *)(r2 + 32767)").off, 32767);
}

TEST(Load, Acquire) {
  const Load load = parse_as<Load>("r5 = load_acquire((u16 *)(r3 - 4))");
  EXPECT_TRUE(load.acquire);
  EXPECT_EQ(load.width, Width::U16);
  EXPECT_EQ(load.dst, 5);
  EXPECT_EQ(load.base, 3);
  EXPECT_EQ(load.off, -4);
  EXPECT_EQ(parse_as<Load>("r5 = load_acquire((u8* )(r3 + 0))").width, Width::U8);
}

TEST(Store, RegisterAndImmediate) {
  const Store reg = parse_as<Store>("*(u32 *)(r2 + 4) = r1");
  EXPECT_EQ(reg.width, Width::U32);
  EXPECT_EQ(reg.base, 2);
  EXPECT_EQ(reg.off, 4);
  EXPECT_TRUE(reg.src.is_reg);
  EXPECT_EQ(reg.src.reg, 1);
  EXPECT_FALSE(reg.release);
  const Store imm = parse_as<Store>("*(u8 *)(r2 - 1) = -3");
  EXPECT_EQ(imm.width, Width::U8);
  EXPECT_EQ(imm.off, -1);
  EXPECT_FALSE(imm.src.is_reg);
  EXPECT_EQ(imm.src.imm, -3);
}

TEST(Store, Release) {
  const Store store = parse_as<Store>("store_release((u64 *)(r4 + 8), r3)");
  EXPECT_TRUE(store.release);
  EXPECT_EQ(store.width, Width::U64);
  EXPECT_EQ(store.base, 4);
  EXPECT_EQ(store.off, 8);
  EXPECT_TRUE(store.src.is_reg);
  EXPECT_EQ(store.src.reg, 3);
}

TEST(Atomic, LockForms) {
  const std::vector<std::pair<std::string, AtomicOp>> ops{
      {"+=", AtomicOp::Add}, {"&=", AtomicOp::And}, {"|=", AtomicOp::Or}, {"^=", AtomicOp::Xor}};
  for (const auto& [spelling, op] : ops) {
    const Atomic atomic = parse_as<Atomic>("lock *(u64 *)(r0 + 8) " + spelling + " r1");
    EXPECT_EQ(atomic.op, op) << spelling;
    EXPECT_FALSE(atomic.fetch);
    EXPECT_EQ(atomic.width, Width::U64);
    EXPECT_EQ(atomic.base, 0);
    EXPECT_EQ(atomic.off, 8);
    EXPECT_EQ(atomic.src, 1);
  }
  EXPECT_EQ(parse_as<Atomic>("lock *(u32 *)(r0+0) += r1").width, Width::U32);
}

TEST(Atomic, FetchForms) {
  const std::vector<std::pair<std::string, AtomicOp>> ops{{"add", AtomicOp::Add},
                                                          {"and", AtomicOp::And},
                                                          {"or", AtomicOp::Or},
                                                          {"xor", AtomicOp::Xor}};
  for (const auto& [name, op] : ops) {
    const Atomic atomic =
        parse_as<Atomic>("r5 = atomic_fetch_" + name + "((u32 *)(r6 + 0), r5)");
    EXPECT_EQ(atomic.op, op) << name;
    EXPECT_TRUE(atomic.fetch);
    EXPECT_EQ(atomic.width, Width::U32);
    EXPECT_EQ(atomic.base, 6);
    EXPECT_EQ(atomic.src, 5);
    EXPECT_EQ(atomic.written_dst, 5);
  }
  EXPECT_EQ(parse_as<Atomic>("r5 = atomic_fetch_add((u64*)(r6 + 0), r5)").width, Width::U64);
}

// amo-sequence-2.litmus in the catalogue: the old value goes to r1 (the
// source), as in herd7 and real BPF; the written r3 is kept for printing.
TEST(Atomic, FetchWhoseLeftHandSideDiffersFromTheSource) {
  const Atomic atomic = parse_as<Atomic>("r3 = atomic_fetch_add((u32 *)(r2 + 0), r1)");
  EXPECT_EQ(atomic.src, 1);
  EXPECT_EQ(atomic.written_dst, 3);
}

TEST(Atomic, Xchg) {
  const Atomic wide = parse_as<Atomic>("r2 = xchg_64(r1 + 0, r2)");
  EXPECT_EQ(wide.op, AtomicOp::Xchg);
  EXPECT_TRUE(wide.fetch);
  EXPECT_EQ(wide.width, Width::U64);
  EXPECT_EQ(wide.base, 1);
  EXPECT_EQ(wide.src, 2);
  const Atomic narrow = parse_as<Atomic>("r4 = xchg_32_32(r1 - 4, r3)");
  EXPECT_EQ(narrow.width, Width::U32);
  EXPECT_EQ(narrow.off, -4);
  EXPECT_EQ(narrow.src, 3);
  EXPECT_EQ(narrow.written_dst, 4);
}

TEST(Atomic, Cmpxchg) {
  const Atomic wide = parse_as<Atomic>("r0 = cmpxchg_64(r1 + 0, r0, r5)");
  EXPECT_EQ(wide.op, AtomicOp::Cmpxchg);
  EXPECT_TRUE(wide.fetch);
  EXPECT_EQ(wide.width, Width::U64);
  EXPECT_EQ(wide.base, 1);
  EXPECT_EQ(wide.src, 5);
  EXPECT_EQ(wide.written_dst, 0);
  EXPECT_EQ(wide.written_expected, 0);
  const Atomic narrow = parse_as<Atomic>("r3 = cmpxchg32_32 (r1 + 8, r2, r6)");
  EXPECT_EQ(narrow.width, Width::U32);
  EXPECT_EQ(narrow.off, 8);
  EXPECT_EQ(narrow.src, 6);
  EXPECT_EQ(narrow.written_dst, 3);
  EXPECT_EQ(narrow.written_expected, 2);
}

TEST(Jump, Goto) { EXPECT_EQ(parse_as<Goto>("goto L").label, "L"); }

TEST(Jump, EveryConditionWithRegisterAndImmediate) {
  const std::vector<std::pair<std::string, CondOp>> ops{
      {"==", CondOp::Eq}, {"!=", CondOp::Ne}, {"<", CondOp::Lt}, {">=", CondOp::Ge}};
  for (const auto& [spelling, op] : ops) {
    const CondJump reg = parse_as<CondJump>("if r1 " + spelling + " r2 goto L");
    EXPECT_EQ(reg.op, op) << spelling;
    EXPECT_EQ(reg.lhs, 1);
    EXPECT_TRUE(reg.rhs.is_reg);
    EXPECT_EQ(reg.rhs.reg, 2);
    EXPECT_EQ(reg.label, "L");
    const CondJump imm = parse_as<CondJump>("if r1 " + spelling + " -1 goto L");
    EXPECT_EQ(imm.op, op) << spelling;
    EXPECT_FALSE(imm.rhs.is_reg);
    EXPECT_EQ(imm.rhs.imm, -1);
  }
}

TEST(Labels, LabelOnlyCellsAndLabelledInstructions) {
  const litmus::Test test = parse_cells({"if r1 == 0 goto Out", "A: B: r1 = 2", "goto A", "Out:"});
  const std::vector<Statement>& code = test.threads.at(0).code;
  ASSERT_EQ(code.size(), 4u);
  EXPECT_TRUE(code[0].labels.empty());
  EXPECT_EQ(code[1].labels, (std::vector<std::string>{"A", "B"}));
  ASSERT_TRUE(code[1].instruction.has_value());
  EXPECT_TRUE(std::holds_alternative<Mov>(*code[1].instruction));
  EXPECT_EQ(code[3].labels, std::vector<std::string>{"Out"});
  EXPECT_FALSE(code[3].instruction.has_value());
}

TEST(Labels, HerdNameCharacters) {
  EXPECT_EQ(parse_cells({"goto L-1.a/b", "L-1.a/b:"}).threads[0].code[1].labels.at(0), "L-1.a/b");
}

TEST(Table, EmptyCellsAndStatementPositions) {
  const litmus::Test test = parse_text(
      "BPF t\n{ }\nP0 | P1 ;\n r1 = 1 |        ;\n        | r2 = 2 ;\nexists (0:r1=1)\n",
      "t.litmus");
  ASSERT_EQ(test.threads.size(), 2u);
  EXPECT_EQ(test.threads[0].id, 0);
  EXPECT_EQ(test.threads[1].id, 1);
  ASSERT_EQ(test.threads[0].code.size(), 2u);
  ASSERT_EQ(test.threads[1].code.size(), 2u);
  EXPECT_TRUE(test.threads[0].code[0].instruction.has_value());
  EXPECT_FALSE(test.threads[0].code[1].instruction.has_value());
  EXPECT_FALSE(test.threads[1].code[0].instruction.has_value());
  EXPECT_EQ(test.threads[0].code[0].pos.line, 4u);
  EXPECT_EQ(test.threads[0].code[0].pos.col, 2u);
  EXPECT_EQ(test.threads[1].code[1].pos.line, 5u);
  EXPECT_EQ(test.threads[1].code[1].pos.col, 11u);
  // An empty cell sits where its closing delimiter is.
  EXPECT_EQ(test.threads[0].code[1].pos.col, 9u);
}

TEST(Table, LeadingSemicolonAndRowsAcrossLines) {
  const litmus::Test test = parse_text("BPF t\n{}\n; P0 ;\n r1 = 1\n ; r2 = 2 ; r3 = 3 ;\n", "t.litmus");
  EXPECT_EQ(test.threads.at(0).code.size(), 3u);
}

}  // namespace
}  // namespace bpf_litmus::litmus
