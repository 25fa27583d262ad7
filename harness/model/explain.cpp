#include <optional>
#include <string>

#include "litmus/printer.hpp"
#include "model/candidates.hpp"
#include "model/memory_model.hpp"
#include "model/model.hpp"
#include "model/outcome.hpp"

namespace bpf_litmus::model {
namespace {

// Thrown from the search once the state turns out to be allowed.
struct StateAllowed {};

std::string_view annotation_name(Annotation a) {
  switch (a) {
    case Annotation::Plain: return "";
    case Annotation::Acquire: return " AQ";
    case Annotation::Release: return " RL";
    case Annotation::Atomic: return " X";
    case Annotation::SeqCst: return " SC";
  }
  return "";
}

// `P1 r2 = *(u32 *)(r1 + 0): R[y]=0`, `init: W[x]=0`
std::string describe(const litmus::Test& test, const LocationTable& locations, const Execution& x,
                     std::size_t e) {
  const Execution::Event& ev = x.events[e];
  const std::string place = "[" + locations.format(x.addresses.at(ev.location)) + "]=";
  std::string access;
  if (ev.reads && ev.writes) {
    access = "RW" + place + locations.format(ev.read) + "->" + locations.format(ev.written);
  } else if (ev.reads) {
    access = "R" + place + locations.format(ev.read);
  } else {
    access = "W" + place + locations.format(ev.written);
  }
  access += annotation_name(ev.annotation);
  if (ev.thread < 0) return "init: " + access;
  const litmus::Statement& statement =
      test.threads.at(static_cast<std::size_t>(ev.thread)).code.at(ev.statement);
  return "P" + std::to_string(ev.thread) + " " + litmus::print_instruction(*statement.instruction) +
         ": " + access;
}

bool same_state(const FinalState& a, const FinalState& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i].first == b[i].first) || format_value(a[i].second) != format_value(b[i].second) ||
        a[i].second.is_address != b[i].second.is_address) {
      return false;
    }
  }
  return true;
}

std::string relation_names(const Axiom& axiom, std::size_t from, std::size_t to) {
  std::string names;
  for (const NamedRelation& part : axiom.parts) {
    if (!part.relation->contains(from, to)) continue;
    if (!names.empty()) names += " | ";
    names += part.name;
  }
  return names;
}

// Events a = path[0] -steps[0]-> path[1] ... -> b, one per step.
bool find_steps(const std::vector<NamedRelation>& steps, std::size_t step, std::size_t b,
                std::vector<std::size_t>& path) {
  if (step == steps.size()) return path.back() == b;
  for (const std::size_t next : steps[step].relation->successors(path.back()).elements()) {
    path.push_back(next);
    if (find_steps(steps, step + 1, b, path)) return true;
    path.pop_back();
  }
  return false;
}

std::vector<Explanation::Step> witness(const litmus::Test& test, const LocationTable& locations,
                                       const Execution& x, const Axiom& axiom) {
  std::vector<Explanation::Step> cycle;
  const auto describe_event = [&](std::size_t e) { return describe(test, locations, x, e); };
  if (axiom.kind == Axiom::Kind::Acyclic) {
    const std::vector<std::size_t> events = axiom.relation.find_cycle().value_or(std::vector<std::size_t>{});
    for (std::size_t i = 0; i < events.size(); ++i) {
      const std::size_t next = events[(i + 1) % events.size()];
      cycle.push_back({describe_event(events[i]), relation_names(axiom, events[i], next)});
    }
    return cycle;
  }
  const auto pairs = axiom.relation.pairs();
  if (pairs.empty() || axiom.parts.empty()) return cycle;
  const auto [a, b] = pairs.front();
  const std::vector<NamedRelation> steps(axiom.parts.begin() + 1, axiom.parts.end());
  std::vector<std::size_t> path{a};
  if (!find_steps(steps, 0, b, path)) return cycle;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    cycle.push_back({describe_event(path[i]), std::string(steps[i].name)});
  }
  cycle.push_back({describe_event(b), std::string(axiom.parts.front().name) + "^-1"});
  return cycle;
}

}  // namespace

std::string Explanation::text() const {
  switch (verdict) {
    case Verdict::Allowed: return "allowed: some candidate execution with this final state passes every axiom\n";
    case Verdict::Unreachable: return "unreachable: no candidate execution ends in this final state\n";
    case Verdict::Forbidden: break;
  }
  std::string out = "forbidden: axiom " + axiom + " fails on this cycle:\n";
  for (const Step& step : cycle) out += "  " + step.event + "\n    --" + step.relations + "-->\n";
  if (!cycle.empty()) out += "  (back to " + cycle.front().event + ")\n";
  return out;
}

Explanation explain(const litmus::Test& test, ModelKind kind, const FinalState& state, const Limits& limits) {
  const std::unique_ptr<MemoryModel> model = make_model(kind);
  const LocationTable locations = LocationTable::of(test);
  const std::vector<litmus::Observable> places = observables(test);
  const FinalState target = make_final_state(test, state);

  // The candidate with the state that passes the most axioms.
  std::optional<std::size_t> best_failure;
  Execution best;
  Explanation explanation;
  try {
    for_each_candidate(test, locations, limits, Pruning::None, [&](const Candidate& candidate) {
      if (candidate.cut_off) return;
      if (!same_state(to_final_state(places, outcome_of(candidate, places, locations), locations), target)) {
        return;
      }
      const std::optional<std::size_t> failure = model->first_violation(candidate.execution);
      if (!failure) throw StateAllowed{};
      if (!best_failure || *failure > *best_failure) {
        best_failure = failure;
        best = candidate.execution;
      }
    });
  } catch (const StateAllowed&) {
    explanation.verdict = Explanation::Verdict::Allowed;
    return explanation;
  }
  if (!best_failure) return explanation;

  explanation.verdict = Explanation::Verdict::Forbidden;
  std::size_t position = 0;
  model->evaluate(best, [&](const Axiom& axiom) {
    if (position++ < *best_failure) return true;
    explanation.axiom = std::string(axiom.name);
    explanation.cycle = witness(test, locations, best, axiom);
    return false;
  });
  return explanation;
}

}  // namespace bpf_litmus::model
