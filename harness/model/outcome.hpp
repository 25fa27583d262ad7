// The final values of a candidate execution at a test's observed places.
#pragma once

#include <vector>

#include "model/candidates.hpp"
#include "model/model.hpp"
#include "model/value.hpp"

namespace bpf_litmus::model {

// The value at each of places (see observables()) at the end of candidate;
// throws ModelError for a register of a thread the test lacks.
[[nodiscard]] std::vector<Val> outcome_of(const Candidate& candidate,
                                          const std::vector<litmus::Observable>& places,
                                          const LocationTable& locations);

// For an undefined candidate (Candidate::undefined): whether the value at each
// of places is unknown.
[[nodiscard]] std::vector<bool> unknown_places(const Candidate& candidate,
                                               const std::vector<litmus::Observable>& places,
                                               const LocationTable& locations);

// herd7's order of outcomes: value by value, each by compare() (value.hpp).
struct OutcomeOrder {
  bool operator()(const std::vector<Val>& a, const std::vector<Val>& b) const;
};

[[nodiscard]] FinalState to_final_state(const std::vector<litmus::Observable>& places,
                                        const std::vector<Val>& outcome, const LocationTable& locations);

}  // namespace bpf_litmus::model
