// herd7's textual result for a prediction (herd/top_herd.ml), byte for byte,
// less the `Time` and `Hash` lines: what `herd7 -model bpf.cat` prints.
#pragma once

#include <string>

#include "litmus/ast.hpp"
#include "model/model.hpp"

namespace bpf_litmus::report {

// `Test NAME Allowed` ... `Observation NAME Sometimes 1 3`, then a blank line.
[[nodiscard]] std::string format_herd(const litmus::Test& test, const model::Prediction& prediction);

// The quantified condition as herd7's `Condition` line spells it:
// `exists (0:r2=0 /\ [x]=1)`, `~exists (...)`, `forall (...)`.
[[nodiscard]] std::string format_herd_condition(const litmus::Test& test);

}  // namespace bpf_litmus::report
