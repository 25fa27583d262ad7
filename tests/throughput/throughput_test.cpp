// --auto: which configurations it tries, how it picks one, and what a run
// records about its throughput; end to end on SB+pos.
#include <gtest/gtest.h>

#include <set>

#include "cli/pipeline.hpp"
#include "cli/throughput.hpp"
#include "litmus/parser.hpp"
#include "results/record.hpp"

namespace bpf_litmus::cli {
namespace {

runtime::HammerTrial trial(const char* sync, std::uint64_t iterations, std::uint64_t weak, const char* status = "ran") {
  runtime::HammerTrial t;
  t.config.sync = sync;
  t.rates = {iterations, 1.0, weak};
  t.status = status;
  return t;
}

TEST(AutoSelect, MostWeakPerSecondThenMostIterations) {
  EXPECT_FALSE(best_trial({}));
  EXPECT_EQ(best_trial({trial("spin", 100, 5), trial("none", 1000, 7), trial("timebase", 50, 6)}), 1u);
  EXPECT_EQ(best_trial({trial("spin", 100, 0), trial("none", 1000, 0)}), 1u) << "no weak outcome anywhere: the fastest";
  EXPECT_EQ(best_trial({trial("spin", 100, 9, "Unsupported: ..."), trial("none", 10, 1)}), 1u) << "only trials that ran";
  EXPECT_FALSE(best_trial({trial("spin", 0, 0, "3 threads but only 2 usable CPUs")}));
}

TEST(AutoSelect, EverySyncModeInEveryLayout) {
  codegen::CodegenOptions given;
  given.capacity = 1024;
  given.instance_stride = 128;
  given.permute_instances = true;
  const auto candidates = auto_candidates(given);
  ASSERT_EQ(candidates.size(), 6u);
  std::set<std::pair<codegen::SyncMode, codegen::LocationLayout>> seen;
  for (const auto& c : candidates) {
    seen.insert({c.sync, c.layout});
    EXPECT_EQ(c.capacity, 1024u);
    EXPECT_TRUE(c.permute_instances);
    EXPECT_EQ(c.instance_stride, c.layout == given.layout ? 128u : 0u) << "a stride fits the layout it was given for";
  }
  EXPECT_EQ(seen.size(), 6u);
}

TEST(AutoSelect, TrialsShareAThirdOfTheBudget) {
  EXPECT_EQ(trial_budget(std::chrono::milliseconds(6000), 6), std::chrono::milliseconds(300));
  EXPECT_EQ(trial_budget(std::chrono::milliseconds(100), 6), kMinTrial);
}

litmus::Test corpus(const char* name) {
  return litmus::parse_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/" + name + ".litmus");
}

TEST(WeakOutcomes, StatesScForbids) {
  const litmus::Test sb = corpus("SB+pos");
  const WeakOutcomes weak(sb);
  EXPECT_STREQ(weak.basis(), "sc");
  const auto state = [&](int a, int b) {
    return model::make_final_state(sb, {{{true, 0, 5, {}}, litmus::Value{false, a, {}}},
                                        {{true, 1, 5, {}}, litmus::Value{false, b, {}}}});
  };
  DecodedHistogram decoded{{state(0, 0), 3}, {state(0, 1), 10}, {state(1, 0), 20}, {state(1, 1), 30}};
  EXPECT_EQ(weak.count(decoded), 3u);
  merge_decoded(decoded, {{state(0, 0), 2}, {state(1, 1), 1}});
  EXPECT_EQ(decoded.size(), 4u);
  EXPECT_EQ(decoded[0].second, 5u);
  EXPECT_EQ(weak.count(decoded), 5u);
}

TEST(AutoRun, NeedsATimeBudget) {
  PipelineOptions options;
  options.auto_select = true;
  const TestRun run = run_litmus_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/SB+pos.litmus", options);
  EXPECT_EQ(run.status, TestRun::Status::BadInput);
  EXPECT_NE(run.message.find("--time"), std::string::npos);
}

// Six trials, the main run in the best one; the histogram and the run facts
// count every instance, the throughput record the main run's.
TEST(AutoRun, TriesEachConfigurationThenHammersTheBest) {
  PipelineOptions options;
  options.auto_select = true;
  options.run.time_budget = std::chrono::milliseconds(1500);
  const TestRun run = run_litmus_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/SB+pos.litmus", options);
  ASSERT_EQ(run.status, TestRun::Status::Ran) << run.message;
  const auto& t = run.throughput;
  ASSERT_EQ(t.trials.size(), 6u);
  const auto best = best_trial(t.trials);
  ASSERT_TRUE(best);
  EXPECT_EQ(t.config.sync, t.trials[*best].config.sync);
  EXPECT_EQ(t.config.layout, t.trials[*best].config.layout);
  EXPECT_EQ(t.weak_basis, "sc");
  std::uint64_t trial_iterations = 0;
  for (const auto& tried : t.trials) {
    EXPECT_EQ(tried.status, "ran");
    EXPECT_GT(tried.rates.iterations, 0u);
    trial_iterations += tried.rates.iterations;
  }
  EXPECT_GT(t.rates.iterations, 0u);
  EXPECT_EQ(run.facts.iterations, trial_iterations + t.rates.iterations);
  EXPECT_EQ(run.judgement.positive + run.judgement.negative, run.facts.iterations);
  EXPECT_EQ(run.facts.sync, t.config.sync);
  const std::string text = format_throughput(t);
  EXPECT_NE(text.find("Auto: chose " + t.config.short_name()), std::string::npos) << text;
}

TEST(PlainRun, RecordsItsConfigurationAndRates) {
  PipelineOptions options;
  options.codegen.sync = codegen::SyncMode::Timebase;
  options.run.iterations = 200'000;
  options.run.slot_ns = 150;
  options.run.seed = 11;
  const TestRun run = run_litmus_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/SB+pos.litmus", options);
  ASSERT_EQ(run.status, TestRun::Status::Ran) << run.message;
  const auto& t = run.throughput;
  EXPECT_TRUE(t.trials.empty());
  EXPECT_EQ(t.config.sync, "timebase");
  EXPECT_EQ(t.config.slot_ns, 150u);
  EXPECT_EQ(t.config.loop, "may_goto");
  EXPECT_EQ(t.seed, 11u);
  EXPECT_EQ(t.rates.iterations, 200'000u);
  EXPECT_EQ(t.rates.weak, run.judgement.positive) << "SB's condition is the one state SC forbids";
  // Timebase starts both threads' instances at the same times: they run side by side.
  EXPECT_GT(t.rates.hammering_seconds, 0);
  EXPECT_LE(t.rates.hammering_seconds, t.rates.seconds);
  EXPECT_GT(t.rates.together_seconds, 0);
  EXPECT_LE(t.rates.together_seconds, t.rates.hammering_seconds);
  const std::string text = format_throughput(t);
  EXPECT_NE(text.find("% of hammering time"), std::string::npos) << text;
}

// The result store keeps the configuration, the rates and every trial.
TEST(ThroughputRecord, SurvivesTheResultFile) {
  results::RunRecord run;
  run.layout = "shared";
  runtime::Throughput t;
  t.config.loop = "bpf_loop";
  t.config.sync = "timebase";
  t.config.layout = "shared";
  t.config.slot_ns = 120;
  t.config.permuted = true;
  t.rates = {1000, 0.5, 40, 0.4, 0.1};
  t.seed = 99;
  t.weak_basis = "sc";
  t.trials.push_back({t.config, {10, 0.1, 2}, "ran"});
  t.trials.push_back({t.config, {}, "Unsupported: ..."});
  run.throughput = t;
  const nlohmann::json json = run;
  EXPECT_DOUBLE_EQ(json.at("throughput").at("rates").at("weak_per_second").get<double>(), 80.0);
  EXPECT_DOUBLE_EQ(json.at("throughput").at("rates").at("together_share").get<double>(), 0.25);
  const auto back = json.get<results::RunRecord>();
  ASSERT_TRUE(back.throughput);
  EXPECT_EQ(back.throughput->config.loop, "bpf_loop");
  EXPECT_EQ(back.throughput->config.slot_ns, 120u);
  EXPECT_TRUE(back.throughput->config.permuted);
  EXPECT_EQ(back.throughput->rates.weak, 40u);
  EXPECT_DOUBLE_EQ(back.throughput->rates.hammering_seconds, 0.4);
  EXPECT_DOUBLE_EQ(back.throughput->rates.together_seconds, 0.1);
  EXPECT_EQ(back.throughput->seed, 99u);
  ASSERT_EQ(back.throughput->trials.size(), 2u);
  EXPECT_EQ(back.throughput->trials[1].status, "Unsupported: ...");
  run.throughput.reset();
  EXPECT_FALSE(nlohmann::json(run).contains("throughput")) << "a test that never ran has none";
}

}  // namespace
}  // namespace bpf_litmus::cli
