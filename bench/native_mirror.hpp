// Native C++ mirrors of SB+pos, MP+pos, LB+pos and SB+pos.P0 (SB+pos's first
// thread alone, the benchmark's control): the same accesses (u32,
// through std::atomic_ref with relaxed ordering: plain movs on x86) on the
// same arena memory, with the same sync mode implemented in C++, run by the
// same runner in place of the BPF programs (runtime::detail::run_with).
#pragma once

#include <optional>
#include <string>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "runtime/detail.hpp"

namespace bpf_litmus::bench {

// The mirror of `test` (SB+pos, MP+pos or LB+pos of litmus/, or the
// benchmark's SB+pos.P0), compiled as
// `compiled`, over `loaded`'s arena; nullopt for any other test.
std::optional<runtime::detail::NativeThread> native_mirror(const litmus::Test& test,
                                                           const codegen::CompiledTest& compiled,
                                                           runtime::LoadedTest& loaded);

}  // namespace bpf_litmus::bench
