// x86-TSO (herd/libdir/x86tso.cat) applied to the code the JIT emits for each
// BPF primitive: program order is kept except from a write to a later read,
// and a primitive the table calls a full fence (a locked instruction) is
// ordered with everything before and after it in its thread. The default
// table follows from the ISA ordering table and the expected x86-64 lowering
// (audit/isa_ordering.hpp, audit/jit_lowering.hpp), where each fact is stated
// once with its manual citation.
#include "audit/jit_lowering.hpp"
#include "model/memory_model.hpp"

namespace bpf_litmus::model {
namespace {

class TsoModel final : public MemoryModel {
 public:
  explicit TsoModel(const TsoOrderingTable& table) : table_(table) {}

  std::string_view name() const override { return "tso"; }

  void evaluate(const Execution& x, const std::function<bool(const Axiom&)>& check) const override {
    const Relation po_loc = x.po_loc();
    if (!check({"Coherence", Axiom::Kind::Acyclic, po_loc | x.rf | x.co | x.fr,
                {{"po-loc", &po_loc}, {"rf", &x.rf}, {"co", &x.co}, {"fr", &x.fr}}})) {
      return;
    }
    const Relation fre = x.fre();
    const Relation coe = x.coe();
    if (!check({"Atomic", Axiom::Kind::Empty, x.rmw & seq(fre, coe),
                {{"rmw", &x.rmw}, {"fre", &fre}, {"coe", &coe}}})) {
      return;
    }
    EventSet fenced(x.size());
    for (std::size_t e = 0; e < x.size(); ++e) {
      if (table_[x.events[e].primitive] == X86Ordering::FullFence) fenced.insert(e);
    }
    const Relation ppo = x.po.restrict(x.W, x.W) | x.po.restrict(x.R, x.M);
    const Relation locked = x.po.restrict(x.M, fenced) | x.po.restrict(fenced, x.M);
    const Relation rfe = x.rfe();
    check({"TSO", Axiom::Kind::Acyclic, ppo | locked | rfe | x.fr | x.co,
           {{"ppo", &ppo}, {"locked", &locked}, {"rfe", &rfe}, {"fr", &x.fr}, {"co", &x.co}}});
  }

 private:
  TsoOrderingTable table_;
};

}  // namespace

TsoOrderingTable x86_64_jit_ordering() {
  // Which audited BPF primitives produce events of each kind; a kind is a
  // full fence when the code the JIT emits for every one of them is.
  const auto covers = [](Primitive kind, const audit::BpfPrimitive& p) {
    const bool alu = p.op == audit::BpfOp::Add || p.op == audit::BpfOp::And || p.op == audit::BpfOp::Or ||
                     p.op == audit::BpfOp::Xor;
    switch (kind) {
      case Primitive::Load: return p.op == audit::BpfOp::Load;
      case Primitive::Store: return p.op == audit::BpfOp::Store;
      case Primitive::LoadAcquire: return p.op == audit::BpfOp::LoadAcquire;
      case Primitive::StoreRelease: return p.op == audit::BpfOp::StoreRelease;
      case Primitive::AtomicNoFetch: return alu && !p.fetch;
      case Primitive::AtomicFetch: return alu && p.fetch;
      case Primitive::Xchg: return p.op == audit::BpfOp::Xchg;
      case Primitive::CmpxchgSuccess:
      case Primitive::CmpxchgFailure: return p.op == audit::BpfOp::Cmpxchg;
      case Primitive::Init: return false;
    }
    return false;
  };
  TsoOrderingTable table;
  for (std::size_t k = 0; k < kPrimitiveCount; ++k) {
    const auto kind = static_cast<Primitive>(k);
    bool any = false;
    bool all_full = true;
    for (const audit::BpfPrimitive& p : audit::audited_primitives()) {
      if (!covers(kind, p)) continue;
      any = true;
      const auto rows = audit::expected_x86_64_lowering(p);
      all_full = all_full && audit::compose(rows, kind == Primitive::CmpxchgFailure).full();
    }
    // Anything short of full is a mov's TSO ordering, which the axiom above already has.
    table.by_primitive[k] = any && all_full ? X86Ordering::FullFence : X86Ordering::Plain;
  }
  return table;
}

std::unique_ptr<MemoryModel> make_tso_model(const TsoOrderingTable& table) {
  return std::make_unique<TsoModel>(table);
}

}  // namespace bpf_litmus::model
