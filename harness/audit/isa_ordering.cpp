#include "audit/isa_ordering.hpp"

#include <array>
#include <stdexcept>

namespace bpf_litmus::audit {
namespace {

constexpr Ordering kAtomic{false, false, true};
constexpr Ordering kAtomicAcquire{false, true, true};
constexpr Ordering kAtomicRelease{true, false, true};
constexpr Ordering kAtomicFull{true, true, true};

// Intel section numbers are those of the SDM editions whose chapter 8 is
// "Multiple-Processor Management"; newer editions renumber it and keep the
// section titles. 8.2.2 is "Memory Ordering in P6 and More Recent Processor
// Families".
constexpr std::array kRows = {
    // ---- x86-64 (TSO): only a write followed by a read may be reordered.
    IsaOrderingRow{"x86.load", Isa::X86_64, "mov|movzx", MemoryOperand::NotFirst, NativeAccess::Load, kAcquire,
                   std::nullopt,
                   "Intel SDM Vol. 3A 8.2.2: reads are not reordered with other reads; writes are not "
                   "reordered with older reads"},
    IsaOrderingRow{"x86.store", Isa::X86_64, "mov", MemoryOperand::First, NativeAccess::Store, kRelease, std::nullopt,
                   "Intel SDM Vol. 3A 8.2.2: writes are not reordered with other writes nor with older reads; "
                   "a later read may pass them (store buffering)"},
    IsaOrderingRow{"x86.lock-rmw", Isa::X86_64, "lock add|lock and|lock or|lock xor|lock xadd", MemoryOperand::First,
                   NativeAccess::ReadModifyWrite, kAtomicFull, std::nullopt,
                   "Intel SDM Vol. 3A 8.1.2.2 'Software Controlled Bus Locking' (LOCK makes the read-modify-write "
                   "atomic) and 8.2.2: reads or writes cannot be reordered with locked instructions"},
    IsaOrderingRow{"x86.lock-cmpxchg", Isa::X86_64, "lock cmpxchg", MemoryOperand::First,
                   NativeAccess::ReadModifyWrite, kAtomicFull, kFull,
                   "Intel SDM Vol. 2A CMPXCHG: the destination receives a write cycle whatever the comparison "
                   "(written back unchanged when it fails), so the locked instruction is a full fence on failure "
                   "too; Vol. 3A 8.2.2: nothing is reordered with locked instructions"},
    IsaOrderingRow{"x86.xchg", Isa::X86_64, "xchg|lock xchg", MemoryOperand::First, NativeAccess::ReadModifyWrite, kAtomicFull,
                   std::nullopt,
                   "Intel SDM Vol. 3A 8.1.2.1 'Automatic Locking': XCHG with a memory operand is locked with or "
                   "without a LOCK prefix; 8.2.2: nothing is reordered with locked instructions"},
    IsaOrderingRow{"x86.mfence", Isa::X86_64, "mfence", MemoryOperand::None, NativeAccess::FullFence, kFull,
                   std::nullopt, "Intel SDM Vol. 3A 8.2.5 'Strengthening or Weakening the Memory-Ordering Model'"},

    // ---- arm64 (other-multi-copy atomic, weakly ordered).
    IsaOrderingRow{"arm64.load", Isa::Arm64, "ldr|ldur", MemoryOperand::NotFirst, NativeAccess::Load, kPlain,
                   std::nullopt,
                   "Arm ARM (DDI 0487) B2.3 'Definition of the Arm memory model': a plain load is ordered with "
                   "later accesses only by dependencies and barriers"},
    IsaOrderingRow{"arm64.store", Isa::Arm64, "str|stur", MemoryOperand::NotFirst, NativeAccess::Store, kPlain,
                   std::nullopt, "Arm ARM (DDI 0487) B2.3: a plain store is ordered only by barriers and dependencies"},
    IsaOrderingRow{"arm64.load-acquire", Isa::Arm64, "ldar", MemoryOperand::NotFirst, NativeAccess::Load, kAcquire,
                   std::nullopt,
                   "Arm ARM (DDI 0487) C6.2 LDAR and B2.3 'Ordered-before': a Load-Acquire is ordered before every "
                   "later access (RCsc)"},
    IsaOrderingRow{"arm64.load-acquire-pc", Isa::Arm64, "ldapr|ldapur", MemoryOperand::NotFirst, NativeAccess::Load,
                   kAcquire, std::nullopt,
                   "Arm ARM (DDI 0487) C6.2 LDAPR and B2.3: a Load-AcquirePC is ordered before every later access "
                   "(RCpc, which bpf.cat's rcpc asks for)"},
    IsaOrderingRow{"arm64.store-release", Isa::Arm64, "stlr|stlur", MemoryOperand::NotFirst, NativeAccess::Store,
                   kRelease, std::nullopt,
                   "Arm ARM (DDI 0487) C6.2 STLR and B2.3: every earlier access is ordered before a Store-Release"},
    IsaOrderingRow{"arm64.ldxr", Isa::Arm64, "ldxr", MemoryOperand::NotFirst, NativeAccess::ExclusiveLoad, kPlain,
                   std::nullopt,
                   "Arm ARM (DDI 0487) C6.2 LDXR and B2.9 'Synchronization and semaphores': the exclusive pair "
                   "is atomic, LDXR itself unordered"},
    IsaOrderingRow{"arm64.ldaxr", Isa::Arm64, "ldaxr", MemoryOperand::NotFirst, NativeAccess::ExclusiveLoad,
                   kAcquire, std::nullopt, "Arm ARM (DDI 0487) C6.2 LDAXR: an exclusive Load-Acquire"},
    IsaOrderingRow{"arm64.stxr", Isa::Arm64, "stxr", MemoryOperand::NotFirst, NativeAccess::ExclusiveStore, kPlain,
                   std::nullopt, "Arm ARM (DDI 0487) C6.2 STXR and B2.9: completes the exclusive pair, unordered"},
    IsaOrderingRow{"arm64.stlxr", Isa::Arm64, "stlxr", MemoryOperand::NotFirst, NativeAccess::ExclusiveStore,
                   kRelease, std::nullopt, "Arm ARM (DDI 0487) C6.2 STLXR: an exclusive Store-Release"},
    IsaOrderingRow{"arm64.lse", Isa::Arm64, "ldadd|ldclr|ldeor|ldset|stadd|stclr|steor|stset|swp|cas",
                   MemoryOperand::NotFirst, NativeAccess::ReadModifyWrite, kAtomic, kPlain,
                   "Arm ARM (DDI 0487) C6.2 LDADD (LDCLR, LDEOR, LDSET, STADD, SWP, CAS alike): without A or L the "
                   "atomic has neither acquire nor release semantics"},
    IsaOrderingRow{"arm64.lse-acquire", Isa::Arm64, "ldadda|ldclra|ldeora|ldseta|swpa|casa", MemoryOperand::NotFirst,
                   NativeAccess::ReadModifyWrite, kAtomicAcquire, kAcquire,
                   "Arm ARM (DDI 0487) C6.2 LDADDA (and alike): the load has acquire semantics"},
    IsaOrderingRow{"arm64.lse-release", Isa::Arm64,
                   "ldaddl|ldclrl|ldeorl|ldsetl|staddl|stclrl|steorl|stsetl|swpl|casl", MemoryOperand::NotFirst,
                   NativeAccess::ReadModifyWrite, kAtomicRelease, kPlain,
                   "Arm ARM (DDI 0487) C6.2 LDADDL (and alike): the store has release semantics; a CASL whose "
                   "comparison fails stores nothing"},
    IsaOrderingRow{"arm64.lse-full", Isa::Arm64, "ldaddal|ldclral|ldeoral|ldsetal|swpal|casal",
                   MemoryOperand::NotFirst, NativeAccess::ReadModifyWrite, kAtomicFull, kAcquire,
                   "Arm ARM (DDI 0487) C6.2 LDADDAL (and alike): acquire and release semantics, and B2.3 orders a "
                   "Store-Release before a later Load-Acquire (RCsc), so the atomic orders both ways; a CASAL "
                   "whose comparison fails only loads-acquire"},
    IsaOrderingRow{"arm64.dmb-full", Isa::Arm64, "dmb ish|dmb sy|dmb osh|dmb nsh", MemoryOperand::None,
                   NativeAccess::FullFence, kFull, std::nullopt,
                   "Arm ARM (DDI 0487) B2.3 'Barrier-ordered-before' and C6.2 DMB: a full DMB orders every earlier "
                   "access before every later one"},
    IsaOrderingRow{"arm64.dmb-load", Isa::Arm64, "dmb ishld|dmb ld|dmb oshld|dmb nshld", MemoryOperand::None,
                   NativeAccess::LoadFence, kAcquire, std::nullopt,
                   "Arm ARM (DDI 0487) C6.2 DMB (LD): orders earlier loads before every later access"},
    IsaOrderingRow{"arm64.dmb-store", Isa::Arm64, "dmb ishst|dmb st|dmb oshst|dmb nshst", MemoryOperand::None,
                   NativeAccess::StoreFence, kPlain, std::nullopt,
                   "Arm ARM (DDI 0487) C6.2 DMB (ST): orders earlier stores before later stores only"},

    // ---- riscv64 (RVWMO). Mnemonics without their .w/.d width (amoadd covers
    // amoadd.w and amoadd.d); compressed forms are decoded to their base names.
    IsaOrderingRow{"riscv.load", Isa::Riscv64, "lb|lh|lw|ld|lbu|lhu|lwu", MemoryOperand::NotFirst, NativeAccess::Load,
                   kPlain, std::nullopt,
                   "RISC-V Unprivileged ISA, ch. 17 'RVWMO Memory Consistency Model', 17.1.3 preserved program "
                   "order: a plain load is ordered with later accesses only by fences, dependencies and same-address "
                   "rules"},
    IsaOrderingRow{"riscv.store", Isa::Riscv64, "sb|sh|sw|sd", MemoryOperand::NotFirst, NativeAccess::Store, kPlain,
                   std::nullopt, "RISC-V Unprivileged ISA 17.1.3: a plain store is ordered only by fences and rules 1-3"},
    IsaOrderingRow{"riscv.lr", Isa::Riscv64, "lr", MemoryOperand::NotFirst, NativeAccess::ExclusiveLoad, kPlain,
                   std::nullopt,
                   "RISC-V Unprivileged ISA, 'A' extension, Load-Reserved/Store-Conditional: LR without aq/rl is "
                   "unordered; a successful SC to the reserved address makes the pair atomic"},
    IsaOrderingRow{"riscv.lr-acquire", Isa::Riscv64, "lr.aq|lr.aqrl", MemoryOperand::NotFirst,
                   NativeAccess::ExclusiveLoad, kAcquire, std::nullopt,
                   "RISC-V Unprivileged ISA 17.1.3 rule 5: an aq operation is ordered before every later access"},
    IsaOrderingRow{"riscv.sc", Isa::Riscv64, "sc|sc.aq", MemoryOperand::NotFirst, NativeAccess::ExclusiveStore, kPlain,
                   std::nullopt, "RISC-V Unprivileged ISA, 'A' extension: SC without rl orders nothing before it"},
    IsaOrderingRow{"riscv.sc-release", Isa::Riscv64, "sc.rl|sc.aqrl", MemoryOperand::NotFirst,
                   NativeAccess::ExclusiveStore, kRelease, std::nullopt,
                   "RISC-V Unprivileged ISA 17.1.3 rule 6: every earlier access is ordered before an rl operation"},
    IsaOrderingRow{"riscv.amo", Isa::Riscv64, "amoadd|amoand|amoor|amoxor|amoswap|amocas", MemoryOperand::NotFirst,
                   NativeAccess::ReadModifyWrite, kAtomic, kPlain,
                   "RISC-V Unprivileged ISA, 'A' extension, Atomic Memory Operations (and Zacas for amocas): atomic, "
                   "unordered without aq/rl"},
    IsaOrderingRow{"riscv.amo-acquire", Isa::Riscv64,
                   "amoadd.aq|amoand.aq|amoor.aq|amoxor.aq|amoswap.aq|amocas.aq", MemoryOperand::NotFirst,
                   NativeAccess::ReadModifyWrite, kAtomicAcquire, kAcquire,
                   "RISC-V Unprivileged ISA 17.1.3 rule 5: the AMO is ordered before every later access"},
    IsaOrderingRow{"riscv.amo-release", Isa::Riscv64,
                   "amoadd.rl|amoand.rl|amoor.rl|amoxor.rl|amoswap.rl|amocas.rl", MemoryOperand::NotFirst,
                   NativeAccess::ReadModifyWrite, kAtomicRelease, kPlain,
                   "RISC-V Unprivileged ISA 17.1.3 rule 6: every earlier access is ordered before the AMO"},
    IsaOrderingRow{"riscv.amo-full", Isa::Riscv64,
                   "amoadd.aqrl|amoand.aqrl|amoor.aqrl|amoxor.aqrl|amoswap.aqrl|amocas.aqrl", MemoryOperand::NotFirst,
                   NativeAccess::ReadModifyWrite, kAtomicFull, kAcquire,
                   "RISC-V Unprivileged ISA 17.1.3 rules 5-7: an AMO with aq and rl is ordered after every earlier and "
                   "before every later access (RCsc); Zacas: a failing amocas stores nothing, so only its load's "
                   "acquire is relied on"},
    IsaOrderingRow{"riscv.fence-full", Isa::Riscv64, "fence rw,rw|fence iorw,iorw|fence", MemoryOperand::None,
                   NativeAccess::FullFence, kFull, std::nullopt,
                   "RISC-V Unprivileged ISA 2.7 FENCE and 17.1.3 rule 4: FENCE RW,RW orders every earlier access "
                   "before every later one"},
    IsaOrderingRow{"riscv.fence-acquire", Isa::Riscv64, "fence r,rw", MemoryOperand::None, NativeAccess::LoadFence,
                   kAcquire, std::nullopt, "RISC-V Unprivileged ISA 2.7 FENCE: earlier loads before every later access"},
    IsaOrderingRow{"riscv.fence-release", Isa::Riscv64, "fence rw,w", MemoryOperand::None,
                   NativeAccess::ReleaseFence, kRelease, std::nullopt,
                   "RISC-V Unprivileged ISA 2.7 FENCE: every earlier access before later stores"},
    IsaOrderingRow{"riscv.fence-store", Isa::Riscv64, "fence w,w", MemoryOperand::None, NativeAccess::StoreFence,
                   kPlain, std::nullopt, "RISC-V Unprivileged ISA 2.7 FENCE: earlier stores before later stores"},
    IsaOrderingRow{"riscv.fence-tso", Isa::Riscv64, "fence.tso", MemoryOperand::None, NativeAccess::LightweightFence,
                   kPlain, std::nullopt,
                   "RISC-V Unprivileged ISA 2.7: FENCE.TSO orders loads before loads and stores, stores before "
                   "stores, not stores before loads"},

    // ---- ppc64 (Power ISA v3.0B Book II, weakly ordered, not multi-copy atomic).
    IsaOrderingRow{"ppc.load", Isa::Ppc64, "lbz|lhz|lha|lwz|lwa|ld|lbzx|lhzx|lhax|lwzx|lwax|ldx",
                   MemoryOperand::NotFirst, NativeAccess::Load, kPlain, std::nullopt,
                   "Power ISA v3.0B Book II 1.7.1 'Storage Access Ordering': accesses are ordered only by "
                   "dependencies and barriers"},
    IsaOrderingRow{"ppc.store", Isa::Ppc64, "stb|sth|stw|std|stbx|sthx|stwx|stdx", MemoryOperand::NotFirst,
                   NativeAccess::Store, kPlain, std::nullopt, "Power ISA v3.0B Book II 1.7.1: as for loads"},
    IsaOrderingRow{"ppc.larx", Isa::Ppc64, "lbarx|lharx|lwarx|ldarx", MemoryOperand::NotFirst,
                   NativeAccess::ExclusiveLoad, kPlain, std::nullopt,
                   "Power ISA v3.0B Book II 4.4.2 'Load And Reserve and Store Conditional Instructions': the pair is "
                   "atomic, each unordered"},
    IsaOrderingRow{"ppc.stcx", Isa::Ppc64, "stbcx.|sthcx.|stwcx.|stdcx.", MemoryOperand::NotFirst,
                   NativeAccess::ExclusiveStore, kPlain, std::nullopt, "Power ISA v3.0B Book II 4.4.2"},
    IsaOrderingRow{"ppc.hwsync", Isa::Ppc64, "sync 0|hwsync", MemoryOperand::None, NativeAccess::FullFence, kFull,
                   std::nullopt,
                   "Power ISA v3.0B Book II 4.6.3 'Memory Barrier Instructions', sync (L=0, hwsync): orders every "
                   "earlier access before every later one, and is cumulative"},
    IsaOrderingRow{"ppc.lwsync", Isa::Ppc64, "lwsync|sync 1", MemoryOperand::None, NativeAccess::LightweightFence, kPlain,
                   std::nullopt,
                   "Power ISA v3.0B Book II 4.6.3, sync L=1 (lwsync): orders every pair of accesses except an "
                   "earlier store with a later load"},

    // ---- s390x (z/Architecture: loads and stores appear in program order to
    // other CPUs, except that a later load may pass an earlier store).
    IsaOrderingRow{"s390.load", Isa::S390x, "l|lg|lgf|llgc|llgh|llgf|llc|llh|lh|lb|lgb|lgh|ly",
                   MemoryOperand::NotFirst, NativeAccess::Load, kAcquire, std::nullopt,
                   "z/Architecture Principles of Operation (SA22-7832) ch. 5 'Storage-Operand Consistency' "
                   "(conceptual sequence): loads are not reordered with later accesses"},
    IsaOrderingRow{"s390.store", Isa::S390x, "st|stg|stc|sth|sty|stcy|sthy", MemoryOperand::NotFirst,
                   NativeAccess::Store, kRelease, std::nullopt,
                   "z/Architecture PoP ch. 5 'Storage-Operand Consistency': stores are not reordered with earlier "
                   "accesses; a later load may pass them"},
    IsaOrderingRow{"s390.cs", Isa::S390x, "cs|csy|csg", MemoryOperand::NotFirst, NativeAccess::ReadModifyWrite,
                   kAtomicFull, kFull,
                   "z/Architecture PoP ch. 7 COMPARE AND SWAP: an interlocked update, with serialization before the "
                   "operand is fetched and after the operation, whether or not the comparison succeeds"},
    IsaOrderingRow{"s390.interlocked", Isa::S390x, "laa|laag|laal|laalg|lan|lang|lao|laog|lax|laxg",
                   MemoryOperand::NotFirst, NativeAccess::ReadModifyWrite, kAtomicRelease, kPlain,
                   "z/Architecture PoP ch. 7 LOAD AND ADD (interlocked-access facility 1): an interlocked update "
                   "without serialization, so a later load may pass its store"},
    IsaOrderingRow{"s390.serialize", Isa::S390x, "bcr 14, %r0|bcr 15, %r0|bcr 0xe, %r0|bcr 0xf, %r0",
                   MemoryOperand::None, NativeAccess::FullFence, kFull, std::nullopt,
                   "z/Architecture PoP ch. 5 'Serialization': BCR 15,0 (and BCR 14,0 with the fast-BCR-serialization "
                   "facility) completes every earlier access before any later one"},
};

// Whether `entry` of a row's list names this instruction.
bool entry_matches(Isa isa, std::string_view entry, std::string_view mnemonic, std::string_view operands) {
  if (entry == mnemonic) return true;
  if (entry.size() > mnemonic.size() && entry.substr(0, mnemonic.size()) == mnemonic &&
      entry[mnemonic.size()] == ' ') {
    return entry.substr(mnemonic.size() + 1) == operands;  // a barrier with its option: `dmb ish`
  }
  // arm64 byte and halfword forms: ldarb, stlrh, ldaddalb, casb
  if (isa == Isa::Arm64) {
    return mnemonic.size() == entry.size() + 1 && mnemonic.substr(0, entry.size()) == entry &&
           (mnemonic.back() == 'b' || mnemonic.back() == 'h');
  }
  // riscv widths: amoadd.w.aqrl and amoadd.d.aqrl are the entry amoadd.aqrl
  if (isa == Isa::Riscv64) {
    const std::size_t dot = mnemonic.find('.');
    if (dot == std::string_view::npos || mnemonic.substr(0, 4) == "fenc") return false;
    const std::string_view width = mnemonic.substr(dot, 2);
    if (width != ".w" && width != ".d") return false;
    return entry == std::string(mnemonic.substr(0, dot)) + std::string(mnemonic.substr(dot + 2));
  }
  return false;
}

bool row_matches(const IsaOrderingRow& row, std::string_view mnemonic, std::string_view operands) {
  std::string_view list = row.mnemonics;
  while (!list.empty()) {
    const std::size_t bar = list.find('|');
    if (entry_matches(row.isa, list.substr(0, bar), mnemonic, operands)) return true;
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return false;
}

bool is_access(NativeAccess access) {
  return access == NativeAccess::Load || access == NativeAccess::Store || access == NativeAccess::ReadModifyWrite ||
         access == NativeAccess::ExclusiveLoad || access == NativeAccess::ExclusiveStore;
}

bool reads(NativeAccess access) {
  return access == NativeAccess::Load || access == NativeAccess::ReadModifyWrite ||
         access == NativeAccess::ExclusiveLoad;
}

bool writes(NativeAccess access) {
  return access == NativeAccess::Store || access == NativeAccess::ReadModifyWrite ||
         access == NativeAccess::ExclusiveStore;
}

// A fence before an access orders every earlier access before it.
bool orders_after(NativeAccess fence, NativeAccess access) {
  return fence == NativeAccess::FullFence ||
         ((fence == NativeAccess::ReleaseFence || fence == NativeAccess::LightweightFence) && writes(access));
}

// A fence after an access orders it before every later access.
bool orders_before(NativeAccess fence, NativeAccess access) {
  return fence == NativeAccess::FullFence ||
         ((fence == NativeAccess::LoadFence || fence == NativeAccess::LightweightFence) && reads(access));
}

}  // namespace

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::X86_64: return "x86-64";
    case Isa::Arm64: return "arm64";
    case Isa::Riscv64: return "riscv64";
    case Isa::Ppc64: return "ppc64";
    case Isa::S390x: return "s390x";
  }
  return "?";
}

