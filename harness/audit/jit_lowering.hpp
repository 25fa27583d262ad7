// The BPF access and ordering primitives, and the native code the x86-64 JIT
// is expected to emit for each (arch/x86/net/bpf_jit_comp.c), as rows of the
// ISA ordering table. Static data: the tso model derives its ordering table
// from it without asking the kernel, and the JIT audit's CTest checks that
// this kernel's JIT still emits it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audit/isa_ordering.hpp"

namespace bpf_litmus::audit {

enum class BpfOp : std::uint8_t {
  Load, Store, LoadAcquire, StoreRelease,
  Add, And, Or, Xor,  // BPF_ATOMIC, with or without BPF_FETCH
  Xchg, Cmpxchg,      // always fetch
};

// One BPF instruction that touches memory, at one width.
struct BpfPrimitive {
  BpfOp op = BpfOp::Load;
  unsigned bytes = 8;  // 1, 2, 4, 8 (atomics: 4, 8)
  bool fetch = false;  // Add..Xor: BPF_FETCH; Xchg and Cmpxchg: always true

  friend bool operator==(const BpfPrimitive&, const BpfPrimitive&) = default;
};

// The dialect's spelling: "load u8", "store_release u16", "lock add u32",
// "atomic_fetch_or u64", "xchg_32_32", "xchg_64", "cmpxchg32_32", "cmpxchg_64".
[[nodiscard]] std::string primitive_name(BpfPrimitive primitive);

// What the audit probes: plain load and store, load-acquire and
// store-release at 8/16/32/64 bits; add/and/or/xor with and without fetch,
// xchg and cmpxchg at 32/64 bits.
[[nodiscard]] std::span<const BpfPrimitive> audited_primitives();

// The rows of the memory accesses and fences the x86-64 JIT emits for
// `primitive`, in program order (register moves and branches left out).
[[nodiscard]] std::vector<const IsaOrderingRow*> expected_x86_64_lowering(BpfPrimitive primitive);

}  // namespace bpf_litmus::audit
