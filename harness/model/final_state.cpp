#include <algorithm>
#include <stdexcept>

#include "model/model.hpp"
#include "model/outcome.hpp"

namespace bpf_litmus::model {
namespace {

// herd7's order of places: registers by thread then number, then locations by name.
bool place_before(const litmus::Observable& a, const litmus::Observable& b) {
  if (a.is_register != b.is_register) return a.is_register;
  if (a.is_register) return a.thread != b.thread ? a.thread < b.thread : a.reg < b.reg;
  return a.location < b.location;
}

void collect_places(const litmus::Condition& c, std::vector<litmus::Observable>& into) {
  if (c.kind == litmus::Condition::Kind::Atom) into.push_back(c.atom.target);
  for (const litmus::Condition& operand : c.operands) collect_places(operand, into);
}

bool same_value(const litmus::Value& a, const litmus::Value& b) {
  if (a.is_address != b.is_address) return false;
  return a.is_address ? a.location == b.location : a.integer == b.integer;
}

bool holds(const litmus::Condition& c, const FinalState& state) {
  switch (c.kind) {
    case litmus::Condition::Kind::Const: return c.constant;
    case litmus::Condition::Kind::Atom: {
      const auto it = std::find_if(state.begin(), state.end(),
                                   [&](const auto& entry) { return entry.first == c.atom.target; });
      return it != state.end() && same_value(it->second, c.atom.value);
    }
    case litmus::Condition::Kind::Not: return !c.operands.empty() && !holds(c.operands.front(), state);
    case litmus::Condition::Kind::And:
      return std::all_of(c.operands.begin(), c.operands.end(),
                         [&](const litmus::Condition& o) { return holds(o, state); });
    case litmus::Condition::Kind::Or:
      return std::any_of(c.operands.begin(), c.operands.end(),
                         [&](const litmus::Condition& o) { return holds(o, state); });
  }
  return false;
}

}  // namespace

std::vector<litmus::Observable> observables(const litmus::Test& test) {
  std::vector<litmus::Observable> places;
  collect_places(test.condition, places);
  places.insert(places.end(), test.extra_observed.begin(), test.extra_observed.end());
  std::vector<litmus::Observable> unique;
  for (const litmus::Observable& p : places) {
    if (std::find(unique.begin(), unique.end(), p) == unique.end()) unique.push_back(p);
  }
  std::stable_sort(unique.begin(), unique.end(), place_before);
  return unique;
}

FinalState make_final_state(const litmus::Test& test,
                            std::vector<std::pair<litmus::Observable, litmus::Value>> values) {
  const std::vector<litmus::Observable> places = observables(test);
  FinalState state(places.size());
  std::vector<bool> seen(places.size(), false);
  for (auto& [place, value] : values) {
    const auto it = std::find(places.begin(), places.end(), place);
    if (it == places.end()) {
      throw std::invalid_argument(format_observable(place) + " is not observed by test " + test.name);
    }
    const auto i = static_cast<std::size_t>(it - places.begin());
    if (seen[i]) throw std::invalid_argument(format_observable(place) + " is given twice");
    seen[i] = true;
    state[i] = {place, std::move(value)};
  }
  for (std::size_t i = 0; i < places.size(); ++i) {
    if (!seen[i]) throw std::invalid_argument(format_observable(places[i]) + " has no value");
  }
  return state;
}

bool condition_holds(const litmus::Test& test, const FinalState& state) {
  return holds(test.condition, state);
}

std::string format_observable(const litmus::Observable& place) {
  if (!place.is_register) return "[" + place.location + "]";
  const std::string reg = place.reg == 10 ? "fp" : "r" + std::to_string(place.reg);
  return std::to_string(place.thread) + ":" + reg;
}

std::string format_value(const litmus::Value& value) {
  return value.is_address ? value.location : std::to_string(value.integer);
}

std::string format_state(const FinalState& state) {
  std::string line;
  for (const auto& [place, value] : state) {
    if (!line.empty()) line += ' ';
    line += format_observable(place) + "=" + format_value(value) + ";";
  }
  return line;
}

std::vector<Val> outcome_of(const Candidate& candidate, const std::vector<litmus::Observable>& places,
                            const LocationTable& locations) {
  std::vector<Val> outcome;
  outcome.reserve(places.size());
  for (const litmus::Observable& place : places) {
    if (!place.is_register) {
      outcome.push_back(candidate.memory.at(locations.index(place.location)));
      continue;
    }
    if (place.thread < 0 || static_cast<std::size_t>(place.thread) >= candidate.registers.size() ||
        place.reg >= litmus::kNumRegs) {
      throw ModelError("the condition observes " + format_observable(place) + ", which no thread has");
    }
    outcome.push_back(candidate.registers[static_cast<std::size_t>(place.thread)][place.reg]);
  }
  return outcome;
}

std::vector<bool> unknown_places(const Candidate& candidate, const std::vector<litmus::Observable>& places,
                                 const LocationTable& locations) {
  const UndefinedValues& undefined = *candidate.undefined;
  std::vector<bool> unknown;
  unknown.reserve(places.size());
  for (const litmus::Observable& place : places) {
    if (undefined.write_to_unknown_address) {
      unknown.push_back(true);
    } else if (place.is_register) {
      unknown.push_back(undefined.registers.at(static_cast<std::size_t>(place.thread))[place.reg]);
    } else {
      unknown.push_back(undefined.memory.at(locations.index(place.location)));
    }
  }
  return unknown;
}

bool UndefinedOutcome::matches(const FinalState& state) const {
  if (state.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& [place, value] = pattern[i];
    if (!(state[i].first == place)) return false;
    if (value && !same_value(*value, state[i].second)) return false;
  }
  return true;
}

std::string UndefinedOutcome::text() const {
  std::string line;
  for (const auto& [place, value] : pattern) {
    if (!line.empty()) line += ' ';
    line += format_observable(place) + "=" + (value ? format_value(*value) : "?") + ";";
  }
  return line;
}

bool state_less(const FinalState& a, const FinalState& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const litmus::Value& x = a[i].second;
    const litmus::Value& y = b[i].second;
    if (x.is_address != y.is_address) return !x.is_address;
    if (x.is_address ? x.location != y.location : x.integer != y.integer) {
      return x.is_address ? x.location < y.location : x.integer < y.integer;
    }
  }
  return a.size() < b.size();
}

bool OutcomeOrder::operator()(const std::vector<Val>& a, const std::vector<Val>& b) const {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const int c = compare(a[i], b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

FinalState to_final_state(const std::vector<litmus::Observable>& places, const std::vector<Val>& outcome,
                          const LocationTable& locations) {
  FinalState state;
  for (std::size_t i = 0; i < places.size(); ++i) state.emplace_back(places[i], locations.to_value(outcome[i]));
  return state;
}

}  // namespace bpf_litmus::model
