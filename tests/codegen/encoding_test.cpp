// Every instruction form codegen emits, against the byte values of the BPF
// instruction set (Documentation/bpf/standardization/instruction-set.rst):
// first the builders of insn.hpp, then what each litmus statement becomes.
#include <gtest/gtest.h>

#include <algorithm>

#include "codegen/insn.hpp"
#include "test_support.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

struct Expected {
  std::uint8_t code;
  std::uint8_t dst;
  std::uint8_t src;
  std::int16_t off;
  std::int32_t imm;
};

void expect_insn(const bpf_insn& insn, const Expected& e, const std::string& what) {
  EXPECT_EQ(insn.code, e.code) << what;
  EXPECT_EQ(insn.dst_reg, e.dst) << what;
  EXPECT_EQ(insn.src_reg, e.src) << what;
  EXPECT_EQ(insn.off, e.off) << what;
  EXPECT_EQ(insn.imm, e.imm) << what;
}

TEST(InsnBuilders, MatchTheInstructionSetEncodings) {
  struct Case {
    const char* what;
    bpf_insn insn;
    Expected expected;
  };
  const Case cases[] = {
      {"mov64 imm", insn::mov64_imm(1, -5), {0xb7, 1, 0, 0, -5}},
      {"mov64 reg", insn::mov64_reg(3, 9), {0xbf, 3, 9, 0, 0}},
      {"add64 imm", insn::alu64_imm(BPF_ADD, 2, 7), {0x07, 2, 0, 0, 7}},
      {"sub64 reg", insn::alu64_reg(BPF_SUB, 2, 4), {0x1f, 2, 4, 0, 0}},
      {"mul64 imm", insn::alu64_imm(BPF_MUL, 2, 3), {0x27, 2, 0, 0, 3}},
      {"div64 reg", insn::alu64_reg(BPF_DIV, 2, 4), {0x3f, 2, 4, 0, 0}},
      {"or64 imm", insn::alu64_imm(BPF_OR, 2, 1), {0x47, 2, 0, 0, 1}},
      {"and64 imm", insn::alu64_imm(BPF_AND, 2, 0xff), {0x57, 2, 0, 0, 0xff}},
      {"lsh64 imm", insn::alu64_imm(BPF_LSH, 2, 6), {0x67, 2, 0, 0, 6}},
      {"rsh64 reg", insn::alu64_reg(BPF_RSH, 2, 1), {0x7f, 2, 1, 0, 0}},
      {"mod64 imm", insn::alu64_imm(BPF_MOD, 2, 10), {0x97, 2, 0, 0, 10}},
      {"xor64 reg", insn::alu64_reg(BPF_XOR, 2, 2), {0xaf, 2, 2, 0, 0}},
      {"arsh64 imm", insn::alu64_imm(BPF_ARSH, 2, 3), {0xc7, 2, 0, 0, 3}},
      {"ldx u8", insn::load(1, 1, 2, 4), {0x71, 1, 2, 4, 0}},
      {"ldx u16", insn::load(2, 1, 2, -2), {0x69, 1, 2, -2, 0}},
      {"ldx u32", insn::load(4, 1, 2, 0), {0x61, 1, 2, 0, 0}},
      {"ldx u64", insn::load(8, 1, 2, 8), {0x79, 1, 2, 8, 0}},
      {"st u8", insn::store_imm(1, 1, 0, 7), {0x72, 1, 0, 0, 7}},
      {"st u16", insn::store_imm(2, 1, 0, 7), {0x6a, 1, 0, 0, 7}},
      {"st u32", insn::store_imm(4, 1, 0, 7), {0x62, 1, 0, 0, 7}},
      {"st u64", insn::store_imm(8, 10, -8, 0), {0x7a, 10, 0, -8, 0}},
      {"stx u8", insn::store_reg(1, 1, 3, 2), {0x73, 1, 2, 3, 0}},
      {"stx u16", insn::store_reg(2, 1, 0, 2), {0x6b, 1, 2, 0, 0}},
      {"stx u32", insn::store_reg(4, 1, 0, 2), {0x63, 1, 2, 0, 0}},
      {"stx u64", insn::store_reg(8, 1, 0, 2), {0x7b, 1, 2, 0, 0}},
      {"lock add u32", insn::atomic(4, BPF_ADD, 1, 2, 0), {0xc3, 1, 2, 0, 0x00}},
      {"lock or u64", insn::atomic(8, BPF_OR, 1, 2, 0), {0xdb, 1, 2, 0, 0x40}},
      {"lock and u64", insn::atomic(8, BPF_AND, 1, 2, 0), {0xdb, 1, 2, 0, 0x50}},
      {"lock xor u32", insn::atomic(4, BPF_XOR, 1, 2, 0), {0xc3, 1, 2, 0, 0xa0}},
      {"fetch add u64", insn::atomic(8, BPF_ADD | BPF_FETCH, 1, 2, 0), {0xdb, 1, 2, 0, 0x01}},
      {"fetch xor u32", insn::atomic(4, BPF_XOR | BPF_FETCH, 1, 2, 0), {0xc3, 1, 2, 0, 0xa1}},
      {"xchg u64", insn::atomic(8, BPF_XCHG, 1, 2, 0), {0xdb, 1, 2, 0, 0xe1}},
      {"cmpxchg u32", insn::atomic(4, BPF_CMPXCHG, 1, 2, 0), {0xc3, 1, 2, 0, 0xf1}},
      {"load_acquire u8", insn::load_acquire(1, 3, 4, 0), {0xd3, 3, 4, 0, 0x100}},
      {"load_acquire u16", insn::load_acquire(2, 3, 4, 0), {0xcb, 3, 4, 0, 0x100}},
      {"load_acquire u64", insn::load_acquire(8, 3, 4, 8), {0xdb, 3, 4, 8, 0x100}},
      {"store_release u32", insn::store_release(4, 4, 0, 3), {0xc3, 4, 3, 0, 0x110}},
      {"ja", insn::ja(-3), {0x05, 0, 0, -3, 0}},
      {"jeq imm", insn::jmp_imm(BPF_JEQ, 1, 5, 2), {0x15, 1, 0, 2, 5}},
      {"jne reg", insn::jmp_reg(BPF_JNE, 1, 2, 2), {0x5d, 1, 2, 2, 0}},
      {"jslt imm", insn::jmp_imm(BPF_JSLT, 1, -1, 2), {0xc5, 1, 0, 2, -1}},
      {"jsge reg", insn::jmp_reg(BPF_JSGE, 1, 2, 2), {0x7d, 1, 2, 2, 0}},
      {"jge imm", insn::jmp_imm(BPF_JGE, 2, 2, 6), {0x35, 2, 0, 6, 2}},
      {"jle imm", insn::jmp_imm(BPF_JLE, 1, 65536, 1), {0xb5, 1, 0, 1, 65536}},
      {"may_goto", insn::may_goto(7), {0xe5, 0, 0, 7, 0}},
      {"call bpf_loop", insn::call_helper(BPF_FUNC_loop), {0x85, 0, 0, 0, 181}},
      {"call bpf_ktime_get_ns", insn::call_helper(BPF_FUNC_ktime_get_ns), {0x85, 0, 0, 0, 5}},
      {"exit", insn::exit(), {0x95, 0, 0, 0, 0}},
  };
  for (const Case& c : cases) expect_insn(c.insn, c.expected, c.what);
}

