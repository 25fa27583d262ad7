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
};

// Whether `entry` of a row's list names this instruction.
bool entry_matches(Isa isa, std::string_view entry, std::string_view mnemonic, std::string_view operands) {
  if (entry == mnemonic) return true;
  if (entry.size() > mnemonic.size() && entry.substr(0, mnemonic.size()) == mnemonic &&
      entry[mnemonic.size()] == ' ') {
    return entry.substr(mnemonic.size() + 1) == operands;  // a barrier with its option: `dmb ish`
  }
  // arm64 byte and halfword forms: ldarb, stlrh, ldaddalb, casb
  return isa == Isa::Arm64 && mnemonic.size() == entry.size() + 1 && mnemonic.substr(0, entry.size()) == entry &&
         (mnemonic.back() == 'b' || mnemonic.back() == 'h');
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
  return access != NativeAccess::FullFence && access != NativeAccess::LoadFence &&
         access != NativeAccess::StoreFence;
}

bool reads(NativeAccess access) {
  return access == NativeAccess::Load || access == NativeAccess::ReadModifyWrite ||
         access == NativeAccess::ExclusiveLoad;
}

}  // namespace

std::string_view isa_name(Isa isa) { return isa == Isa::X86_64 ? "x86-64" : "arm64"; }

std::optional<Isa> host_isa() {
#if defined(__x86_64__)
  return Isa::X86_64;
#elif defined(__aarch64__)
  return Isa::Arm64;
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
      if (j < i && fence == NativeAccess::FullFence) after = true;
      if (j > i && (fence == NativeAccess::FullFence || (fence == NativeAccess::LoadFence && reads(row.access)))) {
        before = true;
      }
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
