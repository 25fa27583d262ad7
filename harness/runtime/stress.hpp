// Memory-stress threads: on usable CPUs the test does not use, they write
// cache lines next to the test's while it runs, to add coherence traffic
// (on machines with spare CPUs; see docs/throughput.md).
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "runtime/detail.hpp"

namespace bpf_litmus::runtime::detail {

class StressThreads {
 public:
  // Starts up to `requested` threads on CPUs the placement policy would give
  // next after `test_cpus`; `report` says what was started and, once this
  // object is destroyed (the threads stopped), how many lines they wrote.
  StressThreads(const LoadedTest::Impl& test, int requested, const PlacementOptions& placement,
                const std::vector<int>& test_cpus, StressReport& report);
  StressThreads(const StressThreads&) = delete;
  StressThreads& operator=(const StressThreads&) = delete;
  ~StressThreads();

 private:
  struct Target {
    std::uint8_t* first = nullptr;  // first line to write
    std::uint64_t stride = 0;       // bytes between lines
    std::uint64_t lines = 0;
  };
  static void write_lines(Target target, int cpu, const std::atomic<bool>& stop, std::atomic<std::uint64_t>& rounds);

  StressReport& report_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> lines_written_{0};
  std::vector<std::unique_ptr<std::uint8_t[]>> buffers_;
  std::vector<std::thread> threads_;
};

}  // namespace bpf_litmus::runtime::detail
