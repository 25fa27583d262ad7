// Enumeration of candidate executions, as herd7 does it (herd/mem.ml with
// herd/libdir/cos-opt.cat):
//  - one control-flow path per thread (thread_paths.hpp), plus an initial
//    write per location;
//  - a read-from map: each read takes a write of a compatible location that
//    is not after it in its own thread (nor itself); the values then solve
//    (reads equal their writes, unknowns compute) or the map is dropped, also
//    when a value would depend on itself;
//  - the path constraints (branch outcomes, cmpxchg comparisons) must hold
//    and every read must share its write's location;
//  - a coherence order per location: every order starting with the initial
//    write that extends herd7's `cobase` (the write order the read-from map
//    implies through program order); the last write of each location gives
//    its final value.
// Each surviving combination is one candidate, counted once by herd7 when its
// model allows it.
//
// With Pruning::Coherent the search also skips, as early as it can, what
// every model here forbids: read-from maps whose `cobase` is cyclic (herd7's
// ConsCo check) and coherence orders that break per-location coherence
// (acyclic po-loc | rf | co | fr). Pruning::None keeps them, for explanations.
#pragma once

#include <array>
#include <functional>
#include <vector>

#include "litmus/ast.hpp"
#include "model/execution.hpp"
#include "model/model.hpp"
#include "model/value.hpp"

namespace bpf_litmus::model {

// A candidate execution with the final values it gives.
struct Candidate {
  const Execution& execution;
  const std::vector<std::array<Val, litmus::kNumRegs>>& registers;  // per thread, at the end
  const std::vector<Val>& memory;  // per location, the value of its last write in co
  bool cut_off;                    // some thread stopped at the unrolling limit
};

enum class Pruning : std::uint8_t { Coherent, None };

// Calls visit on every candidate execution of test; throws ModelError for a
// test herd7 rejects, LimitExceeded past limits.
void for_each_candidate(const litmus::Test& test, const LocationTable& locations, const Limits& limits,
                        Pruning pruning, const std::function<void(const Candidate&)>& visit);

}  // namespace bpf_litmus::model
