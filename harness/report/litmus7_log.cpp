#include "report/litmus7_log.hpp"

#include <cstdio>

#include "model/model.hpp"
#include "report/herd_format.hpp"
#include "report/numbers.hpp"

namespace bpf_litmus::report {
namespace {

std::string left_aligned(std::uint64_t count, std::size_t width) {
  std::string text = std::to_string(count);
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string format_litmus7(const litmus::Test& test, const Judgement& judgement, const RunFacts& facts) {
  const std::string name = herd_test_name(test);
  std::string out = "Test " + name + " " + std::string(quantifier_kind_name(test.quantifier)) + "\n";
  out += "Histogram (" + std::to_string(judgement.observed.size()) + " states)\n";
  for (const auto& observed : judgement.observed) {
    out += left_aligned(observed.count, 6) + (observed.satisfies_condition ? "*>" : ":>") +
           model::format_state(observed.state) + "\n";
  }
  out += judgement.validated ? "Ok\n" : "No\n";
  out += "\nWitnesses\n";
  const auto [positive, negative] = witness_counts(test.quantifier, judgement.positive, judgement.negative);
  out += "Positive: " + std::to_string(positive) + ", Negative: " + std::to_string(negative) + "\n";
  out += "Condition " + format_herd_condition(test) + (judgement.validated ? " is validated\n" : " is NOT validated\n");
  out += "Observation " + name + " " + std::string(observation_name(judgement.observation)) + " " +
         std::to_string(judgement.positive) + " " + std::to_string(judgement.negative) + "\n";
  out += "Time " + name + " " + fixed(facts.seconds, 2) + "\n";
  return out;
}

std::string format_verdicts(const Judgement& judgement, const RunFacts& facts) {
  std::string out;
  if (judgement.model) {
    const std::string model(model::model_kind_name(*judgement.model));
    out += "Model " + model + ": " + std::to_string(judgement.observed.size()) + " states observed, " +
           std::to_string(judgement.forbidden_states) + " forbidden";
    if (judgement.forbidden_states > 0) out += " (" + std::to_string(judgement.forbidden_instances) + " instances)";
    if (judgement.outside_model_states > 0) {
      out += ", " + std::to_string(judgement.outside_model_states) + " outside the model (" +
             std::to_string(judgement.outside_model_instances) + " instances)";
    }
    out += "\n";
    for (const auto& observed : judgement.observed) {
      if (observed.verdict == Verdict::Allowed) {
        out += "  allowed       " + left_aligned(observed.count, 10) + model::format_state(observed.state) + "\n";
        continue;
      }
      if (observed.verdict == Verdict::OutsideModel) {
        out += "  outside model " + left_aligned(observed.count, 10) + model::format_state(observed.state) +
               "   <- outside the model (" + observed.why_outside + ")\n";
        continue;
      }
      out += "  !!! FORBIDDEN " + left_aligned(observed.count, 10) + model::format_state(observed.state) +
             "   <- forbidden by the " + model + " model\n";
      if (!observed.why_forbidden.empty()) {
        std::size_t start = 0;
        while (start < observed.why_forbidden.size()) {
          const std::size_t end = observed.why_forbidden.find('\n', start);
          out += "      " + observed.why_forbidden.substr(start, end - start) + "\n";
          if (end == std::string::npos) break;
          start = end + 1;
        }
      }
    }
    if (!judgement.allowed_never_observed.empty()) {
      out += "  Allowed by " + model + ", never observed (" + std::to_string(judgement.allowed_never_observed.size()) +
             "):\n";
      for (const auto& state : judgement.allowed_never_observed) out += "    " + model::format_state(state) + "\n";
    }
  }
  const double seconds = facts.seconds > 0 ? facts.seconds : 1e-9;
  out += "Run: " + std::to_string(facts.iterations) + " iterations in " + fixed(facts.seconds, 3) + " s (" +
         si(static_cast<double>(facts.iterations) / seconds) + " iter/s, " +
         si(static_cast<double>(judgement.positive) / seconds) + " witnesses/s), sync " + facts.sync + ", " +
         std::to_string(facts.launches) + " launches";
  if (facts.unsynchronised > 0) out += ", " + std::to_string(facts.unsynchronised) + " unsynchronised instances";
  out += "\n";
  out += "Placement: " + facts.placement + "\n";
  out += "Machine: " + facts.machine + "\n";
  if (!facts.status_note.empty()) out += "Note: " + facts.status_note + "\n";
  return out;
}

}  // namespace bpf_litmus::report
