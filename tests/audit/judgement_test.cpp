// Disassembly and judgement of native images, captured here or elsewhere:
// x86-64 and arm64 code written out byte by byte, right and deliberately wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "audit/native_disasm.hpp"

namespace bpf_litmus::audit {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes arm64(std::initializer_list<std::uint32_t> words) {
  Bytes bytes;
  for (const std::uint32_t word : words) {
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<std::uint8_t>(word >> shift));
  }
  return bytes;
}

// A frame around the primitive's code, as the x86 JIT's prologue and
// epilogue are: the final `jmp` to the return thunk is relative, so its
// bytes differ between two images of different lengths.
Bytes x86_frame(const Bytes& body) {
  Bytes image{0x55, 0x48, 0x89, 0xe5};  // push rbp; mov rbp, rsp
  image.insert(image.end(), body.begin(), body.end());
  image.insert(image.end(), {0x31, 0xc0, 0xc9});  // xor eax, eax; leave
  const auto rel = static_cast<std::uint8_t>(0x40 - body.size());  // jmp to one fixed address
  image.insert(image.end(), {0xe9, rel, 0x00, 0x00, 0x00});
  return image;
}
constexpr std::uint32_t kArmPrologue[] = {0xa9bf7bfd, 0x910003fd};  // stp x29, x30, [sp, #-16]!; mov x29, sp
constexpr std::uint32_t kArmEpilogue[] = {0xa8c17bfd, 0xd65f03c0};  // ldp x29, x30, [sp], #16; ret
Bytes arm64_frame(std::initializer_list<std::uint32_t> body) {
  Bytes image = arm64({kArmPrologue[0], kArmPrologue[1]});
  const Bytes code = arm64(body);
  image.insert(image.end(), code.begin(), code.end());
  const Bytes tail = arm64({kArmEpilogue[0], kArmEpilogue[1]});
  image.insert(image.end(), tail.begin(), tail.end());
  return image;
}

JitCapture capture(BpfPrimitive primitive, Bytes with, Bytes without) {
  return {primitive, std::move(with), std::move(without), ""};
}

constexpr BpfPrimitive kFetchAdd64{BpfOp::Add, 8, true};

TEST(NativeDisasm, X86MemoryOperandsAndLockPrefixes) {
  const Bytes code{0xf0, 0x48, 0x0f, 0xc1, 0x37,  // lock xadd qword ptr [rdi], rsi
                   0x48, 0x87, 0x37,              // xchg qword ptr [rdi], rsi
                   0x0f, 0xb6, 0x37,              // movzx esi, byte ptr [rdi]
                   0x48, 0x8d, 0x37};             // lea rsi, [rdi]
  const auto insns = disassemble_native(Isa::X86_64, code);
  ASSERT_EQ(insns.size(), 4u);
  EXPECT_EQ(insns[0].text(), "lock xadd qword ptr [rdi], rsi");
  EXPECT_EQ(insns[0].memory, MemoryOperand::First);
  EXPECT_EQ(insns[1].mnemonic, "xchg");
  EXPECT_EQ(insns[2].memory, MemoryOperand::NotFirst);
  EXPECT_EQ(insns[2].offset, 8u);
  EXPECT_EQ(insns[3].memory, MemoryOperand::None);  // lea computes an address, reads nothing
}

TEST(NativeDisasm, Arm64LseAtomicsCapstone4DoesNotKnow) {
  const auto insns = disassemble_native(
      Isa::Arm64, arm64({0xf8e10001, 0xf821001f, 0xc8e1fc02, 0xf8e18002, 0x38bfc002, 0xb8e10001, 0xc8dffc02, 0xffffffff}));
  ASSERT_EQ(insns.size(), 8u);
  EXPECT_EQ(insns[0].text(), "ldaddal x1, x1, [x0]");
  EXPECT_EQ(insns[1].text(), "stadd x1, [x0]");
  EXPECT_EQ(insns[2].text(), "casal x1, x2, [x0]");
  EXPECT_EQ(insns[3].text(), "swpal x1, x2, [x0]");
  EXPECT_EQ(insns[4].text(), "ldaprb w2, [x0]");
  EXPECT_EQ(insns[5].text(), "ldaddal w1, w1, [x0]");
  EXPECT_EQ(insns[6].text(), "ldar x2, [x0]");  // capstone's own
  EXPECT_EQ(insns[7].mnemonic, ".inst");
  EXPECT_FALSE(insns[7].decoded);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(insns[i].memory, MemoryOperand::NotFirst) << insns[i].text();
}

TEST(Judgement, FindsThePrimitiveBetweenIdenticalPrologueAndEpilogue) {
  const Bytes lock_xadd{0xf0, 0x48, 0x0f, 0xc1, 0x37};
  const auto insns = primitive_instructions(Isa::X86_64, x86_frame(lock_xadd), x86_frame({}));
  ASSERT_EQ(insns.size(), 1u);
  EXPECT_EQ(insns[0].text(), "lock xadd qword ptr [rdi], rsi");
}

