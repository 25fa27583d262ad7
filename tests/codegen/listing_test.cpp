// Listings show each program in verifier-log syntax under the statements and
// harness blocks it implements, with the register homes and the layout.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

constexpr const char* kMp =
    "BPF MP\n{ 0:r1=x; 0:r2=y; 1:r1=x; 1:r2=y; 1:r10=1; }\n"
    " P0 | P1 ;\n"
    " *(u32 *)(r1 + 0) = 1 | r3 = load_acquire((u32 *)(r2 + 0)) ;\n"
    " store_release((u32 *)(r2 + 0), r10) | r4 = *(u32 *)(r1 + 0) ;\n"
    "exists (1:r3=1 /\\ 1:r4=0)\n";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Listing, InterleavesStatementsHarnessBlocksAndInstructions) {
  const litmus::Test test = parse(kMp);
  const CompiledTest compiled = compile_ok(test);
  const std::string text = listing(compiled, test);
  EXPECT_TRUE(contains(text, "; test MP: 2 threads, sync: spin barrier, loop: may_goto\n")) << text;
  EXPECT_TRUE(contains(text, "; locations in an instance: x@+0 y@+64\n")) << text;
  EXPECT_TRUE(contains(text, "; ==== P1: ")) << text;
  EXPECT_TRUE(contains(text, "; -- entry: note the start time, clamp the launch to capacity, zero the instance counter\n")) << text;
  EXPECT_TRUE(contains(text, "; -- instance loop: next round (may_goto), abort check\n")) << text;
  EXPECT_TRUE(contains(text, "; -- instance loop: next index, limit check\n")) << text;
  EXPECT_TRUE(contains(text, "; -- sync: spin barrier")) << text;
  EXPECT_TRUE(contains(text, ") may_goto pc+")) << text;
  EXPECT_TRUE(contains(text, "; P0 line 4: *(u32 *)(r1 + 0) = 1\n")) << text;
  EXPECT_TRUE(contains(text, "; P1 line 4: r3 = load_acquire((u32 *)(r2 + 0))\n")) << text;
  EXPECT_TRUE(contains(text, ") r3 = load_acquire((u32 *)(r")) << text;
  EXPECT_TRUE(contains(text, ") store_release((u32 *)(r")) << text;
  EXPECT_TRUE(contains(text, "; -- capture observed registers\n")) << text;
  // P0 reads r10 (0, as herd7 starts it) as an ordinary register: it gets a machine register.
  // r1 and r2 hold addresses and serve only as bases: kept as pointers.
  EXPECT_TRUE(contains(text, "; registers: r1->r1(pointer) r2->r2(pointer) r10->r")) << text;
}

TEST(Listing, BpfLoopProgramsShowTheirCallbacks) {
  const litmus::Test test = parse(kMp);
  CodegenOptions options;
  options.loop = LoopStrategy::BpfLoop;
  const CompiledTest compiled = compile_ok(test, options);
  const std::string text = listing(compiled, test);
  EXPECT_TRUE(contains(text, "; test MP: 2 threads, sync: spin barrier, loop: bpf_loop\n")) << text;
  EXPECT_TRUE(contains(text, "; -- instance callback (bpf_loop): index in r1, abort check\n")) << text;
  EXPECT_TRUE(contains(text, "; -- wait callback (bpf_loop): stop when synchronised or aborted\n")) << text;
  EXPECT_TRUE(contains(text, "call bpf_loop")) << text;
  EXPECT_FALSE(contains(text, "may_goto")) << text;
}

TEST(Listing, EveryInstructionAppearsOnce) {
  const litmus::Test test = parse(kMp);
  const CompiledTest compiled = compile_ok(test);
  const std::string text = listing(compiled, test);
  for (const ThreadProgram& program : compiled.programs) {
    std::size_t lines = program.insns.size();  // one per instruction, ld_imm64 counting once
    for (const bpf_insn& insn : program.insns) lines -= insn.code == (BPF_LD | BPF_IMM | BPF_DW) ? 1 : 0;
    const std::string header = "; ==== P" + std::to_string(program.thread) + ": ";
    const std::size_t start = text.find(header);
    ASSERT_NE(start, std::string::npos);
    const std::size_t end = text.find("; ==== P", start + 1);
    const std::string section = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::size_t numbered = 0;
    for (std::size_t at = 0; (at = section.find("\n ", at)) != std::string::npos; ++at) ++numbered;
    EXPECT_EQ(numbered, lines) << section;
  }
}

}  // namespace
}  // namespace bpf_litmus::codegen::testing
