// Throughput of a run in terms a user tunes for: weak outcomes per second,
// --auto's trials and its choice (the one place that selection lives), and
// the lines logs print about them (docs/throughput.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"
#include "model/model.hpp"
#include "runtime/runtime.hpp"
#include "runtime/throughput.hpp"

namespace bpf_litmus::cli {

using DecodedHistogram = std::vector<std::pair<model::FinalState, std::uint64_t>>;

// Weak outcomes of a test: instances whose final state SC forbids; when the
// SC model gives no prediction (a search limit), the condition's witnesses.
class WeakOutcomes {
 public:
  explicit WeakOutcomes(const litmus::Test& test);
  [[nodiscard]] std::uint64_t count(const DecodedHistogram& decoded) const;
  [[nodiscard]] const char* basis() const { return sc_known_ ? "sc" : "condition"; }

 private:
  const litmus::Test& test_;
  bool sc_known_ = false;
  std::vector<model::FinalState> sc_states_;  // sorted by state_less
};

// What a run was configured as, by option names (runtime::HammerConfig).
[[nodiscard]] runtime::HammerConfig hammer_config(const codegen::CodegenOptions& codegen,
                                                  const runtime::RunOptions& run, const runtime::RunResult& result);

// --auto: the configurations to try (every sync mode in every location
// layout, the other settings as given), and each one's share of the budget:
// kTrialShare of it in all, split evenly, at least kMinTrial each.
inline constexpr double kTrialShare = 0.3;
inline constexpr std::chrono::milliseconds kMinTrial{50};
[[nodiscard]] std::vector<codegen::CodegenOptions> auto_candidates(const codegen::CodegenOptions& given);
[[nodiscard]] std::chrono::milliseconds trial_budget(std::chrono::milliseconds total, std::size_t candidates);

// The trial to spend the rest of the budget on: the most weak outcomes per
// second, then the most iterations per second (tests whose weak outcomes
// never show are best hammered fast); only trials that ran count. nullopt
// when none ran.
[[nodiscard]] std::optional<std::size_t> best_trial(const std::vector<runtime::HammerTrial>& trials);

// Adds `more` into `into`, state by state (both from decode_histogram).
void merge_decoded(DecodedHistogram& into, const DecodedHistogram& more);

// The log lines bpf-litmus adds about throughput: "Throughput: ..." and, for
// --auto, one "Auto: ..." line per trial and the choice.
[[nodiscard]] std::string format_throughput(const runtime::Throughput& throughput);

}  // namespace bpf_litmus::cli
