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
// herd7 drops a read-from map in which a read accesses a non-location (an
// address no location of the test starts at, such as x+10): no write gives
// it a value. The hardware does read something there. With
// NonLocationReads::Report those maps are visited too, as undefined
// candidates: such reads take no rf edge and an unknown value, and whatever
// depends on that value is unknown (Candidate::undefined says what).
//
// With Pruning::Coherent the search also skips, as early as it can, what
// every model here forbids: read-from maps whose `cobase` is cyclic (herd7's
// ConsCo check) and coherence orders that break per-location coherence
// (acyclic po-loc | rf | co | fr). Pruning::None keeps them, for explanations.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <vector>

#include "litmus/ast.hpp"
#include "model/execution.hpp"
#include "model/model.hpp"
#include "model/value.hpp"

namespace bpf_litmus::model {

// What is unknown in an undefined candidate (one herd7 drops, see above).
struct UndefinedValues {
  std::vector<std::size_t> non_location_reads;  // events reading a non-location at a known address
  std::vector<std::array<bool, litmus::kNumRegs>> registers;  // per thread: unknown at the end
  std::vector<bool> memory;                      // per location: unknown final value
  // Some write goes through an address computed from an unknown value: it
  // may change any memory, so no final value is known.
  bool write_to_unknown_address = false;
};

// A candidate execution with the final values it gives.
struct Candidate {
  const Execution& execution;
  const std::vector<std::array<Val, litmus::kNumRegs>>& registers;  // per thread, at the end
  const std::vector<Val>& memory;  // per location, the value of its last write in co
  bool cut_off;                    // some thread stopped at the unrolling limit
  const UndefinedValues* undefined = nullptr;  // set only for an undefined candidate
};

enum class Pruning : std::uint8_t { Coherent, None };
enum class NonLocationReads : std::uint8_t { Drop, Report };

// Calls visit on every candidate execution of test (and, with Report, on the
// undefined ones); throws ModelError for a test herd7 rejects, LimitExceeded
// past limits.
void for_each_candidate(const litmus::Test& test, const LocationTable& locations, const Limits& limits,
                        Pruning pruning, const std::function<void(const Candidate&)>& visit,
                        NonLocationReads non_location_reads = NonLocationReads::Drop);

}  // namespace bpf_litmus::model
