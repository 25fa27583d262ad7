// The ISA ordering table, how rows compose into the ordering of one
// primitive's code, and the tso model's table derived from it.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "audit/audit.hpp"
#include "audit/isa_ordering.hpp"
#include "audit/jit_lowering.hpp"
#include "model/memory_model.hpp"

namespace bpf_litmus::audit {
namespace {

std::vector<const IsaOrderingRow*> rows(std::initializer_list<std::string_view> ids) {
  std::vector<const IsaOrderingRow*> out;
  for (const std::string_view id : ids) out.push_back(&isa_ordering_row(id));
  return out;
}

TEST(IsaOrderingTable, EveryRowIsNamedOnceAndCitesTheManual) {
  std::set<std::string_view> ids;
  for (const IsaOrderingRow& row : isa_ordering_table()) {
    EXPECT_TRUE(ids.insert(row.id).second) << row.id;
    static constexpr std::string_view kManuals[] = {"Intel SDM", "Arm ARM (DDI 0487)", "RISC-V Unprivileged ISA",
                                                    "Power ISA", "z/Architecture"};
    const bool cites = std::any_of(std::begin(kManuals), std::end(kManuals), [&](std::string_view manual) {
      return row.citation.find(manual) != std::string_view::npos;
    });
    EXPECT_TRUE(cites) << row.id << ": " << row.citation;
    EXPECT_FALSE(row.mnemonics.empty()) << row.id;
  }
  EXPECT_THROW((void)isa_ordering_row("x86.nonsense"), std::out_of_range);
}

TEST(IsaOrderingTable, FindsRowsByMnemonicOperandsAndMemoryOperand) {
  EXPECT_EQ(find_isa_ordering_row(Isa::X86_64, "mov", "qword ptr [rdi], rsi", MemoryOperand::First)->id, "x86.store");
  EXPECT_EQ(find_isa_ordering_row(Isa::X86_64, "mov", "rsi, qword ptr [rdi]", MemoryOperand::NotFirst)->id, "x86.load");
  EXPECT_EQ(find_isa_ordering_row(Isa::X86_64, "lock xadd", "", MemoryOperand::First)->id, "x86.lock-rmw");
  EXPECT_EQ(find_isa_ordering_row(Isa::X86_64, "mov", "rax, rsi", MemoryOperand::None), nullptr);
  EXPECT_EQ(find_isa_ordering_row(Isa::Arm64, "ldarb", "w2, [x0]", MemoryOperand::NotFirst)->id, "arm64.load-acquire");
  EXPECT_EQ(find_isa_ordering_row(Isa::Arm64, "ldaddalh", "", MemoryOperand::NotFirst)->id, "arm64.lse-full");
  EXPECT_EQ(find_isa_ordering_row(Isa::Arm64, "stadd", "", MemoryOperand::NotFirst)->id, "arm64.lse");
  EXPECT_EQ(find_isa_ordering_row(Isa::Arm64, "dmb", "ish", MemoryOperand::None)->id, "arm64.dmb-full");
  EXPECT_EQ(find_isa_ordering_row(Isa::Arm64, "dmb", "ishld", MemoryOperand::None)->id, "arm64.dmb-load");
  // The size suffix is one letter after the base: ldarb is ldar's, `ldaddalx` nobody's.
  EXPECT_EQ(find_isa_ordering_row(Isa::Arm64, "ldaddalx", "", MemoryOperand::NotFirst), nullptr);
}

TEST(Compose, X86CodeForEachPrimitiveKind) {
  EXPECT_EQ(compose(rows({"x86.load"})), kAcquire);   // TSO: a load is never passed by later accesses
  EXPECT_EQ(compose(rows({"x86.store"})), kRelease);  // ... a store by earlier ones
  EXPECT_EQ(compose(rows({"x86.lock-rmw"})), (Ordering{true, true, true}));
  // fetch and/or/xor: a load, then a lock cmpxchg loop
  EXPECT_EQ(compose(rows({"x86.load", "x86.lock-cmpxchg"})), (Ordering{true, true, true}));
  // a failing lock cmpxchg still orders both ways, but is no read-modify-write
  EXPECT_EQ(compose(rows({"x86.lock-cmpxchg"}), true), kFull);
}

TEST(Compose, Arm64AtomicsAndBarriersByPosition) {
  EXPECT_EQ(compose(rows({"arm64.lse"})), (Ordering{false, false, true}));
  EXPECT_EQ(compose(rows({"arm64.lse-full"})), (Ordering{true, true, true}));
  EXPECT_EQ(compose(rows({"arm64.lse-full"}), true), kAcquire);  // a failing casal only loads-acquire
  // Linux's LL/SC fully ordered atomic: ldxr; stlxr; dmb ish
  EXPECT_EQ(compose(rows({"arm64.ldxr", "arm64.stlxr", "arm64.dmb-full"})), (Ordering{true, true, true}));
  // the same loop without the release or the trailing barrier is weaker
  EXPECT_EQ(compose(rows({"arm64.ldxr", "arm64.stxr", "arm64.dmb-full"})), (Ordering{false, true, true}));
  EXPECT_EQ(compose(rows({"arm64.ldxr", "arm64.stlxr"})), (Ordering{true, false, true}));
  // a barrier before the loop orders it after earlier accesses, not before later ones
  EXPECT_EQ(compose(rows({"arm64.dmb-full", "arm64.ldxr", "arm64.stxr"})), (Ordering{true, false, true}));
  // a load fence after a load is an acquire; before it, nothing
  EXPECT_EQ(compose(rows({"arm64.load", "arm64.dmb-load"})), kAcquire);
  EXPECT_EQ(compose(rows({"arm64.dmb-load", "arm64.load"})), kPlain);
  EXPECT_EQ(compose(rows({"arm64.dmb-store", "arm64.store"})), kPlain);
}

TEST(RequiredOrdering, FollowsTheBpfModelsAnnotations) {
  EXPECT_EQ(required_ordering({BpfOp::Load, 1, false}), kPlain);
  EXPECT_EQ(required_ordering({BpfOp::LoadAcquire, 2, false}), kAcquire);
  EXPECT_EQ(required_ordering({BpfOp::StoreRelease, 8, false}), kRelease);
  EXPECT_EQ(required_ordering({BpfOp::Or, 4, false}), (Ordering{false, false, true}));
  EXPECT_EQ(required_ordering({BpfOp::Or, 4, true}), (Ordering{true, true, true}));
  EXPECT_EQ(required_ordering({BpfOp::Cmpxchg, 8, true}), (Ordering{true, true, true}));
}

TEST(JitLowering, AuditedPrimitivesCoverEveryWidthOnce) {
  const auto primitives = audited_primitives();
  EXPECT_EQ(primitives.size(), 36u);
  std::set<std::string> names;
  for (const BpfPrimitive& p : primitives) {
    EXPECT_TRUE(names.insert(primitive_name(p)).second) << primitive_name(p);
    EXPECT_FALSE(expected_x86_64_lowering(p).empty()) << primitive_name(p);
  }
  EXPECT_TRUE(names.contains("xchg_32_32"));
  EXPECT_TRUE(names.contains("cmpxchg32_32"));
  EXPECT_TRUE(names.contains("lock xor u32"));
  EXPECT_TRUE(names.contains("atomic_fetch_and u64"));
  EXPECT_TRUE(names.contains("load_acquire u8"));
  EXPECT_TRUE(names.contains("store_release u16"));
}

TEST(JitLowering, EveryExpectedX86LoweringCoversTheModel) {
  for (const BpfPrimitive& p : audited_primitives()) {
    EXPECT_TRUE(compose(expected_x86_64_lowering(p)).covers(required_ordering(p))) << primitive_name(p);
  }
}

TEST(TsoOrdering, IsDerivedFromTheTable) {
  using model::Primitive;
  using model::X86Ordering;
  const model::TsoOrderingTable table = model::x86_64_jit_ordering();
  for (const Primitive plain : {Primitive::Load, Primitive::Store, Primitive::LoadAcquire, Primitive::StoreRelease,
                                Primitive::Init}) {
    EXPECT_EQ(table[plain], X86Ordering::Plain);
  }
  for (const Primitive locked : {Primitive::AtomicNoFetch, Primitive::AtomicFetch, Primitive::Xchg,
                                 Primitive::CmpxchgSuccess, Primitive::CmpxchgFailure}) {
    EXPECT_EQ(table[locked], X86Ordering::FullFence);
  }
}

}  // namespace
}  // namespace bpf_litmus::audit
