#include "cli/throughput.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

#include "cli/pipeline.hpp"
#include "codegen/codegen.hpp"
#include "report/numbers.hpp"

namespace bpf_litmus::cli {

using report::si;

namespace {

std::string rates_text(const runtime::HammerRates& rates) {
  std::string text = si(rates.iterations_per_second()) + " iter/s, " + si(rates.weak_per_second()) + " weak/s (" +
                     std::to_string(rates.weak) + " weak of " + std::to_string(rates.iterations) + ")";
  if (rates.hammering_seconds > 0) {
    text += ", threads together " + std::to_string(std::lround(100 * rates.together_share())) + "% of hammering time";
  }
  return text;
}

}  // namespace

WeakOutcomes::WeakOutcomes(const litmus::Test& test) : test_(test) {
  try {
    sc_states_ = model::predict(test, model::ModelKind::Sc).states;
    std::sort(sc_states_.begin(), sc_states_.end(), model::state_less);
    sc_known_ = true;
  } catch (const std::exception&) {  // ModelError, LimitExceeded: count the condition's witnesses instead
    sc_known_ = false;
  }
}

std::uint64_t WeakOutcomes::count(const DecodedHistogram& decoded) const {
  std::uint64_t weak = 0;
  for (const auto& [state, count] : decoded) {
    const bool is_weak = sc_known_ ? !std::binary_search(sc_states_.begin(), sc_states_.end(), state, model::state_less)
                                   : model::condition_holds(test_, state);
    if (is_weak) weak += count;
  }
  return weak;
}

runtime::HammerConfig hammer_config(const codegen::CodegenOptions& codegen, const runtime::RunOptions& run,
                                    const runtime::RunResult& result) {
  runtime::HammerConfig config;
  config.loop = std::string(codegen::loop_strategy_name(codegen.loop));
  config.sync = sync_mode_name(codegen.sync);
  config.layout = layout_name(codegen.layout);
  config.capacity = codegen.capacity;
  config.instance_stride = codegen.instance_stride;
  config.permuted = codegen.permute_instances;
  config.placement = std::string(runtime::placement_policy_name(run.placement.policy));
  config.cpu_assignment = std::string(runtime::cpu_assignment_name(run.cpu_assignment));
  if (codegen.sync == codegen::SyncMode::Timebase) {
    config.slot_ns = run.slot_ns;
    config.skew_ns = run.skew_ns;
  }
  config.stress_threads = result.stress.started;
  return config;
}

std::vector<codegen::CodegenOptions> auto_candidates(const codegen::CodegenOptions& given) {
  std::vector<codegen::CodegenOptions> candidates;
  for (codegen::SyncMode sync : {codegen::SyncMode::Spin, codegen::SyncMode::None, codegen::SyncMode::Timebase}) {
    for (codegen::LocationLayout layout : {codegen::LocationLayout::SeparateLines, codegen::LocationLayout::SharedLine}) {
      codegen::CodegenOptions candidate = given;
      candidate.sync = sync;
      candidate.layout = layout;
      // A stride fitted to one layout may be too small for the other: let each take its own.
      if (layout != given.layout) candidate.instance_stride = 0;
      candidates.push_back(candidate);
    }
  }
  return candidates;
}

std::chrono::milliseconds trial_budget(std::chrono::milliseconds total, std::size_t candidates) {
  const auto share = std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(total.count()) * kTrialShare / static_cast<double>(std::max<std::size_t>(1, candidates))));
  return std::max(share, kMinTrial);
}

std::optional<std::size_t> best_trial(const std::vector<runtime::HammerTrial>& trials) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    if (trials[i].status != "ran") continue;
    if (!best) {
      best = i;
      continue;
    }
    const auto& a = trials[i].rates;
    const auto& b = trials[*best].rates;
    if (a.weak_per_second() > b.weak_per_second() ||
        (a.weak_per_second() == b.weak_per_second() && a.iterations_per_second() > b.iterations_per_second())) {
      best = i;
    }
  }
  return best;
}

void merge_decoded(DecodedHistogram& into, const DecodedHistogram& more) {
  for (const auto& [state, count] : more) {
    const auto at = std::lower_bound(into.begin(), into.end(), state,
                                     [](const auto& entry, const model::FinalState& s) { return model::state_less(entry.first, s); });
    if (at != into.end() && !model::state_less(state, at->first)) {
      at->second += count;
    } else {
      into.insert(at, {state, count});
    }
  }
}

std::string format_throughput(const runtime::Throughput& throughput) {
  const runtime::HammerConfig& c = throughput.config;
  std::string text = "Throughput: " + rates_text(throughput.rates) + "; weak = " +
                     (throughput.weak_basis == "sc" ? "states SC forbids" : "condition witnesses") + "\n";
  text += "Hammer: loop " + c.loop + ", " + c.short_name() + ", capacity " + std::to_string(c.capacity) +
          ", instance stride " + (c.instance_stride == 0 ? std::string("compact") : std::to_string(c.instance_stride)) +
          (c.permuted ? ", permuted" : "") + ", placement " + c.placement + ", cpus " + c.cpu_assignment +
          (c.skew_ns != 0 ? ", skew " + std::to_string(c.skew_ns) + " ns" : "") +
          (c.stress_threads != 0 ? ", " + std::to_string(c.stress_threads) + " stress threads" : "") + ", seed " +
          std::to_string(throughput.seed) + "\n";
  if (!throughput.stress_note.empty()) text += "Stress: " + throughput.stress_note + "\n";
  for (const auto& trial : throughput.trials) {
    text += "Auto: tried " + trial.config.short_name() + ": " +
            (trial.status == "ran" ? rates_text(trial.rates) : trial.status) + "\n";
  }
  if (!throughput.trials.empty()) text += "Auto: chose " + c.short_name() + "\n";
  return text;
}

}  // namespace bpf_litmus::cli
