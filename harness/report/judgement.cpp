#include "report/judgement.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "codegen/codegen.hpp"

namespace bpf_litmus::report {
namespace {

std::int64_t sign_extend(std::uint64_t raw, litmus::Width width) {
  const unsigned bits = 8 * static_cast<unsigned>(width);
  if (bits >= 64) return static_cast<std::int64_t>(raw);
  const std::uint64_t sign = 1ull << (bits - 1);
  const std::uint64_t low = raw & ((1ull << bits) - 1);
  return static_cast<std::int64_t>((low ^ sign) - sign);
}

// One observed word as the test would spell it. The runtime rebases every
// address word to instance 0 (see runtime::collect), so decode against it.
litmus::Value decode_word(const litmus::Test& test, const codegen::CompiledTest& compiled,
                          const codegen::ObservedSlot& slot, std::uint64_t raw) {
  litmus::Value value;
  if (const auto location = codegen::decode_address(compiled.layout, 0, raw)) {
    value.is_address = true;
    value.location = test.locations[*location].name;
    return value;
  }
  value.integer = slot.from_result ? static_cast<std::int64_t>(raw) : sign_extend(raw, slot.width);
  return value;
}

}  // namespace

std::vector<std::pair<model::FinalState, std::uint64_t>> decode_histogram(
    const litmus::Test& test, const codegen::CompiledTest& compiled, const runtime::Histogram& histogram) {
  std::map<std::string, std::pair<model::FinalState, std::uint64_t>> by_text;
  for (const auto& entry : histogram.entries()) {
    std::vector<std::pair<litmus::Observable, litmus::Value>> values;
    values.reserve(entry.key.size());
    for (std::size_t k = 0; k < entry.key.size(); ++k) {
      const auto& slot = compiled.observed[k];
      values.emplace_back(slot.what, decode_word(test, compiled, slot, entry.key[k]));
    }
    model::FinalState state = model::make_final_state(test, std::move(values));
    auto [it, inserted] = by_text.try_emplace(model::format_state(state), std::move(state), 0);
    it->second.second += entry.count;
  }
  std::vector<std::pair<model::FinalState, std::uint64_t>> decoded;
  decoded.reserve(by_text.size());
  for (auto& [text, state_and_count] : by_text) decoded.push_back(std::move(state_and_count));
  std::sort(decoded.begin(), decoded.end(),
            [](const auto& a, const auto& b) { return model::state_less(a.first, b.first); });
  return decoded;
}

Judgement judge(const litmus::Test& test, const std::vector<std::pair<model::FinalState, std::uint64_t>>& decoded,
                const model::Prediction* prediction, std::optional<model::ModelKind> model) {
  Judgement judgement;
  judgement.model = prediction != nullptr ? model : std::nullopt;
  std::set<std::string> allowed;
  if (prediction != nullptr) {
    for (const auto& state : prediction->states) allowed.insert(model::format_state(state));
  }
  std::set<std::string> seen;
  for (const auto& [state, count] : decoded) {
    ObservedState observed{state, count, model::condition_holds(test, state), Verdict::Allowed, {}, {}};
    const std::string text = model::format_state(state);
    seen.insert(text);
    if (prediction != nullptr && !allowed.contains(text)) {
      const auto undefined = std::find_if(prediction->undefined.begin(), prediction->undefined.end(),
                                          [&](const model::UndefinedOutcome& u) { return u.matches(state); });
      if (undefined != prediction->undefined.end()) {
        observed.verdict = Verdict::OutsideModel;
        observed.why_outside = undefined->reason;
        judgement.outside_model_instances += count;
        ++judgement.outside_model_states;
      } else {
        observed.verdict = Verdict::Forbidden;
        judgement.forbidden_instances += count;
        ++judgement.forbidden_states;
      }
    }
    (observed.satisfies_condition ? judgement.positive : judgement.negative) += count;
    judgement.observed.push_back(std::move(observed));
  }
  if (prediction != nullptr) {
    for (const auto& state : prediction->states) {
      if (!seen.contains(model::format_state(state))) judgement.allowed_never_observed.push_back(state);
    }
  }
  switch (test.quantifier) {
    case litmus::Quantifier::Exists: judgement.validated = judgement.positive > 0; break;
    case litmus::Quantifier::NotExists: judgement.validated = judgement.positive == 0; break;
    case litmus::Quantifier::Forall: judgement.validated = judgement.negative == 0; break;
  }
  judgement.observation = judgement.positive == 0   ? model::Observation::Never
                          : judgement.negative == 0 ? model::Observation::Always
                                                    : model::Observation::Sometimes;
  return judgement;
}

}  // namespace bpf_litmus::report
