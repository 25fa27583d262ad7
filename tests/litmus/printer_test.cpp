// The printer spells every form as herd7 does, and round-trips hand-written
// tests that use the corners of the dialect.
#include <gtest/gtest.h>

#include <string>

#include "litmus/printer.hpp"
#include "ast_equal.hpp"
#include "test_util.hpp"

namespace bpf_litmus::litmus {
namespace {

using test_support::parse_instruction_text;

std::string reprint(std::string_view cell) {
  return print_instruction(parse_instruction_text(cell));
}

TEST(PrintInstruction, EveryForm) {
  EXPECT_EQ(reprint("r1 = r2"), "r1 = r2");
  EXPECT_EQ(reprint("r1 = -5"), "r1 = -5");
  EXPECT_EQ(reprint("fp = 0x10"), "r10 = 16");
  EXPECT_EQ(reprint("r1 s>>= r2"), "r1 s>>= r2");
  EXPECT_EQ(reprint("r1 <<= 3"), "r1 <<= 3");
  EXPECT_EQ(reprint("r1 %= -3"), "r1 %= -3");
  EXPECT_EQ(reprint("r1 = *(u8* )(r2-4)"), "r1 = *(u8 *)(r2 - 4)");
  EXPECT_EQ(reprint("r1 = *(u64 *)(r2 +4)"), "r1 = *(u64 *)(r2 + 4)");
  EXPECT_EQ(reprint("r1 = load_acquire((u16*)(r2 + 0))"), "r1 = load_acquire((u16 *)(r2 + 0))");
  EXPECT_EQ(reprint("*(u32 *)(r2 + 0) = r1"), "*(u32 *)(r2 + 0) = r1");
  EXPECT_EQ(reprint("*(u16 *)(r2 - 2) = 7"), "*(u16 *)(r2 - 2) = 7");
  EXPECT_EQ(reprint("store_release((u32* )(r2 + 0), r1)"), "store_release((u32 *)(r2 + 0), r1)");
  EXPECT_EQ(reprint("lock *(u32 *)(r0+0) += r1"), "lock *(u32 *)(r0 + 0) += r1");
  EXPECT_EQ(reprint("lock *(u64 *)(r0+0) ^= r1"), "lock *(u64 *)(r0 + 0) ^= r1");
  EXPECT_EQ(reprint("r5 = atomic_fetch_add((u32*)(r6 + 0), r5)"),
            "r5 = atomic_fetch_add((u32 *)(r6 + 0), r5)");
  EXPECT_EQ(reprint("r3 = atomic_fetch_or((u64 *)(r2 + 0), r1)"),
            "r3 = atomic_fetch_or((u64 *)(r2 + 0), r1)");
  EXPECT_EQ(reprint("r2 = xchg_64(r1 + 0, r2)"), "r2 = xchg_64(r1 + 0, r2)");
  EXPECT_EQ(reprint("r2 = xchg_32_32(r1 - 8, r3)"), "r2 = xchg_32_32(r1 - 8, r3)");
  EXPECT_EQ(reprint("r0 = cmpxchg_64 (r1 + 0, r0, r5)"), "r0 = cmpxchg_64(r1 + 0, r0, r5)");
  EXPECT_EQ(reprint("r0 = cmpxchg32_32(r1 + 0, r0, r5)"), "r0 = cmpxchg32_32(r1 + 0, r0, r5)");
  EXPECT_EQ(reprint("goto L"), "goto L");
  EXPECT_EQ(reprint("if r1 >= 2 goto L"), "if r1 >= 2 goto L");
  EXPECT_EQ(reprint("if r1 != r3 goto L"), "if r1 != r3 goto L");
}

TEST(PrintStatement, LabelsThenInstruction) {
  const litmus::Test test = test_support::parse_cells({"A: B: r1 = 1", "C:", ""});
  EXPECT_EQ(print_statement(test.threads[0].code[0]), "A: B: r1 = 1");
  EXPECT_EQ(print_statement(test.threads[0].code[1]), "C:");
  EXPECT_EQ(print_statement(test.threads[0].code[2]), "");
}

TEST(PrintCondition, HerdSpelling) {
  const litmus::Test test = parse_text(
      "BPF t\n{}\n P0 ;\n r1 = 1 ;\n"
      "~exists (0:r1=1 /\\ (x=y \\/ [x]=-2 /\\ ~true) /\\ x != 3)\n",
      "t.litmus");
  EXPECT_EQ(print_final_condition(test.quantifier, test.condition),
            "~exists (0:r1=1 /\\ ([x]=y \\/ [x]=-2 /\\ not (true)) /\\ not ([x]=3))");
  EXPECT_EQ(print_observable(test.condition.operands[0].atom.target), "0:r1");
  EXPECT_EQ(print_value(test.condition.operands[0].atom.value), "1");
}

TEST(PrintTest, ExactLayout) {
  const litmus::Test test = parse_text(
      "BPF MP+x \"doc\"\n(* c *)\n{ int x; y=2; 0:r1=x; 0:r2=y; 1:r1=x; }\n"
      " P0 | P1 ;\n *(u32 *)(r1 + 0) = 1 | L: ;\n r3 = 1 | goto L ;\n"
      "locations [1:r1; x]\nexists (1:r1=0)\n",
      "t.litmus");
  EXPECT_EQ(print_test(test),
            "BPF MP+x \"doc\"\n"
            "(* c *)\n"
            "{\n"
            " int x=0;\n"
            " y=2;\n"
            " 0:r1=x; 0:r2=y;\n"
            " 1:r1=x;\n"
            "}\n"
            " P0                   | P1     ;\n"
            " *(u32 *)(r1 + 0) = 1 | L:     ;\n"
            " r3 = 1               | goto L ;\n"
            "locations [1:r1; x;]\n"
            "exists (1:r1=0)\n");
}

TEST(PrintTest, CornersRoundTrip) {
  const std::string text =
      "BPF corners\n{ int* p = &x; u64 q=-9223372036854775808; [z]=0x7f; 0:fp=p; 1:r0; }\n"
      "; P0 | P1 ;\n"
      " A: B: r1 = 4294967296 | ;\n"
      " if r1 < -1 goto A | C: r0 = cmpxchg32_32(r1 - 32768, r2, r3) ;\n"
      " r3 = atomic_fetch_xor((u64 *)(r2 + 0), r1) | goto C ;\n"
      "locations [q; 1:r0;]\n"
      "forall (x=1 => ~(0:r1=2 \\/ false) \\/ (p=x /\\ z != 0))\n";
  const litmus::Test original = parse_text(text, "t.litmus");
  const litmus::Test reparsed = parse_text(print_test(original), "printed.litmus");
  EXPECT_EQ(test_support::first_difference(original, reparsed), "") << print_test(original);
}

}  // namespace
}  // namespace bpf_litmus::litmus
