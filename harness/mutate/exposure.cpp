#include "mutate/exposure.hpp"

#include <algorithm>
#include <stdexcept>

namespace bpf_litmus::mutate {

Exposure exposure(const Mutant& mutant, const model::Prediction& original_bpf) {
  Exposure result;
  try {
    const model::Prediction tso = model::predict(mutant.test, model::ModelKind::Tso);
    for (const model::FinalState& state : tso.states) {
      const bool allowed = std::find(original_bpf.states.begin(), original_bpf.states.end(), state) !=
                           original_bpf.states.end();
      if (!allowed && state_counts(mutant, state)) result.states.push_back(state);
    }
  } catch (const std::exception& e) {  // ModelError, LimitExceeded
    result.note = e.what();
  }
  return result;
}

}  // namespace bpf_litmus::mutate
