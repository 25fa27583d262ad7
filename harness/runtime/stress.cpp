#include "runtime/stress.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <set>

namespace bpf_litmus::runtime::detail {

namespace {

constexpr std::uint64_t kLine = 64;
// Without spare lines in the instances: a private buffer per thread, larger
// than the last-level caches of most machines, to push the test's lines out.
constexpr std::uint64_t kBufferBytes = 64ull << 20;

// Bytes of an instance the test's locations occupy, in whole lines.
std::uint64_t used_bytes(const codegen::MemoryLayout& layout) {
  return (layout.instance_image.size() + kLine - 1) / kLine * kLine;
}

}  // namespace

StressThreads::StressThreads(const LoadedTest::Impl& test, int requested, const PlacementOptions& placement,
                             const std::vector<int>& test_cpus, StressReport& report)
    : report_(report) {
  report_.requested = requested;
  if (requested <= 0) return;
  // The CPUs the policy orders after the test's: ask for them all and drop the test's own.
  const std::set<int> busy(test_cpus.begin(), test_cpus.end());
  PlacementOptions all = placement;
  all.oversubscribe = false;
  const Placement everything = choose_placement(choose_placement(1, all).usable_cpus, all);
  std::vector<int> spare;
  for (const auto& slot : everything.slots) {
    if (busy.count(slot.cpu) == 0 && static_cast<int>(spare.size()) < requested) spare.push_back(slot.cpu);
  }
  if (static_cast<int>(spare.size()) < requested) {
    report_.note = std::to_string(requested) + " stress threads requested, " + std::to_string(spare.size()) +
                   " started: the test uses " + std::to_string(busy.size()) + " of " +
                   std::to_string(everything.usable_cpus) + " usable CPUs";
  }
  const auto& layout = test.layout;
  Target target;
  const std::uint64_t used = used_bytes(layout);
  if (layout.instance_stride >= used + kLine) {
    // The first spare line of every instance: next to the test's lines, in
    // the same pages and (adjacent-line prefetch) line pairs.
    target = {test.arena->arena() + layout.instances_offset + used, layout.instance_stride, layout.capacity};
    report_.target = "the spare line after the locations of each instance";
  } else {
    report_.target = "a private " + std::to_string(kBufferBytes >> 20) +
                     " MiB buffer per thread (the instance stride leaves no spare line)";
  }
  for (int cpu : spare) {
    Target mine = target;
    if (mine.first == nullptr) {
      buffers_.push_back(std::make_unique<std::uint8_t[]>(kBufferBytes));
      mine = {buffers_.back().get(), kLine, kBufferBytes / kLine};
    }
    threads_.emplace_back(write_lines, mine, cpu, std::cref(stop_), std::ref(lines_written_));
    report_.cpus.push_back(cpu);
  }
  report_.started = static_cast<int>(threads_.size());
}

StressThreads::~StressThreads() {
  stop_.store(true, std::memory_order_relaxed);
  for (auto& thread : threads_) thread.join();
  report_.rounds = lines_written_.load();
}

void StressThreads::write_lines(Target target, int cpu, const std::atomic<bool>& stop,
                                std::atomic<std::uint64_t>& lines_written) {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(cpu, &cpus);
  pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
  std::uint64_t written = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    for (std::uint64_t line = 0; line < target.lines; ++line) {
      auto& word = *reinterpret_cast<std::uint64_t*>(target.first + line * target.stride);
      std::atomic_ref<std::uint64_t>(word).fetch_add(1, std::memory_order_relaxed);  // own the line
      if ((++written & 4095) == 0 && stop.load(std::memory_order_relaxed)) break;
    }
  }
  lines_written.fetch_add(written, std::memory_order_relaxed);
}

}  // namespace bpf_litmus::runtime::detail
