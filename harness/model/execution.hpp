// A candidate execution: the memory events of one choice of control-flow
// paths, with one choice of read-from and coherence order, as the memory
// models see it. Names follow herd7's cat language (lib/stdlib.cat,
// herd/machModelChecker.ml).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "model/relation.hpp"
#include "model/value.hpp"

namespace bpf_litmus::model {

// herd7's BPF access annotations (herd/BPFArch_herd.ml): N, AQ, RL, X, SC.
enum class Annotation : std::uint8_t {
  Plain,    // N: plain load or store
  Acquire,  // AQ: load_acquire
  Release,  // RL: store_release
  Atomic,   // X: atomic without ordering (lock ... op= ...)
  SeqCst,   // SC: atomic with full ordering (fetch atomics, xchg, successful cmpxchg)
};

// The BPF instruction an access comes from; the TSO model maps each to the
// ordering of the x86 code the JIT emits for it.
enum class Primitive : std::uint8_t {
  Load,
  Store,
  LoadAcquire,
  StoreRelease,
  AtomicNoFetch,   // lock *(uN *)(rB + off) op= rS
  AtomicFetch,     // rS = atomic_fetch_op(...)
  Xchg,            // rS = xchg(...)
  CmpxchgSuccess,  // both events of a cmpxchg whose comparison succeeds
  CmpxchgFailure,  // the read of a cmpxchg whose comparison fails
  Init,            // the initial write of a location
};
inline constexpr std::size_t kPrimitiveCount = 10;

struct Execution {
  struct Event {
    int thread = -1;              // -1 for an initial write
    std::uint32_t statement = 0;  // index into the thread's code
    bool reads = false;
    bool writes = false;
    Annotation annotation = Annotation::Plain;
    Primitive primitive = Primitive::Init;
    std::uint32_t location = 0;  // index into `addresses`
    Val read;                    // the value read, when reads
    Val written;                 // the value written, when writes
  };

  // Initial writes first (one per location, in table order), then the events
  // of each thread in program order.
  std::vector<Event> events;
  // The address of each location: the test's (LocationTable order), then any
  // other address the candidate accesses (a location plus an offset).
  std::vector<Val> addresses;

  // Event sets: M (all memory events), R, W, IW (initial writes) and the
  // annotation sets X (X and SC), SC, AQ, RL.
  EventSet M, R, W, IW, X, SC, AQ, RL;

  Relation po;    // program order (strict, per thread; a cmpxchg's read before its write)
  Relation loc;   // same location
  Relation int_;  // same thread, neither an initial write (herd7's `int`)
  Relation rf, co, fr;
  Relation addr, data, ctrl;  // dependencies, as herd7 derives them
  Relation rmw;               // read and write of one successful cmpxchg (also `amo`)

  [[nodiscard]] std::size_t size() const { return events.size(); }
  [[nodiscard]] Relation id() const { return Relation::identity(size()); }
  [[nodiscard]] Relation po_loc() const { return po & loc; }
  [[nodiscard]] Relation rfe() const { return rf - int_; }
  [[nodiscard]] Relation rfi() const { return rf & int_; }
  [[nodiscard]] Relation coe() const { return co - int_; }
  [[nodiscard]] Relation coi() const { return co & int_; }
  [[nodiscard]] Relation fre() const { return fr - int_; }
  [[nodiscard]] Relation fri() const { return fr & int_; }
};

}  // namespace bpf_litmus::model
