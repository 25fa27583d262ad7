#include <map>

#include "model/candidates.hpp"
#include "model/memory_model.hpp"
#include "model/model.hpp"
#include "model/outcome.hpp"

namespace bpf_litmus::model {

Prediction predict(const litmus::Test& test, ModelKind kind, const Limits& limits) {
  return predict(test, *make_model(kind), limits);
}

Prediction predict(const litmus::Test& test, const MemoryModel& model, const Limits& limits) {
  const LocationTable locations = LocationTable::of(test);
  const std::vector<litmus::Observable> places = observables(test);
  // Each distinct outcome, and whether it satisfies the condition.
  std::map<std::vector<Val>, bool, OutcomeOrder> outcomes;
  Prediction prediction;
  for_each_candidate(test, locations, limits, Pruning::Coherent, [&](const Candidate& candidate) {
    if (model.first_violation(candidate.execution)) return;
    // herd7 sets executions cut off by unrolling aside, remembering that it did.
    if (candidate.cut_off) {
      prediction.loop_limit_reached = true;
      return;
    }
    std::vector<Val> outcome = outcome_of(candidate, places, locations);
    auto it = outcomes.find(outcome);
    if (it == outcomes.end()) {
      const bool holds = condition_holds(test, to_final_state(places, outcome, locations));
      it = outcomes.emplace(std::move(outcome), holds).first;
    }
    ++(it->second ? prediction.positive : prediction.negative);
  });
  for (const auto& [outcome, holds] : outcomes) {
    prediction.states.push_back(to_final_state(places, outcome, locations));
  }
  switch (test.quantifier) {
    case litmus::Quantifier::Exists: prediction.validated = prediction.positive > 0; break;
    case litmus::Quantifier::NotExists: prediction.validated = prediction.positive == 0; break;
    case litmus::Quantifier::Forall: prediction.validated = prediction.negative == 0; break;
  }
  if (prediction.positive == 0) {
    prediction.observation = Observation::Never;
  } else if (prediction.negative == 0) {
    prediction.observation = Observation::Always;
  } else {
    prediction.observation = Observation::Sometimes;
  }
  return prediction;
}

}  // namespace bpf_litmus::model