TEST(Judgement, X86LockedFetchAddIsEqualToTheModel) {
  const AuditRow row = judge_capture(Isa::X86_64, capture(kFetchAdd64, x86_frame({0xf0, 0x48, 0x0f, 0xc1, 0x37}),
                                                          x86_frame({})));
  EXPECT_EQ(row.verdict, AuditVerdict::Equal);
  EXPECT_TRUE(matches_expected_x86_64_lowering(row));
  EXPECT_EQ(describe(row.given), "full, atomic");
}

TEST(Judgement, X86PlainLoadIsStrongerThanAPlainBpfLoad) {
  const AuditRow row = judge_capture(Isa::X86_64, capture({BpfOp::Load, 8, false}, x86_frame({0x48, 0x8b, 0x37}),
                                                          x86_frame({})));
  EXPECT_EQ(row.verdict, AuditVerdict::Stronger);
  EXPECT_EQ(describe(row.given), "acquire");
}

TEST(Judgement, AFetchAddLoweredToLoadAddStoreIsWeaker) {
  // mov rax, [rdi]; add rax, rsi; mov [rdi], rax: ordered on x86, but not atomic
  const Bytes split{0x48, 0x8b, 0x07, 0x48, 0x01, 0xf0, 0x48, 0x89, 0x07};
  const AuditRow row = judge_capture(Isa::X86_64, capture(kFetchAdd64, x86_frame(split), x86_frame({})));
  EXPECT_EQ(row.verdict, AuditVerdict::Weaker);
  EXPECT_FALSE(row.given.atomic);
  EXPECT_FALSE(matches_expected_x86_64_lowering(row));
}

TEST(Judgement, Arm64SeqCstFenceAsRelaxedStaddIsWeaker) {
  // The bug the audit exists for: a fully ordered atomic lowered to an unordered STADD.
  const AuditRow weak = judge_capture(Isa::Arm64, capture(kFetchAdd64, arm64_frame({0xf821001f}), arm64_frame({})));
  EXPECT_EQ(weak.verdict, AuditVerdict::Weaker);
  EXPECT_EQ(describe(weak.given), "unordered, atomic");
  const AuditRow right = judge_capture(Isa::Arm64, capture(kFetchAdd64, arm64_frame({0xf8e10001}), arm64_frame({})));
  EXPECT_EQ(right.verdict, AuditVerdict::Equal);
  const AuditRow nofetch =
      judge_capture(Isa::Arm64, capture({BpfOp::Add, 8, false}, arm64_frame({0xf821001f}), arm64_frame({})));
  EXPECT_EQ(nofetch.verdict, AuditVerdict::Equal);
}

TEST(Judgement, Arm64LlScLoopWithTrailingBarrierIsFull) {
  // 1: ldxr x2, [x0]; add x2, x2, x1; stlxr w3, x2, [x0]; cbnz w3, 1b; dmb ish
  const auto loop = arm64_frame({0xc85f7c02, 0x8b010042, 0xc803fc02, 0x35ffffa3, 0xd5033bbf});
  const AuditRow row = judge_capture(Isa::Arm64, capture(kFetchAdd64, loop, arm64_frame({})));
  EXPECT_EQ(row.verdict, AuditVerdict::Equal) << describe(row.given);
}

TEST(Judgement, Arm64AcquireAndReleaseAndTheirPlainForms) {
  const auto judge = [](BpfOp op, std::uint32_t word) {
    return judge_capture(Isa::Arm64, capture({op, 8, false}, arm64_frame({word}), arm64_frame({}))).verdict;
  };
  EXPECT_EQ(judge(BpfOp::LoadAcquire, 0xc8dffc02), AuditVerdict::Equal);   // ldar
  EXPECT_EQ(judge(BpfOp::StoreRelease, 0xc89ffc01), AuditVerdict::Equal);  // stlr
  EXPECT_EQ(judge(BpfOp::LoadAcquire, 0xf9400002), AuditVerdict::Weaker);  // ldr
  EXPECT_EQ(judge(BpfOp::StoreRelease, 0xf9000001), AuditVerdict::Weaker); // str
  EXPECT_EQ(judge(BpfOp::Load, 0xf9400002), AuditVerdict::Equal);
}

TEST(Judgement, UnknownInstructionsAndFailedCapturesAreSaidSo) {
  const AuditRow unknown =
      judge_capture(Isa::Arm64, capture(kFetchAdd64, arm64_frame({0xffffffff}), arm64_frame({})));
  EXPECT_EQ(unknown.verdict, AuditVerdict::Unknown);
  EXPECT_EQ(unknown.unknown, std::vector<std::string>{".inst 0xffffffff"});
  const AuditRow failed = judge_capture(Isa::X86_64, {kFetchAdd64, {}, {}, "not loaded: Invalid argument"});
  EXPECT_EQ(failed.verdict, AuditVerdict::NotRun);
  const std::vector<AuditRow> rows{unknown, failed};
  const std::string text = format_audit(rows);
  EXPECT_NE(text.find("UNKNOWN (no table row for: `.inst 0xffffffff`)"), std::string::npos) << text;
  EXPECT_NE(text.find("not run: not loaded: Invalid argument"), std::string::npos) << text;
  const auto json = audit_json(rows);
  EXPECT_EQ(json["primitives"][0]["verdict"], "UNKNOWN");
  EXPECT_EQ(json["primitives"][1]["note"], "not loaded: Invalid argument");
}

}  // namespace
}  // namespace bpf_litmus::audit
