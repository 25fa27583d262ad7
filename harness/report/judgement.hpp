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

// What the model says of a state seen on the machine.
enum class Verdict : std::uint8_t {
  Allowed,       // some allowed execution ends in it (also when no model judged the run)
  Forbidden,     // no execution the model describes ends in it: a hardware, kernel or harness bug
  OutsideModel,  // not allowed, but an execution herd7 drops (a read of a non-location,
                 // model::UndefinedOutcome) may end in it: the model says nothing about it
};

// A final state seen on the machine, with how often and what the model says.
struct ObservedState {
  model::FinalState state;
  std::uint64_t count = 0;
  bool satisfies_condition = false;  // the condition's proposition holds (litmus7's `*>`)
  Verdict verdict = Verdict::Allowed;
  std::string why_forbidden;  // Forbidden: the model's explanation, when the caller asked for it
  std::string why_outside;    // OutsideModel: `P1 reads x+10, which is no location`
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
  std::uint64_t outside_model_instances = 0;  // ... in a state outside the model
  std::size_t outside_model_states = 0;
};

// Names the raw histogram's value vectors: registers and locations as the
// test spells them, addresses as location names, memory sign-extended from its
// width (herd7 computes on signed values). Merges vectors that name the same state.
[[nodiscard]] std::vector<std::pair<model::FinalState, std::uint64_t>> decode_histogram(
    const litmus::Test& test, const codegen::CompiledTest& compiled, const runtime::Histogram& histogram);

// Sets decoded states against the condition and, when given, a prediction:
// a state the prediction does not allow is outside the model when one of its
// undefined outcomes matches it, forbidden otherwise.
[[nodiscard]] Judgement judge(const litmus::Test& test,
                              const std::vector<std::pair<model::FinalState, std::uint64_t>>& decoded,
                              const model::Prediction* prediction, std::optional<model::ModelKind> model);

}  // namespace bpf_litmus::report
