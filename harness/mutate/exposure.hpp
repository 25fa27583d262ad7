// Whether this machine can show a mutant's weakening: the tso model (x86-64's
// JIT output under x86-TSO) allows for the mutant a final state that the bpf
// model forbids for the original. Only such mutants are worth running here.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"
#include "mutate/mutants.hpp"

namespace bpf_litmus::mutate {

struct Exposure {
  std::vector<model::FinalState> states;  // allowed for the mutant by tso, forbidden for the original by bpf
  std::string note;                       // non-empty: the model could not decide, and why

  [[nodiscard]] bool exposable() const { return !states.empty(); }
};

// original_bpf is predict(original, ModelKind::Bpf).
[[nodiscard]] Exposure exposure(const Mutant& mutant, const model::Prediction& original_bpf);

}  // namespace bpf_litmus::mutate