TEST(InsnBuilders, WideImmediatesTakeTwoSlots) {
  const auto imm = insn::ld_imm64(3, 0x1122334455667788ull);
  expect_insn(imm[0], {0x18, 3, 0, 0, 0x55667788}, "ld_imm64 low");
  expect_insn(imm[1], {0x00, 0, 0, 0, 0x11223344}, "ld_imm64 high");
  const auto value = insn::ld_map_value(7, 42, 36864);
  expect_insn(value[0], {0x18, 7, BPF_PSEUDO_MAP_VALUE, 0, 42}, "map value fd");
  expect_insn(value[1], {0x00, 0, 0, 0, 36864}, "map value offset");
  const auto func = insn::ld_func(2, 8);
  expect_insn(func[0], {0x18, 2, BPF_PSEUDO_FUNC, 0, 8}, "callback address");
}

// ---- what each statement compiles to -------------------------------------

// The instructions of P0's statement `index` in a test with `init` and `cells`.
struct Compiled {
  CompiledTest test;
  std::vector<bpf_insn> insns;  // of the statement
  const ThreadProgram& program() const { return test.programs.at(0); }
};
Compiled statement(std::string_view init, std::initializer_list<std::string_view> cells, int index,
                   std::string_view condition = "exists (0:r1=0)") {
  Compiled c{compile_ok(parse(one_thread(init, cells, condition))), {}};
  if (!c.test.programs.empty()) c.insns = statement_insns(c.program(), index);
  return c;
}

