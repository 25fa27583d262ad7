// sc, tso and bpf verdicts on the classic shapes.
#include <gtest/gtest.h>

#include "model/memory_model.hpp"
#include "test_util.hpp"

namespace bpf_litmus::model {
namespace {

using testing::kLoadBuffering;
using testing::kMessagePassing;
using testing::predict_text;
using testing::store_buffering;

const std::string kFetchAdd = "r6 = atomic_fetch_add((u64 *)(r5 + 0), r6)";
const std::string kLockAdd = "lock *(u64 *)(r5 + 0) += r6";
const std::string kFailingCmpxchg = "r0 = cmpxchg_64(r5 + 0, r0, r6)";  // r0 = 9, memory holds 0

TEST(Verdicts, StoreBufferingIsTsosSignature) {
  const Prediction sc = predict_text(store_buffering(), ModelKind::Sc);
  EXPECT_FALSE(sc.validated);
  EXPECT_EQ(sc.states.size(), 3U);
  EXPECT_EQ(sc.observation, Observation::Never);
  const Prediction tso = predict_text(store_buffering(), ModelKind::Tso);
  EXPECT_TRUE(tso.validated);
  EXPECT_EQ(tso.states.size(), 4U);
  EXPECT_EQ(tso.positive, 1U);
  EXPECT_EQ(tso.negative, 3U);
  EXPECT_TRUE(predict_text(store_buffering(), ModelKind::Bpf).validated);
}

TEST(Verdicts, MessagePassingHoldsUnderTsoNotUnderBpf) {
  EXPECT_FALSE(predict_text(kMessagePassing, ModelKind::Sc).validated);
  EXPECT_FALSE(predict_text(kMessagePassing, ModelKind::Tso).validated);
  EXPECT_TRUE(predict_text(kMessagePassing, ModelKind::Bpf).validated);
}

TEST(Verdicts, LoadBufferingIsForbiddenByTsoAllowedByBpf) {
  EXPECT_FALSE(predict_text(kLoadBuffering, ModelKind::Sc).validated);
  EXPECT_FALSE(predict_text(kLoadBuffering, ModelKind::Tso).validated);
  EXPECT_TRUE(predict_text(kLoadBuffering, ModelKind::Bpf).validated);
}

TEST(Verdicts, FetchAtomicsAreFullBarriersEverywhere) {
  const std::string sb = store_buffering(kFetchAdd, kFetchAdd);
  EXPECT_FALSE(predict_text(sb, ModelKind::Tso).validated);
  EXPECT_FALSE(predict_text(sb, ModelKind::Bpf).validated);
  EXPECT_FALSE(predict_text(sb, ModelKind::Sc).validated);
}

TEST(Verdicts, LockedAtomicsWithoutFetchOrderOnlyUnderTso) {
  const std::string sb = store_buffering(kLockAdd, kLockAdd);
  EXPECT_FALSE(predict_text(sb, ModelKind::Tso).validated);
  EXPECT_TRUE(predict_text(sb, ModelKind::Bpf).validated);  // X, not SC: no ordering in bpf.cat
}

TEST(Verdicts, FailingCmpxchgIsAFenceOnX86Only) {
  const std::string sb = store_buffering(kFetchAdd, kFailingCmpxchg);
  EXPECT_FALSE(predict_text(sb, ModelKind::Tso).validated);
  EXPECT_TRUE(predict_text(sb, ModelKind::Bpf).validated);
}

TEST(Verdicts, AcquireAndReleaseArePlainMovesUnderTso) {
  const std::string sb =
      "BPF SB+rel+acq\n"
      "{ 0:r1=x; 0:r3=y; 0:r7=1; 1:r1=x; 1:r3=y; 1:r7=1; }\n"
      " P0                                  | P1                                  ;\n"
      " store_release((u32 *)(r1 + 0), r7)  | store_release((u32 *)(r3 + 0), r7)  ;\n"
      " r2 = load_acquire((u32 *)(r3 + 0))  | r2 = load_acquire((u32 *)(r1 + 0))  ;\n"
      "exists (0:r2=0 /\\ 1:r2=0)\n";
  EXPECT_TRUE(predict_text(sb, ModelKind::Tso).validated);
  EXPECT_TRUE(predict_text(sb, ModelKind::Bpf).validated);
}

TEST(Verdicts, TheTsoTableDecidesWhatIsAFence) {
  TsoOrderingTable table = x86_64_jit_ordering();
  EXPECT_EQ(table[Primitive::CmpxchgFailure], X86Ordering::FullFence);
  EXPECT_EQ(table[Primitive::StoreRelease], X86Ordering::Plain);
  // A load_acquire between write and read orders nothing on x86, unless the
  // table says its code is locked.
  const std::string acquire = "r7 = load_acquire((u32 *)(r5 + 0))";
  const litmus::Test sb = testing::parse(store_buffering(acquire, acquire));
  EXPECT_TRUE(predict(sb, *make_tso_model(table)).validated);
  table.by_primitive[static_cast<std::size_t>(Primitive::LoadAcquire)] = X86Ordering::FullFence;
  EXPECT_FALSE(predict(sb, *make_tso_model(table)).validated);
}

TEST(Verdicts, ModelNamesRoundTrip) {
  for (const ModelKind kind : {ModelKind::Bpf, ModelKind::Sc, ModelKind::Tso}) {
    EXPECT_EQ(model_kind_from_name(model_kind_name(kind)), kind);
    EXPECT_EQ(make_model(kind)->name(), model_kind_name(kind));
  }
  EXPECT_FALSE(model_kind_from_name("arm").has_value());
}

}  // namespace
}  // namespace bpf_litmus::model
