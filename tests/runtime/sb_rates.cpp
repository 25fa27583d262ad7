// Measures SB+pos throughput per sync mode: iterations/s and weak outcomes/s
// (0:r5=0 /\ 1:r5=0), median of 5 runs of a fixed time each.
// Usage: runtime_sb_rates [seconds per run] [slot_ns]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "litmus_runs.hpp"

using namespace bpf_litmus;

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  runtime::RunOptions options;
  options.iterations = 0;
  options.time_budget = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  if (argc > 2) options.slot_ns = std::strtoull(argv[2], nullptr, 10);
  const std::pair<codegen::SyncMode, const char*> modes[] = {
      {codegen::SyncMode::None, "none"}, {codegen::SyncMode::Spin, "spin"}, {codegen::SyncMode::Timebase, "timebase"}};
  std::printf("%-9s %14s %14s %8s %9s %8s\n", "sync", "iterations/s", "weak/s", "weak %", "launches", "unsync");
  for (const auto& [sync, name] : modes) {
    std::vector<double> rates, weak_rates, launches, unsync;
    for (int round = 0; round < 5; ++round) {
      const auto run = runtime::testing::run_corpus_test("SB+pos", sync, options);
      if (!run.error.empty() || run.result.status != runtime::RunStatus::Completed) {
        std::fprintf(stderr, "%s: %s%s\n", name, run.error.c_str(), run.result.message.c_str());
        return 1;
      }
      const double wall = std::chrono::duration<double>(run.result.wall_time).count();
      rates.push_back(static_cast<double>(run.result.iterations) / wall);
      weak_rates.push_back(static_cast<double>(runtime::testing::count_outcome(run, {{0, 5, 0}, {1, 5, 0}})) / wall);
      launches.push_back(static_cast<double>(run.result.launches));
      unsync.push_back(static_cast<double>(run.result.unsynchronised));
    }
    const double rate = median(rates), weak = median(weak_rates);
    std::printf("%-9s %14.0f %14.0f %8.2f %9.0f %8.0f\n", name, rate, weak, 100.0 * weak / rate, median(launches),
                median(unsync));
  }
  return 0;
}
