// How a test was hammered and how fast: the configuration a run used, its
// rates, and for --auto every configuration tried. Plain data: the pipeline
// fills it, `run` prints it, the results store keeps it (docs/throughput.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bpf_litmus::runtime {

// What codegen and the runtime were asked for, by the names options use.
struct HammerConfig {
  std::string loop;            // "may_goto", "bpf_loop"
  std::string sync;            // "spin", "none", "timebase"
  std::string layout;          // "separate", "shared"
  std::uint32_t capacity = 0;  // instances per arena
  std::uint32_t instance_stride = 0;  // bytes from one instance's memory to the next
  bool permuted = false;       // instance memory in a random order
  std::string placement;       // "cores", "smt", "numa"
  std::string cpu_assignment;  // "fixed", "rotate", "shuffle"
  std::uint64_t slot_ns = 0;   // timebase only
  std::uint64_t skew_ns = 0;   // timebase only
  int stress_threads = 0;      // started

  // "sync timebase (slot 100 ns), layout shared": the settings that vary between trials.
  [[nodiscard]] std::string short_name() const {
    std::string text = "sync " + sync;
    if (sync == "timebase") text += " (slot " + std::to_string(slot_ns) + " ns)";
    return text + ", layout " + layout;
  }
};

// Weak outcomes: instances whose final state sequential consistency forbids
// (or, when the SC model gave no prediction, that satisfy the condition).
struct HammerRates {
  std::uint64_t iterations = 0;
  double seconds = 0;  // the runtime's wall time of the hammering loop
  std::uint64_t weak = 0;
  double hammering_seconds = 0;  // of it, the launches (RunResult::kernel_time)
  double together_seconds = 0;   // of those, every thread running at once (RunResult::together_time)

  [[nodiscard]] double iterations_per_second() const { return seconds > 0 ? static_cast<double>(iterations) / seconds : 0; }
  [[nodiscard]] double weak_per_second() const { return seconds > 0 ? static_cast<double>(weak) / seconds : 0; }
  // How much of the hammering the threads spent side by side: near 1 with a
  // sync; without one, threads that drift apart meet less and test less.
  [[nodiscard]] double together_share() const { return hammering_seconds > 0 ? together_seconds / hammering_seconds : 0; }
};

struct HammerTrial {
  HammerConfig config;
  HammerRates rates;
  std::string status;  // "ran", or why the configuration could not run ("unsupported: ...")
};

struct Throughput {
  HammerConfig config;  // of the run the histogram's main part comes from
  HammerRates rates;
  std::uint64_t seed = 0;
  std::string weak_basis;  // "sc": states SC forbids; "condition": the condition's witnesses
  std::vector<HammerTrial> trials;  // --auto: every configuration tried, in order; empty otherwise
  std::string stress_note;          // why fewer stress threads ran than were asked for
};

}  // namespace bpf_litmus::runtime
