// Judging a hardware run: the raw histogram of observed value vectors becomes
// named final states, each set against the model's prediction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "model/model.hpp"
#include "runtime/histogram.hpp"

namespace bpf_litmus::report {

// A final state seen on the machine, with how often and what the model says.
struct ObservedState {
  model::FinalState state;
  std::uint64_t count = 0;
  bool satisfies_condition = false;  // the condition's proposition holds (litmus7's `*>`)
  bool allowed_by_model = true;      // true when no model judged the run
  std::string why_forbidden;         // the model's explanation, when the caller asked for it
};

struct Judgement {
  std::vector<ObservedState> observed;  // in herd7's state order
  std::uint64_t positive = 0;           // instances whose state satisfies the proposition
  std::uint64_t negative = 0;
  bool validated = false;               // the quantified condition holds on what was seen
  model::Observation observation = model::Observation::Never;

  // Filled when a model judged the run.
  std::optional<model::ModelKind> model;
  std::vector<model::FinalState> allowed_never_observed;
  std::uint64_t forbidden_instances = 0;  // instances that ended in a forbidden state
  std::size_t forbidden_states = 0;
};

// Names the raw histogram's value vectors: registers and locations as the
// test spells them, addresses as location names, memory sign-extended from its
// width (herd7 computes on signed values). Merges vectors that name the same state.
[[nodiscard]] std::vector<std::pair<model::FinalState, std::uint64_t>> decode_histogram(
    const litmus::Test& test, const codegen::CompiledTest& compiled, const runtime::Histogram& histogram);

// Sets decoded states against the condition and, when given, a prediction.
[[nodiscard]] Judgement judge(const litmus::Test& test,
                              const std::vector<std::pair<model::FinalState, std::uint64_t>>& decoded,
                              const model::Prediction* prediction, std::optional<model::ModelKind> model);

}  // namespace bpf_litmus::report