// How an access reaches memory through r1 (= x). Observing r1 makes it a
// value, kept as an arena offset: each access copies, masks and adds the
// arena base. Unobserved, r1 is only a base: a pointer, used directly.
struct BaseForm {
  const char* name;
  const char* extra_condition;
  std::size_t address_insns;
};
constexpr BaseForm kBaseForms[] = {{"pointer", "", 0}, {"masked offset", " /\\ 0:r1=x", 3}};

// The register an access of `compiled` goes through: r1's own when it is a
// pointer, else the scratch register of the masked address computation.
std::uint8_t access_base(const BaseForm& form, const Compiled& compiled) {
  return form.address_insns == 0 ? static_cast<std::uint8_t>(machine_reg(compiled.program(), 1))
                                 : compiled.insns[0].dst_reg;
}

// Masked address computation for a base register: mov s, base; and s, mask; add s, arena.
void expect_masked_address(const std::vector<bpf_insn>& insns, int base, std::uint64_t mask) {
  ASSERT_GE(insns.size(), 4u);
  const std::uint8_t scratch = insns[0].dst_reg;
  expect_insn(insns[0], {0xbf, scratch, static_cast<std::uint8_t>(base), 0, 0}, "copy of the base");
  expect_insn(insns[1], {0x57, scratch, 0, 0, static_cast<std::int32_t>(mask)}, "mask");
  EXPECT_EQ(insns[2].code, 0x0f) << "add of the arena base";
  EXPECT_EQ(insns[2].dst_reg, scratch);
}

TEST(StatementEncoding, PlainLoadsAndStoresUseTheirWidth) {
  struct Case {
    const char* cell;
    std::uint8_t code;
    std::int16_t off;
    std::int32_t imm;
    std::uint64_t alignment;
  };
  const Case cases[] = {
      {"r2 = *(u8 *)(r1 + 3)", 0x71, 3, 0, 1},
      {"r2 = *(u16 *)(r1 + 2)", 0x69, 2, 0, 2},
      {"r2 = *(u32 *)(r1 + 0)", 0x61, 0, 0, 4},
      {"r2 = *(u64 *)(r1 + 8)", 0x79, 8, 0, 8},
      {"*(u8 *)(r1 + 0) = 5", 0x72, 0, 5, 1},
      {"*(u32 *)(r1 - 4) = -2", 0x62, -4, -2, 4},
      {"*(u64 *)(r1 + 0) = r2", 0x7b, 0, 0, 8},
      {"*(u16 *)(r1 + 0) = r2", 0x6b, 0, 0, 2},
  };
  for (const BaseForm& form : kBaseForms) {
    for (const Case& c : cases) {
      const Compiled compiled =
          statement("0:r1=x;", {c.cell}, 0, std::string("exists (0:r2=0") + form.extra_condition + ")");
      ASSERT_EQ(compiled.insns.size(), form.address_insns + 1) << c.cell << " via " << form.name;
      if (form.address_insns != 0) {
        expect_masked_address(compiled.insns, machine_reg(compiled.program(), 1),
                              compiled.test.layout.address_mask & ~(c.alignment - 1));
      }
      const bpf_insn& access = compiled.insns.back();
      EXPECT_EQ(access.code, c.code) << c.cell;
      EXPECT_EQ(access.off, c.off) << c.cell;
      EXPECT_EQ(access.imm, c.imm) << c.cell;
      const std::uint8_t base = access_base(form, compiled);
      if ((c.code & 0x07) == BPF_LDX) {
        EXPECT_EQ(access.src_reg, base) << c.cell << " via " << form.name;
        EXPECT_EQ(access.dst_reg, machine_reg(compiled.program(), 2)) << c.cell;
      } else {
        EXPECT_EQ(access.dst_reg, base) << c.cell << " via " << form.name;
        if ((c.code & 0x07) == BPF_STX) {
          EXPECT_EQ(access.src_reg, machine_reg(compiled.program(), 2)) << c.cell;
        }
      }
    }
  }
}

