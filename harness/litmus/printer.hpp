// Printing the AST back in herd7's BPF dialect.
//
// Spellings follow herd7 (lib/BPFBase.ml, lib/ConstrGen.ml) except that r10 is
// printed `r10`, not `fp`, because most tests use it as an ordinary register,
// and a load is printed `*(u32 *)(r1 + 0)` without herd's space before `(r1`.
// parse_text(print_test(t)) equals t, positions aside, for every t the parser
// produced whose printed form stays within kMaxInputBytes.
#pragma once

#include <string>

#include "litmus/ast.hpp"

namespace bpf_litmus::litmus {

// `r2 = *(u32 *)(r1 + 0)`, `lock *(u64 *)(r1 - 8) += r2`, `if r1 == 0 goto L` ...
[[nodiscard]] std::string print_instruction(const Instruction& instruction);

// A thread-table cell: its labels (`L: `) then its instruction, if any.
[[nodiscard]] std::string print_statement(const Statement& statement);

// `0:r2` or `[x]`, as herd7 names observed places in conditions and states.
[[nodiscard]] std::string print_observable(const Observable& observable);

// `-3` or `y` (an address).
[[nodiscard]] std::string print_value(const Value& value);

// The proposition of a final condition: `0:r1=1 /\ not ([x]=2)`.
[[nodiscard]] std::string print_condition(const Condition& condition);

// `exists (0:r1=1 /\ [x]=2)`, as herd7 prints the `Condition` line.
[[nodiscard]] std::string print_final_condition(Quantifier quantifier, const Condition& condition);

// The whole test: header, comments, init block declaring every location,
// aligned thread table, `locations [...]`, final condition.
[[nodiscard]] std::string print_test(const Test& test);

}  // namespace bpf_litmus::litmus
