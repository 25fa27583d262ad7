#include "report/herd_format.hpp"

namespace bpf_litmus::report {
namespace {

// Where a proposition sits, for herd7's parenthesising (lib/constrGen.ml).
enum class Context : std::uint8_t { Top, And, Or };

std::string proposition(const litmus::Condition& c, Context above) {
  using Kind = litmus::Condition::Kind;
  switch (c.kind) {
    case Kind::Const: return c.constant ? "true" : "false";
    case Kind::Atom:
      return model::format_observable(c.atom.target) + "=" + model::format_value(c.atom.value);
    case Kind::Not:
      return "not (" + (c.operands.empty() ? std::string() : proposition(c.operands.front(), Context::Top)) + ")";
    case Kind::And:
    case Kind::Or: break;
  }
  const bool is_and = c.kind == Kind::And;
  if (c.operands.empty()) return is_and ? "true" : "false";
  const Context here = is_and ? Context::And : Context::Or;
  std::string text;
  for (const litmus::Condition& operand : c.operands) {
    if (!text.empty()) text += is_and ? " /\\ " : " \\/ ";
    text += proposition(operand, here);
  }
  // A disjunction inside a conjunction is the only case needing parentheses.
  return above == Context::And && !is_and ? "(" + text + ")" : text;
}

}  // namespace

// herd7 names a test as its header does, less a `.litmus` suffix (Misc.clean_name).
std::string herd_test_name(const litmus::Test& test) {
  constexpr std::string_view kSuffix = ".litmus";
  const std::string& name = test.name;
  if (name.size() > kSuffix.size() && name.ends_with(kSuffix)) return name.substr(0, name.size() - kSuffix.size());
  return name;
}

std::string_view quantifier_kind_name(litmus::Quantifier q) {
  switch (q) {
    case litmus::Quantifier::Exists: return "Allowed";
    case litmus::Quantifier::NotExists: return "Forbidden";
    case litmus::Quantifier::Forall: return "Required";
  }
  return "Allowed";
}

std::string_view observation_name(model::Observation o) {
  switch (o) {
    case model::Observation::Never: return "Never";
    case model::Observation::Sometimes: return "Sometimes";
    case model::Observation::Always: return "Always";
  }
  return "Never";
}


std::pair<std::uint64_t, std::uint64_t> witness_counts(litmus::Quantifier quantifier, std::uint64_t positive,
                                                       std::uint64_t negative) {
  if (quantifier == litmus::Quantifier::NotExists) return {negative, positive};
  return {positive, negative};
}

std::string format_herd_condition(const litmus::Test& test) {
  std::string_view quantifier = "exists";
  if (test.quantifier == litmus::Quantifier::NotExists) quantifier = "~exists";
  if (test.quantifier == litmus::Quantifier::Forall) quantifier = "forall";
  return std::string(quantifier) + " (" + proposition(test.condition, Context::Top) + ")";
}

std::string format_herd(const litmus::Test& test, const model::Prediction& prediction) {
 const std::string name = herd_test_name(test);
  std::string out = "Test " + name + " " + std::string(quantifier_kind_name(test.quantifier)) + "\n";
  out += "States " + std::to_string(prediction.states.size()) + "\n";
  for (const model::FinalState& state : prediction.states) out += model::format_state(state) + "\n";
  out += prediction.loop_limit_reached ? "Loop " : "";
  out += prediction.validated ? "Ok\n" : "No\n";
  out += "Witnesses\n";
  const auto [positive, negative] = witness_counts(test.quantifier, prediction.positive, prediction.negative);
  out += "Positive: " + std::to_string(positive) + " Negative: " + std::to_string(negative) + "\n";
  out += "Condition " + format_herd_condition(test) + "\n";
  out += "Observation " + name + " " + std::string(observation_name(prediction.observation)) + " " +
         std::to_string(prediction.positive) + " " + std::to_string(prediction.negative) + "\n";
  out += "\n";
  return out;
}

}  // namespace bpf_litmus::report
