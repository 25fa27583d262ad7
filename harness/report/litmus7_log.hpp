// A hardware run in litmus7's log format, so that herdtools7's log tools
// (msum7, mcompare7) read our results, followed by bpf-litmus's own lines
// (model verdicts, run facts). The classic lines are kept exact; everything
// new goes below them.
#pragma once

#include <cstdint>
#include <string>

#include "litmus/ast.hpp"
#include "report/judgement.hpp"

namespace bpf_litmus::report {

// Facts about how a run went that the log reports next to the histogram.
struct RunFacts {
  std::uint64_t iterations = 0;
  double seconds = 0;           // wall-clock time of the hammering
  std::uint64_t launches = 0;
  std::uint64_t unsynchronised = 0;
  std::string sync;             // "spin", "none", "timebase"
  std::string placement;        // "P0:cpu0/core0/node0 P1:cpu1/core1/node0"
  std::string machine;          // "kernel 6.18.44, Intel(R) Xeon(R) ..."
  std::string status_note;      // non-empty when the run ended early (stopped, failed)
};

// The classic litmus7 block: `Test`, `Histogram`, states, `Ok`/`No`,
// `Witnesses`, `Positive: P, Negative: N`, `Condition ... is [NOT] validated`,
// `Observation`, `Time`.
[[nodiscard]] std::string format_litmus7(const litmus::Test& test, const Judgement& judgement, const RunFacts& facts);

// The lines bpf-litmus adds: each observed state's verdict (forbidden ones
// marked `!!! FORBIDDEN`, with ObservedState::why_forbidden; those outside
// the model marked `outside model`, with the reason), the states the model
// allows that were never seen, and the run facts.
[[nodiscard]] std::string format_verdicts(const Judgement& judgement, const RunFacts& facts);

}  // namespace bpf_litmus::report
