// herd7's textual result for a prediction (herd/top_herd.ml), byte for byte,
// less the `Time` and `Hash` lines: what `herd7 -model bpf.cat` prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "litmus/ast.hpp"
#include "model/model.hpp"

namespace bpf_litmus::report {

// The test's name as herd7 and litmus7 print it (less a `.litmus` suffix).
[[nodiscard]] std::string herd_test_name(const litmus::Test& test);

// `Allowed` (exists), `Forbidden` (~exists), `Required` (forall).
[[nodiscard]] std::string_view quantifier_kind_name(litmus::Quantifier quantifier);

// `Never`, `Sometimes`, `Always`.
[[nodiscard]] std::string_view observation_name(model::Observation observation);

// herd7 and litmus7 count `~exists` witnesses against the proposition: the
// (positive, negative) pair their Witnesses line prints.
[[nodiscard]] std::pair<std::uint64_t, std::uint64_t> witness_counts(litmus::Quantifier quantifier,
                                                                     std::uint64_t positive, std::uint64_t negative);

// `Test NAME Allowed` ... `Observation NAME Sometimes 1 3`, then a blank line.
[[nodiscard]] std::string format_herd(const litmus::Test& test, const model::Prediction& prediction);

// The quantified condition as herd7's `Condition` line spells it:
// `exists (0:r2=0 /\ [x]=1)`, `~exists (...)`, `forall (...)`.
[[nodiscard]] std::string format_herd_condition(const litmus::Test& test);

}  // namespace bpf_litmus::report
