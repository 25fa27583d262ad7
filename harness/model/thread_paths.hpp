// The events of each thread, per control-flow path: herd7's event structures
// (herd/BPFSem.ml run by herd/mem.ml) for the BPF dialect.
//
// A thread is executed symbolically: registers hold known values or unknowns
// (the value a read returns, or an operation on unknowns, simplified at once
// as herd7 does: x+0 is x, x^x is 0, x==x is 1). A conditional jump on an
// unknown forks the path, each side recording the outcome as a constraint; a
// cmpxchg always forks into success (read and write, SC, the comparison must
// hold) and failure (a plain read, the comparison must fail). A backward jump
// is followed at most Limits::unroll times per target, as herd7's -unroll;
// beyond that the path is cut off.
//
// Dependencies follow herd7's derivation (herd/modelUtils.ml): a read's value
// flows through register writes and reads; where it reaches an instruction's
// register operand, that operand's role decides the kind: an address gives
// `addr`; a stored value gives `data` (an atomic's operand, which it also
// reads, gives both); a branch condition gives `ctrl` to every later event of
// the path. A cmpxchg's expected value (r0) gives none: herd7 links it to the
// write by control only.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "litmus/ast.hpp"
#include "model/execution.hpp"
#include "model/model.hpp"
#include "model/value.hpp"

namespace bpf_litmus::model {

// A known value, or the unknown number `var` of the enclosing variable table.
struct SymVal {
  bool known = true;
  Val val;
  std::uint32_t var = 0;

  [[nodiscard]] static SymVal of(const Val& v) { return SymVal{true, v, 0}; }
  [[nodiscard]] static SymVal unknown(std::uint32_t var) { return SymVal{false, Val{}, var}; }
};

// An unknown: the value some read returns, or an operation on other values.
struct VarDef {
  bool is_read = false;
  std::uint32_t event = 0;  // is_read: the reading event
  Op op = Op::Add;          // !is_read: lhs op rhs
  SymVal lhs;
  SymVal rhs;
};

struct PathEvent {
  bool reads = false;
  bool writes = false;
  Annotation annotation = Annotation::Plain;
  Primitive primitive = Primitive::Load;
  std::uint32_t statement = 0;  // index into Thread::code
  SymVal address;
  SymVal written;         // when writes
  std::uint32_t read_var = 0;  // when reads
};

// `lhs op rhs` must be true (holds) or false (!holds) on this path.
struct Constraint {
  Op op = Op::Eq;
  SymVal lhs;
  SymVal rhs;
  bool holds = true;
};

using EventPairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// One control-flow path of one thread. Event numbers index `events`; unknown
// numbers index `vars`.
struct ThreadPath {
  std::vector<PathEvent> events;  // program order
  std::vector<VarDef> vars;
  std::array<SymVal, litmus::kNumRegs> registers{};  // values at the end of the path
  std::vector<Constraint> constraints;
  EventPairs addr, data, ctrl;  // from a reading event to a later event
  EventPairs rmw;               // read and write of a successful cmpxchg
  bool cut_off = false;         // stopped at the unrolling limit
};

// Every path of thread number `thread` of test; throws ModelError (an
// unknown label, an illegal operation, an access through a non-address) or
// LimitExceeded (Limits::max_paths, Limits::max_steps).
[[nodiscard]] std::vector<ThreadPath> thread_paths(const litmus::Test& test, std::size_t thread,
                                                   const LocationTable& locations, const Limits& limits);

}  // namespace bpf_litmus::model
