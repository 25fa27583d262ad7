// A thread's JIT image as text, each run of native instructions under the
// test statement or harness block it implements: what `compile --load --jit`
// prints and bug reports keep.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::report {

// `lines` are runtime::jited_line_offsets of the program (empty: the image
// is listed without statements). Disassembled for this machine's ISA.
[[nodiscard]] std::string native_listing(std::span<const std::uint8_t> image, std::span<const runtime::JitedLine> lines,
                                         const codegen::ThreadProgram& program, const litmus::Test& test);

}  // namespace bpf_litmus::report
