// Every catalogue test and every corpus test runs on this machine's CPUs
// (oversubscribed where it has more threads than CPUs) and shows no state
// the bpf model forbids. The run's own bookkeeping is checked on the way:
// the histogram adds up to the iterations run, and the Time printed is the
// wall-clock time of the hammering, within the clock around the whole run.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/inputs.hpp"
#include "cli/pipeline.hpp"
#include "selfcheck_support.hpp"

namespace bpf_litmus::selfcheck {
namespace {

constexpr std::uint64_t kIterationsPerTest = 100'000;

struct Totals {
  std::size_t tests = 0;
  std::uint64_t iterations = 0;
  double hammering_seconds = 0;
  double total_seconds = 0;
  std::size_t forbidden_states = 0;
  std::vector<std::string> outside_model;  // tests with states outside the model
  std::vector<std::string> retried;        // tests run again after a failed run
};

void run_every_file(const std::string& dir, Totals& totals) {
  cli::PipelineOptions options;
  options.run.iterations = kIterationsPerTest;
  options.run.placement.oversubscribe = true;
  for (const std::string& file : cli::expand_litmus_inputs({dir})) {
    double around = 0;  // seconds, of the last try
    const cli::TestRun run = run_retrying_failures(file, options, &around, &totals.retried);
    ++totals.tests;
    totals.total_seconds += around;
    if (run.status != cli::TestRun::Status::Ran) {
      ADD_FAILURE() << file << " did not run: " << run.message;
      continue;
    }
    ASSERT_TRUE(run.prediction.has_value()) << file << ": " << run.model_note;
    const report::Judgement& j = run.judgement;
    std::uint64_t counted = 0;
    for (const report::ObservedState& observed : j.observed) {
      counted += observed.count;
      EXPECT_NE(observed.verdict, report::Verdict::Forbidden)
          << file << ": observed " << model::format_state(observed.state) << " (" << observed.count
          << " times), which the bpf model forbids\n"
          << observed.why_forbidden;
    }
    EXPECT_EQ(run.facts.iterations, kIterationsPerTest) << file;
    EXPECT_EQ(counted, run.facts.iterations) << file << ": the histogram does not add up to the iterations run";
    EXPECT_EQ(j.positive + j.negative, run.facts.iterations) << file;
    EXPECT_GT(run.facts.seconds, 0.0) << file;
    EXPECT_LE(run.facts.seconds, around) << file << ": Time is longer than the whole run";
    // Launches are planned at about 100 ms and never beyond 250 ms: a
    // longer stay in the kernel starves its CPU (soft lockups, RCU stalls).
    ASSERT_GT(run.facts.launches, 0U) << file;
    EXPECT_LE(run.facts.seconds / static_cast<double>(run.facts.launches), 0.25) << file;
    totals.iterations += run.facts.iterations;
    totals.hammering_seconds += run.facts.seconds;
    totals.forbidden_states += j.forbidden_states;
    if (j.outside_model_states > 0) totals.outside_model.push_back(run.test->name);
  }
}

void print_totals(const char* what, const Totals& t) {
  std::string outside;
  for (const std::string& name : t.outside_model) outside += " " + name;
  std::printf("[ %s ] %zu tests run, %llu iterations; hammering %.1f s, %.1f s in all; %zu forbidden states "
              "observed; outside the model:%s\n",
              what, t.tests, static_cast<unsigned long long>(t.iterations), t.hammering_seconds, t.total_seconds,
              t.forbidden_states, outside.empty() ? " none" : outside.c_str());
  for (const std::string& retried : t.retried) std::printf("[ %s ] run again after a failed run: %s\n", what, retried.c_str());
}

TEST(CorpusRuns, EveryCatalogueTestRunsWithoutForbiddenStates) {
  if (const std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  if (catalogue_dir().empty()) GTEST_SKIP() << "no herd7 BPF catalogue at " << BPF_LITMUS_CONFORMANCE_DIR;
  Totals totals;
  run_every_file(catalogue_dir(), totals);
  print_totals("catalogue", totals);
  EXPECT_EQ(totals.forbidden_states, 0U);
}

TEST(CorpusRuns, EveryCorpusTestRunsWithoutForbiddenStates) {
  if (const std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  Totals totals;
  run_every_file(corpus_dir(), totals);
  print_totals("corpus", totals);
  EXPECT_EQ(totals.forbidden_states, 0U);
}

}  // namespace
}  // namespace bpf_litmus::selfcheck