TEST(StatementEncoding, AtomicsAndOrderedAccessesUseBpfAtomic) {
  struct Case {
    const char* cell;
    std::uint8_t code;
    std::int32_t imm;
    litmus::Reg value_reg;  // the register in src_reg (or dst_reg for load_acquire)
  };
  const Case cases[] = {
      {"lock *(u32 *)(r1 + 0) += r2", 0xc3, BPF_ADD, 2},
      {"lock *(u64 *)(r1 + 0) |= r2", 0xdb, BPF_OR, 2},
      {"lock *(u64 *)(r1 + 0) &= r2", 0xdb, BPF_AND, 2},
      {"lock *(u32 *)(r1 + 0) ^= r2", 0xc3, BPF_XOR, 2},
      {"r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)", 0xdb, BPF_ADD | BPF_FETCH, 2},
      {"r2 = atomic_fetch_and((u32 *)(r1 + 0), r2)", 0xc3, BPF_AND | BPF_FETCH, 2},
      {"r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)", 0xdb, BPF_OR | BPF_FETCH, 2},
      {"r2 = atomic_fetch_xor((u32 *)(r1 + 0), r2)", 0xc3, BPF_XOR | BPF_FETCH, 2},
      {"r2 = xchg_64(r1 + 0, r2)", 0xdb, BPF_XCHG, 2},
      {"r2 = xchg_32_32(r1 + 0, r2)", 0xc3, BPF_XCHG, 2},
      {"r0 = cmpxchg_64(r1 + 0, r0, r2)", 0xdb, BPF_CMPXCHG, 2},
      {"r0 = cmpxchg32_32(r1 + 0, r0, r2)", 0xc3, BPF_CMPXCHG, 2},
      {"r2 = load_acquire((u8 *)(r1 + 0))", 0xd3, BPF_LOAD_ACQ, 2},
      {"r2 = load_acquire((u16 *)(r1 + 0))", 0xcb, BPF_LOAD_ACQ, 2},
      {"r2 = load_acquire((u64 *)(r1 + 0))", 0xdb, BPF_LOAD_ACQ, 2},
      {"store_release((u32 *)(r1 + 0), r2)", 0xc3, BPF_STORE_REL, 2},
      {"store_release((u8 *)(r1 + 0), r2)", 0xd3, BPF_STORE_REL, 2},
  };
  for (const BaseForm& form : kBaseForms) {
    for (const Case& c : cases) {
      const Compiled compiled = statement("0:r1=x; 0:r2=1;", {c.cell}, 0,
                                          std::string("exists (0:r2=0 /\\ 0:r0=0") + form.extra_condition + ")");
      ASSERT_EQ(compiled.insns.size(), form.address_insns + 1) << c.cell << " via " << form.name;
      const bpf_insn& op = compiled.insns.back();
      EXPECT_EQ(op.code, c.code) << c.cell;
      EXPECT_EQ(op.imm, c.imm) << c.cell;
      const std::uint8_t base = access_base(form, compiled);
      const auto value = static_cast<std::uint8_t>(machine_reg(compiled.program(), c.value_reg));
      if (c.imm == BPF_LOAD_ACQ) {
        EXPECT_EQ(op.src_reg, base) << c.cell << " via " << form.name;
        EXPECT_EQ(op.dst_reg, value) << c.cell;
      } else {
        EXPECT_EQ(op.dst_reg, base) << c.cell << " via " << form.name;
        EXPECT_EQ(op.src_reg, value) << c.cell;
      }
    }
  }
}

// The instructions of each harness block named `what` (each up to the next block or statement).
std::vector<std::vector<bpf_insn>> harness_blocks(const ThreadProgram& program, std::string_view what) {
  std::vector<std::vector<bpf_insn>> blocks;
  for (const HarnessBlock& block : program.harness_blocks) {
    if (block.what != what) continue;
    auto& insns = blocks.emplace_back();
    for (std::size_t i = block.first_insn; i < program.insns.size() && program.source_statement[i] < 0; ++i) {
      if (i > block.first_insn && std::any_of(program.harness_blocks.begin(), program.harness_blocks.end(),
                                              [&](const HarnessBlock& b) { return b.first_insn == i; })) {
        break;
      }
      insns.push_back(program.insns[i]);
    }
  }
  return blocks;
}

