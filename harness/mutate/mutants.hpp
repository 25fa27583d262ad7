// Mutants of a litmus test that model a JIT dropping ordering (MC Mutants'
// method): one ordering primitive of one thread replaced by a weaker form
// that computes the same values, so that any new outcome comes from ordering
// or atomicity alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "litmus/ast.hpp"

namespace bpf_litmus::mutate {

enum class Mutation : std::uint8_t {
  FetchToNonFetch,  // rS = atomic_fetch_op(...) -> lock ... op= rS (rS keeps its value)
  AtomicToPlain,    // any atomic -> plain load, compute, plain store (values flow as before)
  AcquireToPlain,   // load_acquire -> plain load
  ReleaseToPlain,   // store_release -> plain store
  DependencyCut,    // `rX -= rX` (or ^=, &= 0, *= 0) -> `rX = 0`: same zero, no dependency
  BranchRemoved,    // a conditional branch (a ctrl dependency) removed
};
inline constexpr std::size_t kMutationCount = 6;

// "fetch->nofetch", "atomic->plain", "acquire->plain", "release->plain",
// "dep-cut", "branch-removed".
[[nodiscard]] std::string_view mutation_name(Mutation mutation);

struct Mutant {
  Mutation mutation = Mutation::AtomicToPlain;
  int thread = 0;
  std::size_t statement = 0;  // index into the original thread's code
  std::string id;             // "P0:1:atomic->plain": names the mutant on the command line
  std::string before;         // the original statement, printed
  std::string after;          // what replaces it, printed (`;` between statements)
  litmus::Test test;          // the weakened test
  // BranchRemoved: the removed branch's fall-through condition (`1:r5=1`).
  // Where it fails, the mutant ran code the original skips: a different
  // program, not a weaker one, so such states never count against it.
  std::optional<litmus::Condition> counts_only_when;
};

// Whether a final state of the mutant may count as exposing its weakening.
[[nodiscard]] bool state_counts(const Mutant& mutant, const std::vector<std::pair<litmus::Observable, litmus::Value>>& state);

// Every mutant of `original`, thread by thread, statement by statement. A
// replacement needing a scratch register is made only when the thread has
// one it never names (r1..r9); a branch is removed only when it compares an
// observed register, not written after it, with == or != an immediate (so
// that counts_only_when can say when it falls through).
[[nodiscard]] std::vector<Mutant> make_mutants(const litmus::Test& original);

}  // namespace bpf_litmus::mutate
