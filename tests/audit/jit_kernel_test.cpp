// This kernel's JIT, read back: each primitive's native code is what the
// static x86-64 lowering (from which the tso model is derived) expects, and
// none is weaker than the BPF model. A JIT change fails here first.
#include <gtest/gtest.h>
#include <unistd.h>

#include "audit/audit.hpp"
#include "audit/jit_capture.hpp"

namespace bpf_litmus::audit {
namespace {

class ThisKernelsJit : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "loading BPF programs needs root";
    if (!host_isa()) GTEST_SKIP() << "no ordering table for this machine";
  }
};

TEST_F(ThisKernelsJit, EveryPrimitiveIsCapturedAndJudged) {
  const auto captures = capture_jit_images(audited_primitives());
  ASSERT_EQ(captures.size(), audited_primitives().size());
  for (const JitCapture& capture : captures) {
    const AuditRow row = judge_capture(*host_isa(), capture);
    SCOPED_TRACE(primitive_name(capture.primitive));
    // load-acquire/store-release need Linux 6.15: elsewhere they are not run, and say why
    if (row.verdict == AuditVerdict::NotRun) {
      EXPECT_NE(row.note.find("not loaded"), std::string::npos) << row.note;
      continue;
    }
    EXPECT_FALSE(row.native.empty());
    EXPECT_NE(row.verdict, AuditVerdict::Weaker) << format_audit(std::span(&row, 1));
    EXPECT_NE(row.verdict, AuditVerdict::Unknown) << format_audit(std::span(&row, 1));
  }
}

TEST_F(ThisKernelsJit, X86CodeIsTheExpectedLoweringTheTsoModelAssumes) {
  if (host_isa() != Isa::X86_64) GTEST_SKIP() << "the static lowering is x86-64's";
  for (const JitCapture& capture : capture_jit_images(audited_primitives())) {
    const AuditRow row = judge_capture(Isa::X86_64, capture);
    if (row.verdict == AuditVerdict::NotRun) continue;
    EXPECT_TRUE(matches_expected_x86_64_lowering(row))
        << primitive_name(capture.primitive) << " is now: " << format_native(row.native);
  }
}

TEST_F(ThisKernelsJit, TheFrameWithoutAPrimitiveIsItsOwnPrefixAndSuffix) {
  const BpfPrimitive fetch_add{BpfOp::Add, 8, true};
  const auto captures = capture_jit_images(std::span(&fetch_add, 1));
  ASSERT_EQ(captures.size(), 1u);
  ASSERT_TRUE(captures[0].error.empty()) << captures[0].error;
  EXPECT_GT(captures[0].with_primitive.size(), captures[0].without_primitive.size());
  const auto native = primitive_instructions(*host_isa(), captures[0].with_primitive, captures[0].without_primitive);
  ASSERT_FALSE(native.empty());
  EXPECT_LT(native.size(), 8u) << format_native(native);
}

}  // namespace
}  // namespace bpf_litmus::audit