// Without sync, MayGoto runs several instances per may_goto and abort check,
// each checking the limit; it keeps the index in r6 round the loop, read back
// once at entry from the counter word (0, but unknown to the verifier, so the
// loop converges) and stepped by 1, and stores it to the counter word only on
// the way out: no load or store of the index per instance.
TEST(StatementEncoding, TheIndexIsCarriedInItsRegisterThroughRoundsOfInstances) {
  CodegenOptions options;
  options.sync = SyncMode::None;
  const CompiledTest compiled = compile_ok(parse(one_thread("0:r1=x;", {"r2 = *(u32 *)(r1 + 0)"}, "exists (0:r2=0)")), options);
  const ThreadProgram& program = compiled.programs.at(0);
  const auto word = [&](ThreadStateWord w) {
    return static_cast<std::int16_t>(compiled.layout.thread_state_offset + 8 * static_cast<std::uint32_t>(w));
  };
  const auto abort_off = static_cast<std::int16_t>(offsetof(ControlBlock, abort));
  std::size_t index_loads = 0, counter_stores = 0, limit_loads = 0, abort_loads = 0, may_gotos = 0;
  for (const bpf_insn& insn : program.insns) {
    if (insn.code == 0x79 && insn.dst_reg == BPF_REG_6) {
      EXPECT_EQ(insn.off, word(ThreadStateWord::Counter)) << "the index starts from the counter word";
      ++index_loads;
    }
    if (insn.code == 0x7b && insn.off == word(ThreadStateWord::Counter)) {
      EXPECT_EQ(insn.src_reg, BPF_REG_6) << "the counter word gets the carried index";
      ++counter_stores;
    }
    limit_loads += insn.code == 0x79 && insn.off == word(ThreadStateWord::Limit);
    abort_loads += insn.code == 0x79 && insn.off == abort_off;
    may_gotos += insn.code == (BPF_JMP | BPF_JCOND);
  }
  EXPECT_EQ(index_loads, 1u) << "read once, at entry";
  EXPECT_EQ(counter_stores, 1u) << "stored once, on the way out";
  EXPECT_EQ(may_gotos, 1u);
  EXPECT_EQ(abort_loads, 1u);
  EXPECT_EQ(limit_loads, static_cast<std::size_t>(instances_per_may_goto(SyncMode::None))) << "every instance checks the limit";
  const auto counts = harness_blocks(program, "count the instance complete");
  ASSERT_EQ(counts.size(), static_cast<std::size_t>(instances_per_may_goto(SyncMode::None)));
  for (const auto& count : counts) {
    ASSERT_FALSE(count.empty());
    expect_insn(count[0], {0x07, BPF_REG_6, 0, 0, 1}, "index += 1");
  }
  ASSERT_EQ(counts.back().size(), 2u);
  EXPECT_EQ(counts.back()[1].code, 0x05) << "after the round's last instance, back to the loop head";
}

TEST(StatementEncoding, AluUses64BitOperations) {
  struct Case {
    const char* cell;
    std::uint8_t code;
    std::int32_t imm;
  };
  const Case cases[] = {
      {"r1 = 7", 0xb7, 7},       {"r1 = r2", 0xbf, 0},      {"r1 += 3", 0x07, 3},     {"r1 -= r2", 0x1f, 0},
      {"r1 *= 3", 0x27, 3},      {"r1 /= r2", 0x3f, 0},     {"r1 %= 3", 0x97, 3},     {"r1 &= r2", 0x5f, 0},
      {"r1 |= 1", 0x47, 1},      {"r1 ^= r2", 0xaf, 0},     {"r1 <<= 2", 0x67, 2},    {"r1 >>= r2", 0x7f, 0},
      {"r1 s>>= 1", 0xc7, 1},
  };
  for (const Case& c : cases) {
    const Compiled compiled = statement("0:r2=5;", {c.cell}, 0);
    ASSERT_EQ(compiled.insns.size(), 1u) << c.cell;
    EXPECT_EQ(compiled.insns[0].code, c.code) << c.cell;
    EXPECT_EQ(compiled.insns[0].imm, c.imm) << c.cell;
    EXPECT_EQ(compiled.insns[0].dst_reg, machine_reg(compiled.program(), 1)) << c.cell;
  }
}

TEST(StatementEncoding, WideImmediateMovIsLdImm64) {
  const Compiled compiled = statement("", {"r1 = 0x100000000"}, 0);
  ASSERT_EQ(compiled.insns.size(), 2u);
  expect_insn(compiled.insns[0], {0x18, 1, 0, 0, 0}, "low half");
  expect_insn(compiled.insns[1], {0x00, 0, 0, 0, 1}, "high half");
}

