// What each native instruction a BPF JIT emits guarantees about memory
// ordering: ONE table, one row per instruction (or mnemonic family), each
// citing the ISA manual. The JIT audit judges the kernel's machine code with
// it, and the tso model's TsoOrderingTable is derived from it (through the
// expected x86-64 lowering in jit_lowering.hpp), so a fact about x86 is
// stated once.
//
// Pure data and pure functions: no kernel, no disassembler, no host-only
// dependency, so the same code runs in a cross-compiled guest.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bpf_litmus::audit {

enum class Isa : std::uint8_t { X86_64, Arm64, Riscv64, Ppc64, S390x };

// "x86-64", "arm64", "riscv64", "ppc64", "s390x".
[[nodiscard]] std::string_view isa_name(Isa isa);
// The ISA of the machine this program was built for, if the table covers it.
[[nodiscard]] std::optional<Isa> host_isa();

// How the accesses of one instruction, or of the code for one BPF primitive,
// are ordered with the other accesses of the same thread.
struct Ordering {
  bool after_earlier = false;  // every program-order-earlier access is ordered before it (release side)
  bool before_later = false;   // it is ordered before every program-order-later access (acquire side)
  bool atomic = false;         // an indivisible read-modify-write

  [[nodiscard]] bool full() const { return after_earlier && before_later; }
  // Has every guarantee `required` has.
  [[nodiscard]] bool covers(const Ordering& required) const {
    return (after_earlier || !required.after_earlier) && (before_later || !required.before_later) &&
           (atomic || !required.atomic);
  }
  friend bool operator==(const Ordering&, const Ordering&) = default;
};
inline constexpr Ordering kPlain{};
inline constexpr Ordering kAcquire{false, true, false};
inline constexpr Ordering kRelease{true, false, false};
inline constexpr Ordering kFull{true, true, false};

// "plain", "acquire", "release", "full", then ", atomic" when atomic.
[[nodiscard]] std::string describe(const Ordering& ordering);

// What an instruction does, as far as ordering goes.
enum class NativeAccess : std::uint8_t {
  Load,
  Store,
  ReadModifyWrite,  // one indivisible instruction (x86 locked, arm64 LSE)
  ExclusiveLoad,    // the load of a load-linked/store-conditional pair
  ExclusiveStore,   // its store; the pair is atomic
  FullFence,        // orders every earlier access before every later one
  LoadFence,        // orders earlier loads before every later access
  StoreFence,       // orders earlier stores before later stores only
  ReleaseFence,     // orders every earlier access before later stores (riscv `fence rw,w`)
  LightweightFence, // all but earlier stores before later loads: LoadFence and ReleaseFence (ppc lwsync)
};

// Where an instruction's memory operand is among its operands as printed: on
// x86 it tells a load (`mov rax, [mem]`) from a store (`mov [mem], rax`);
// the other ISAs always print it last (or, ppc indexed forms, as registers:
// the disassembler still marks them NotFirst).
enum class MemoryOperand : std::uint8_t {
  None,      // no memory operand (a fence)
  First,     // x86 store or read-modify-write: `lock add qword ptr [rdi], rsi`
  NotFirst,  // x86 load, every other ISA's access: `ldar x2, [x0]`
};

struct IsaOrderingRow {
  std::string_view id;         // stable name: "x86.lock-rmw"
  Isa isa = Isa::X86_64;
  // Instructions the row covers, `|` separated, as capstone spells the
  // mnemonic (x86 with its `lock ` prefix), or mnemonic and operands for a
  // barrier (`dmb ish`, `fence rw,rw`). On arm64 the `b` and `h` size forms
  // (ldarb, stlrh) are covered by their base mnemonic.
  std::string_view mnemonics;
  MemoryOperand operand = MemoryOperand::NotFirst;
  NativeAccess access = NativeAccess::Load;
  Ordering ordering;                            // what the instruction guarantees
  std::optional<Ordering> on_failed_compare;    // compare-and-swap: what remains when the comparison fails
  std::string_view citation;                    // the manual section that says so
};

// Every row, grouped by ISA: x86-64, arm64, riscv64, ppc64, s390x.
[[nodiscard]] std::span<const IsaOrderingRow> isa_ordering_table();
// The row with that id; throws std::out_of_range for an unknown id.
[[nodiscard]] const IsaOrderingRow& isa_ordering_row(std::string_view id);

// The row covering an instruction of `isa` (mnemonic, operands as printed,
// where its memory operand is), if the table has one.
[[nodiscard]] const IsaOrderingRow* find_isa_ordering_row(Isa isa, std::string_view mnemonic, std::string_view operands,
                                                          MemoryOperand operand);

// The ordering the code for one BPF primitive gives, from the rows of its
// memory accesses and fences in program order. An access is ordered after
// earlier accesses when its row says so or a full fence precedes it in the
// code; before later ones when its row says so, a full fence follows it, or
// (a load) a load fence follows it; a store is ordered after earlier accesses
// by a release fence before it, and a lightweight fence acts as both. The
// code is ordered on a side when one of its accesses is (a load-linked/
// store-conditional loop is ordered by its store-release and trailing
// barrier, as Linux's fully ordered arm64 atomics are). It is atomic when a row is, or when an exclusive load and store pair
// up. With comparison_failed, compare-and-swap rows give on_failed_compare and
// exclusive stores (not executed) give nothing.
[[nodiscard]] Ordering compose(std::span<const IsaOrderingRow* const> rows, bool comparison_failed = false);

}  // namespace bpf_litmus::audit