std::optional<Isa> host_isa() {
#if defined(__x86_64__)
  return Isa::X86_64;
#elif defined(__aarch64__)
  return Isa::Arm64;
#elif defined(__riscv) && __riscv_xlen == 64
  return Isa::Riscv64;
#elif defined(__powerpc64__)
  return Isa::Ppc64;
#elif defined(__s390x__)
  return Isa::S390x;
#else
  return std::nullopt;
#endif
}

std::string describe(const Ordering& ordering) {
  std::string text = ordering.full()            ? "full"
                     : ordering.before_later   ? "acquire"
                     : ordering.after_earlier  ? "release"
                     : ordering.atomic         ? "unordered"
                                               : "plain";
  if (ordering.atomic) text += ", atomic";
  return text;
}

std::span<const IsaOrderingRow> isa_ordering_table() { return kRows; }

const IsaOrderingRow& isa_ordering_row(std::string_view id) {
  for (const auto& row : kRows) {
    if (row.id == id) return row;
  }
  throw std::out_of_range("no ISA ordering row " + std::string(id));
}

const IsaOrderingRow* find_isa_ordering_row(Isa isa, std::string_view mnemonic, std::string_view operands,
                                            MemoryOperand operand) {
  for (const auto& row : kRows) {
    if (row.isa == isa && row.operand == operand && row_matches(row, mnemonic, operands)) return &row;
  }
  return nullptr;
}