TEST(StatementEncoding, WideOperandsGoThroughAScratchRegister) {
  // Only hand-built ASTs have them: the parser keeps these immediates to s32.
  litmus::Test test = parse(one_thread("", {"r1 += 1"}));
  std::get<litmus::Alu>(*test.threads[0].code[0].instruction).src.imm = -0x100000000;
  const CompiledTest compiled = compile_ok(test);
  const std::vector<bpf_insn> insns = statement_insns(compiled.programs.at(0), 0);
  ASSERT_EQ(insns.size(), 3u);
  const std::uint8_t scratch = insns[0].dst_reg;
  expect_insn(insns[0], {0x18, scratch, 0, 0, 0}, "low half");
  expect_insn(insns[1], {0x00, 0, 0, 0, -1}, "high half");
  expect_insn(insns[2], {0x0f, 1, scratch, 0, 0}, "r1 += scratch");
}

TEST(StatementEncoding, ConditionsAreSignedComparisons) {
  struct Case {
    const char* cell;
    std::uint8_t code;
  };
  // herd7 compares its values as signed integers.
  const Case cases[] = {{"if r1 == 1 goto L", 0x15}, {"if r1 != r2 goto L", 0x5d}, {"if r1 < 10 goto L", 0xc5},
                        {"if r1 >= r2 goto L", 0x7d}};
  for (const Case& c : cases) {
    const Compiled compiled = statement("0:r2=5;", {c.cell, "r1 = 1", "L:"}, 0);
    ASSERT_EQ(compiled.insns.size(), 1u) << c.cell;
    EXPECT_EQ(compiled.insns[0].code, c.code) << c.cell;
    EXPECT_EQ(compiled.insns[0].off, 1) << c.cell << ": skips `r1 = 1`";
  }
  // After a goto, `r1 = 1` is dead: it is not emitted (the verifier rejects dead code).
  const Compiled go = statement("", {"goto L", "r1 = 1", "L:"}, 0);
  ASSERT_EQ(go.insns.size(), 1u);
  expect_insn(go.insns[0], {0x05, 0, 0, 0, 0}, "goto L");
  EXPECT_TRUE(statement_insns(go.program(), 1).empty());
}

TEST(StatementEncoding, BackwardJumpsAreGuardedByMayGoto) {
  const Compiled compiled = statement("0:r1=3;", {"L: r1 -= 1", "if r1 != 0 goto L"}, 1);
  ASSERT_EQ(compiled.insns.size(), 2u);
  EXPECT_EQ(compiled.insns[0].code, 0xe5);  // may_goto to the end of the body
  EXPECT_EQ(compiled.insns[0].off, 1);
  expect_insn(compiled.insns[1], {0x55, static_cast<std::uint8_t>(machine_reg(compiled.program(), 1)), 0, -3, 0},
              "jne back to L");
  const auto& features = compiled.test.required_features;
  EXPECT_NE(std::find(features.begin(), features.end(), KernelFeature::MayGoto), features.end());
}

TEST(StatementEncoding, UnsupportedConstructsAreNamed) {
  litmus::Test test = parse(one_thread("0:r1=x; 0:r2=1;", {"lock *(u32 *)(r1 + 0) += r2"}));
  std::get<litmus::Atomic>(*test.threads[0].code[0].instruction).width = litmus::Width::U16;  // the parser refuses it
  const CodegenError error = compile_error(test);
  EXPECT_EQ(error.kind, CodegenError::Kind::Unsupported);
  EXPECT_EQ(to_string(error), "Unsupported: lock add at u16: BPF_ATOMIC exists only for u32 and u64 (P0, line 4:2)");

  const CodegenError misaligned =
      compile_error(parse(one_thread("0:r1=x; 0:r2=1;", {"r2 = atomic_fetch_add((u64 *)(r1 + 4), r2)"})));
  EXPECT_EQ(misaligned.construct, "atomic_fetch_add at offset 4");

  const CodegenError shift = compile_error(parse(one_thread("", {"r1 <<= 64"})));
  EXPECT_EQ(shift.construct, "shift by 64");
  const CodegenError division = compile_error(parse(one_thread("", {"r1 /= 0"})));
  EXPECT_EQ(division.construct, "division by the constant 0");
}

}  // namespace
}  // namespace bpf_litmus::codegen::testing
