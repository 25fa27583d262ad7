#include <map>
#include <optional>
#include <string>

#include "model/candidates.hpp"
#include "model/memory_model.hpp"
#include "model/model.hpp"
#include "model/outcome.hpp"

namespace bpf_litmus::model {

Prediction predict(const litmus::Test& test, ModelKind kind, const Limits& limits) {
  return predict(test, *make_model(kind), limits);
}

namespace {

// `P1 reads x+10, which is no location`, for each such read of candidate.
std::string undefined_reason(const Candidate& candidate, const LocationTable& locations) {
  const Execution& x = candidate.execution;
  std::string reason;
  for (const std::size_t e : candidate.undefined->non_location_reads) {
    if (!reason.empty()) reason += "; ";
    reason += "P" + std::to_string(x.events[e].thread) + " reads " +
              locations.format(x.addresses.at(x.events[e].location)) + ", which is no location";
  }
  if (candidate.undefined->write_to_unknown_address) reason += ", then writes through an address computed from it";
  return reason;
}

UndefinedOutcome undefined_outcome(const Candidate& candidate, const std::vector<litmus::Observable>& places,
                                   const LocationTable& locations) {
  const FinalState state = to_final_state(places, outcome_of(candidate, places, locations), locations);
  const std::vector<bool> unknown = unknown_places(candidate, places, locations);
  UndefinedOutcome outcome;
  for (std::size_t i = 0; i < state.size(); ++i) {
    outcome.pattern.emplace_back(state[i].first, unknown[i] ? std::nullopt : std::optional(state[i].second));
  }
  outcome.reason = undefined_reason(candidate, locations);
  return outcome;
}

}  // namespace

Prediction predict(const litmus::Test& test, const MemoryModel& model, const Limits& limits) {
  const LocationTable locations = LocationTable::of(test);
  const std::vector<litmus::Observable> places = observables(test);
  // Each distinct outcome, and whether it satisfies the condition.
  std::map<std::vector<Val>, bool, OutcomeOrder> outcomes;
  std::map<std::string, UndefinedOutcome> undefined;  // by pattern and reason
  Prediction prediction;
  const auto visit = [&](const Candidate& candidate) {
    if (model.first_violation(candidate.execution)) return;
    if (candidate.undefined != nullptr) {
      if (candidate.cut_off) return;
      UndefinedOutcome outcome = undefined_outcome(candidate, places, locations);
      undefined.try_emplace(outcome.text() + " " + outcome.reason, std::move(outcome));
      return;
    }
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
  };
  for_each_candidate(test, locations, limits, Pruning::Coherent, visit, NonLocationReads::Report);
  for (const auto& [outcome, holds] : outcomes) {
    prediction.states.push_back(to_final_state(places, outcome, locations));
  }
  for (auto& [key, outcome] : undefined) prediction.undefined.push_back(std::move(outcome));
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