Ordering compose(std::span<const IsaOrderingRow* const> rows, bool comparison_failed) {
  const auto effective = [comparison_failed](const IsaOrderingRow& row) {
    return comparison_failed && row.on_failed_compare ? *row.on_failed_compare : row.ordering;
  };
  const auto executed = [comparison_failed](const IsaOrderingRow& row) {
    return !(comparison_failed && row.access == NativeAccess::ExclusiveStore);
  };
  Ordering result;
  bool exclusive_load = false;
  bool exclusive_store = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const IsaOrderingRow& row = *rows[i];
    if (!is_access(row.access) || !executed(row)) continue;
    const Ordering own = effective(row);
    bool after = own.after_earlier;
    bool before = own.before_later;
    for (std::size_t j = 0; j < rows.size(); ++j) {
      const NativeAccess fence = rows[j]->access;
      if (j < i && orders_after(fence, row.access)) after = true;
      if (j > i && orders_before(fence, row.access)) before = true;
    }
    result.after_earlier = result.after_earlier || after;
    result.before_later = result.before_later || before;
    result.atomic = result.atomic || own.atomic;
    exclusive_load = exclusive_load || row.access == NativeAccess::ExclusiveLoad;
    exclusive_store = exclusive_store || row.access == NativeAccess::ExclusiveStore;
  }
  result.atomic = result.atomic || (exclusive_load && exclusive_store);
  return result;
}

}  // namespace bpf_litmus::audit
