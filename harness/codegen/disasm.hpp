// BPF instructions as text, in the syntax of the kernel verifier's log
// (kernel/bpf/disasm.c): `(61) r1 = *(u32 *)(r2 +0)`, `(db) lock *(u64 *)(r1 +0) += r2`,
// `(db) r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)`, ... Used by listings,
// verifier rejections and bug reports.
#pragma once

#include <linux/bpf.h>

#include <cstddef>
#include <span>
#include <string>

namespace bpf_litmus::codegen {

// Instruction `index` of `program` without the `(code) ` prefix; an ld_imm64
// reads its second slot too, a second slot on its own prints as such.
[[nodiscard]] std::string disassemble(std::span<const bpf_insn> program, std::size_t index);

// Every instruction as `  12: (61) r1 = *(u32 *)(r2 +0)`, one per line,
// skipping the second slots of ld_imm64.
[[nodiscard]] std::string disassemble_program(std::span<const bpf_insn> program);

// Instruction `index` as the verifier log shows it: `  12: (61) r1 = *(u32 *)(r2 +0)`.
[[nodiscard]] std::string disassemble_line(std::span<const bpf_insn> program, std::size_t index);

}  // namespace bpf_litmus::codegen
