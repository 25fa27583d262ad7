// Memory models: each a short list of axioms over a candidate execution,
// written with the relation algebra the way herd7's .cat files are.
//  - bpf: herd/libdir/bpf.cat (with cos-opt.cat), the BPF memory model.
//  - sc:  sequential consistency, acyclic po | rf | co | fr, plus atomicity.
//  - tso: x86-TSO of the code the x86-64 JIT emits for each BPF primitive;
//         which primitives are full fences comes from one TsoOrderingTable.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "model/execution.hpp"
#include "model/model.hpp"
#include "model/relation.hpp"

namespace bpf_litmus::model {

// A relation named as in the model's definition (valid while `check` runs).
struct NamedRelation {
  std::string_view name;
  const Relation* relation = nullptr;
};

// One axiom evaluated on one candidate execution.
struct Axiom {
  enum class Kind : std::uint8_t { Acyclic, Empty };
  std::string_view name;  // herd7's name of the check, e.g. `Happens-before`
  Kind kind = Kind::Acyclic;
  Relation relation;  // must be acyclic, or empty
  // Acyclic: relation is the union of the parts (they name a cycle's edges).
  // Empty: relation is parts[0] & (parts[1]; parts[2]; ...), so a violating
  // pair (a, b) is explained by the path a -parts[1]-> ... -> b and (a, b) in parts[0].
  std::vector<NamedRelation> parts;

  [[nodiscard]] bool holds() const {
    return kind == Kind::Acyclic ? relation.acyclic() : relation.empty();
  }
};

class MemoryModel {
 public:
  MemoryModel() = default;
  MemoryModel(const MemoryModel&) = delete;
  MemoryModel& operator=(const MemoryModel&) = delete;
  virtual ~MemoryModel() = default;

  [[nodiscard]] virtual std::string_view name() const = 0;
  // Evaluates the axioms on x in order, handing each to `check`; stops when
  // `check` returns false (later axioms may then skip their work).
  virtual void evaluate(const Execution& x, const std::function<bool(const Axiom&)>& check) const = 0;

  // The position of the first axiom x violates, or nullopt when x is allowed.
  [[nodiscard]] std::optional<std::size_t> first_violation(const Execution& x) const;
};

// How the x86 code for a BPF primitive orders memory.
enum class X86Ordering : std::uint8_t {
  Plain,      // a `mov`: TSO ordering only
  FullFence,  // a locked instruction: ordered with everything before and after it
};

// The x86 ordering of each primitive; a JIT audit may supply its own.
struct TsoOrderingTable {
  std::array<X86Ordering, kPrimitiveCount> by_primitive{};

  [[nodiscard]] X86Ordering operator[](Primitive p) const {
    return by_primitive[static_cast<std::size_t>(p)];
  }
};

// Derived from what the x86-64 JIT is expected to emit for each primitive
// (audit/jit_lowering.hpp) and what those instructions order
// (audit/isa_ordering.hpp): loads, stores, load_acquire and store_release are
// plain `mov`s; every atomic, with or without fetch, xchg and cmpxchg (also
// when its comparison fails) is locked, a full fence.
[[nodiscard]] TsoOrderingTable x86_64_jit_ordering();

[[nodiscard]] std::unique_ptr<MemoryModel> make_model(ModelKind kind);
[[nodiscard]] std::unique_ptr<MemoryModel> make_tso_model(const TsoOrderingTable& table);

}  // namespace bpf_litmus::model
