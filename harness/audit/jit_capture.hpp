// The JIT audit's only kernel-facing code: load one small program per BPF
// primitive (and the same program without it), run it once, and read back
// what the JIT made of both. Everything else (disassembly, judgement) works
// on the bytes, so images captured on another machine are judged alike.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audit/jit_lowering.hpp"

namespace bpf_litmus::audit {

struct JitCapture {
  BpfPrimitive primitive;
  std::vector<std::uint8_t> with_primitive;     // native image of the probe
  std::vector<std::uint8_t> without_primitive;  // the same program minus the primitive
  std::string error;  // non-empty: not loaded (and why), not JIT-compiled, or the test run failed
};

// One capture per primitive, in order. Needs root (or CAP_BPF + CAP_PERFMON).
[[nodiscard]] std::vector<JitCapture> capture_jit_images(std::span<const BpfPrimitive> primitives);

}  // namespace bpf_litmus::audit
