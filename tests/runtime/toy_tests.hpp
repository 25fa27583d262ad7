// Hand-built CompiledTests that follow the ControlBlock protocol just far
// enough to exercise the runtime without codegen.
#pragma once

#include <cstdint>

#include "codegen/compiled_test.hpp"

namespace bpf_litmus::runtime::testing {

inline constexpr std::uint32_t kToyCapacity = 1024;  // power of two: indices are masked with it

// A layout for `threads` threads, one result word each, kToyCapacity
// instances of 64 bytes whose image is `image`.
codegen::MemoryLayout toy_layout(int threads, std::vector<std::uint8_t> image = {});

// Every thread t runs n_instances instances (at most `at_most` if non-zero)
// through bpf_loop; instance i writes i % (t + 2) to its result word. Returns
// the instances it ran. Observes each thread's result word.
codegen::CompiledTest counting_test(int threads, std::uint32_t at_most = 0);

// P0 waits (at most spin_limit bpf_loop rounds) for barrier word 0 to become
// non-zero, which P1 never writes; on timeout P0 sets abort and returns 0.
// P1 returns 0 at once: it never arrives.
codegen::CompiledTest never_arrives_test();

// One thread that busy-loops in bpf_loop for spin_limit * 2^26 ns (a time,
// not a count: a fast CPU ran 8 * 2^23 empty rounds within 50 ms), ignoring abort.
codegen::CompiledTest ignores_abort_test();

// One thread whose program is `insns`; source_statement maps each instruction to itself.
codegen::CompiledTest single_program_test(std::vector<bpf_insn> insns);

}  // namespace bpf_litmus::runtime::testing
