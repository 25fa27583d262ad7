// Tiny fixed BPF programs that ask the kernel whether it accepts one
// construct each. runtime/probe loads them (BPF_PROG_TYPE_SYSCALL, sleepable:
// the program type every test runs as) and records which ones the verifier
// takes. Each builder returns a complete program ending in exit.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <span>
#include <vector>

namespace bpf_litmus::bpf_progs {

// r0 = value; exit. Checks that a program of this type loads and test-runs.
std::vector<bpf_insn> return_value_program(std::int32_t value);

// r1 = address of byte 0 of the value of the map `map_fd` (at least 8
// bytes); r2 = 1; r0 = 0; then `body`; then return 0. The frame of every
// one-instruction probe: the JIT audit loads it with and without the
// instruction and compares the two native images.
std::vector<bpf_insn> single_access_program(int map_fd, std::span<const bpf_insn> body);

// One BPF_STX|BPF_ATOMIC instruction of `bytes` width and operation `op`
// (BPF_ADD, BPF_ADD|BPF_FETCH, BPF_XCHG, BPF_CMPXCHG, BPF_LOAD_ACQ,
// BPF_STORE_REL, ...) on byte 0 of the value of the map `map_fd`, which must
// hold at least 8 bytes. Returns 0.
std::vector<bpf_insn> atomic_program(int map_fd, unsigned bytes, std::int32_t op);

// Calls bpf_loop(4, callback, NULL, 0) and returns what it returned (4).
std::vector<bpf_insn> loop_program();

// A loop bounded only by may_goto; returns its iteration count.
std::vector<bpf_insn> may_goto_program();

}  // namespace bpf_litmus::bpf_progs
