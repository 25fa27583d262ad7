// The model stage: which final states a memory model allows for a litmus
// test, computed the way herd7 computes them, so that `predict(test, Bpf)`
// equals herd7's output for herd/libdir/bpf.cat state for state and count for
// count.
//
// How a prediction is made (see candidates.hpp for the details):
//  - each thread is run symbolically along every control-flow path (values
//    read from memory are unknowns; a branch on an unknown forks; a cmpxchg
//    forks into success and failure), which gives its events;
//  - for every choice of one path per thread, every read-from map (a read may
//    take any write of its location, including the initial one, that is not
//    after it in its own thread) whose values solve, and every coherence order
//    extending herd7's `cobase`, the model is asked whether the candidate
//    execution is allowed;
//  - allowed candidates give the final states; each counts once towards
//    herd7's `Positive`/`Negative` (satisfies the condition's proposition or
//    not);
//  - read-from maps herd7 drops because a read accesses a non-location give,
//    apart from all that, the undefined outcomes (UndefinedOutcome).
//
// Bounds (Limits): the search is exponential in the size of the test. It never
// runs unbounded: more than max_branches choices where there was more than
// one option (a path per thread, a write per read, a coherence order), more
// than max_paths paths in a thread, or a path longer than max_steps
// instructions raise LimitExceeded naming the limit. Between two counted
// choices the work is polynomial; with the defaults a search stops within
// about a minute. Each of herd7's 177 BPF tests needs fewer than 1000
// choices; four threads of eight events (bounds_test.cpp) about 131000.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "litmus/ast.hpp"

namespace bpf_litmus::model {

class MemoryModel;

enum class ModelKind : std::uint8_t { Bpf, Sc, Tso };

// "bpf", "sc", "tso"; nullopt for anything else.
[[nodiscard]] std::optional<ModelKind> model_kind_from_name(std::string_view name);
[[nodiscard]] std::string_view model_kind_name(ModelKind kind);

struct Limits {
  std::uint64_t max_branches = 2'000'000;  // choices of path, read-from and coherence order
  std::uint32_t unroll = 2;        // times a backward jump is taken (herd7's -unroll default)
  std::uint32_t max_steps = 4096;  // instructions along one path of one thread
  std::uint32_t max_paths = 4096;  // control-flow paths of one thread
};

// The search exceeded one of the Limits; what() names it and its value.
class LimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A final state: the observed places of a test with their values, in herd7's
// order (registers by thread then number, then locations by name). An
// address plus an offset is spelled as herd7 prints it, `x+4`, as location.
using FinalState = std::vector<std::pair<litmus::Observable, litmus::Value>>;

enum class Observation : std::uint8_t { Never, Sometimes, Always };

// Final states of executions herd7 drops because a read accesses a
// non-location (an address no location of the test starts at, such as x+10,
// which no write gives a value). The hardware does read something there, so
// such a state is outside what the model describes: neither allowed nor
// forbidden. A place whose value depends on such a read is unknown
// (nullopt); the rest of the execution passes the model's axioms.
struct UndefinedOutcome {
  std::vector<std::pair<litmus::Observable, std::optional<litmus::Value>>> pattern;  // herd7's order
  std::string reason;  // `P1 reads x+10, which is no location`

  // Whether state has pattern's known values (state lists the same places).
  [[nodiscard]] bool matches(const FinalState& state) const;
  // `1:r2=10; 1:r3=?;`
  [[nodiscard]] std::string text() const;
};

struct Prediction {
  std::vector<FinalState> states;  // the allowed final states, in herd7's order
  std::uint64_t positive = 0;      // allowed executions satisfying the condition's proposition
  std::uint64_t negative = 0;      // allowed executions not satisfying it
  bool validated = false;          // herd7's Ok: the quantified condition holds
  Observation observation = Observation::Never;
  bool loop_limit_reached = false;  // herd7's "Loop": some execution needed more unrolling
  // Not part of herd7's output: outcomes of the executions it drops, distinct, in text order.
  std::vector<UndefinedOutcome> undefined;
};

// Predicts test under the model of that kind; throws ModelError (value.hpp)
// for a test herd7 rejects and LimitExceeded when the search is too large.
[[nodiscard]] Prediction predict(const litmus::Test& test, ModelKind kind, const Limits& limits = {});
// Same, under any memory model (memory_model.hpp), e.g. a TSO with another table.
[[nodiscard]] Prediction predict(const litmus::Test& test, const MemoryModel& model,
                                 const Limits& limits = {});

// The places a final state shows: those of the condition and of the
// `locations` list, without repeats, in herd7's order.
[[nodiscard]] std::vector<litmus::Observable> observables(const litmus::Test& test);

// The canonical final state of test from observed values, given in any order;
// throws std::invalid_argument when an observable of the test is missing,
// repeated, or not one of observables(test).
[[nodiscard]] FinalState make_final_state(const litmus::Test& test,
                                          std::vector<std::pair<litmus::Observable, litmus::Value>> values);

// Whether the proposition of test's condition (without its quantifier) holds in
// state; places the state lacks make their atoms false.
[[nodiscard]] bool condition_holds(const litmus::Test& test, const FinalState& state);

// herd7's order of final states of one test: value by value, integers
// (numerically) before addresses (by location name).
[[nodiscard]] bool state_less(const FinalState& a, const FinalState& b);

// herd7's spelling of a place: `0:r2` (r10 is `fp`, as herd7 prints it), `[x]`.
[[nodiscard]] std::string format_observable(const litmus::Observable& place);
// herd7's spelling of a value: `3`, `-1`, `x`.
[[nodiscard]] std::string format_value(const litmus::Value& value);
// herd7's state line: `0:r2=0; 1:r0=3; [x]=y;`
[[nodiscard]] std::string format_state(const FinalState& state);

// Why a model forbids a final state: some candidate execution with that final
// state and the first axiom it violates, with a witness cycle.
struct Explanation {
  enum class Verdict : std::uint8_t {
    Forbidden,    // every candidate with the state violates an axiom; see below
    Allowed,      // some candidate with the state is allowed
    Unreachable,  // no candidate execution has the state at all
  };
  struct Step {
    std::string event;      // `P1 r2 = *(u32 *)(r1 + 0): R[y]=0`
    std::string relations;  // names of the relations from this event to the next: `rfe`
  };
  Verdict verdict = Verdict::Unreachable;
  std::string axiom;        // the violated axiom, herd7's name (`Happens-before`)
  std::vector<Step> cycle;  // the last step leads back to the first
  [[nodiscard]] std::string text() const;  // a few lines for a bug report
};

// Explains why the model of that kind forbids state (see Explanation).
// Among candidates with the state, picks one passing the most axioms.
[[nodiscard]] Explanation explain(const litmus::Test& test, ModelKind kind, const FinalState& state,
                                  const Limits& limits = {});

}  // namespace bpf_litmus::model
