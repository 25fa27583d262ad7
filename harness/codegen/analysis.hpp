// Facts about a test that code generation needs before emitting anything:
// which registers each thread must initialise, what is observed, how wide
// each location is, where each jump goes.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace bpf_litmus::codegen {

// Statement index each statement's jump goes to (code.size() for a label
// after the last instruction); nullopt for statements that do not jump.
// Fills `unknown_label` and returns false when a label is not defined.
bool resolve_jumps(const litmus::Thread& thread, std::vector<std::optional<std::size_t>>& targets,
                   std::string& unknown_label);

struct ThreadFacts {
  std::array<std::uint32_t, litmus::kNumRegs> uses{};  // times each register is named (observed counts)
  // Registers some path reads before writing them (observed registers are
  // read at the end): the program initialises these, from the init block or 0.
  std::array<bool, litmus::kNumRegs> needs_init{};
  // Registers never written, never observed, and read only as the base of
  // accesses: one that holds a location's address can be kept as a pointer.
  std::array<bool, litmus::kNumRegs> base_only{};
  bool cmpxchg = false;
  std::vector<bool> reachable;        // per statement; the verifier rejects dead code
  std::vector<litmus::Reg> observed;  // in result-record order
};

// `targets` from resolve_jumps; `observed` are the thread's observed registers.
[[nodiscard]] ThreadFacts analyse_thread(const litmus::Thread& thread,
                                         const std::vector<std::optional<std::size_t>>& targets,
                                         const std::vector<litmus::Reg>& observed);

// Everything the condition and the `locations` list observe, without
// duplicates, in herd7's state order: registers by (thread, number), then
// locations by name.
[[nodiscard]] std::vector<litmus::Observable> observed_places(const litmus::Test& test);

// Width of each location (Test::locations order): its declared type's, else
// the widest access through a register that holds its address from the init
// block and is never overwritten, else 4 bytes (herd7's view).
[[nodiscard]] std::vector<litmus::Width> location_widths(const litmus::Test& test);

// Index of the location named `name` in Test::locations.
[[nodiscard]] std::optional<std::size_t> find_location(const litmus::Test& test, const std::string& name);

}  // namespace bpf_litmus::codegen
