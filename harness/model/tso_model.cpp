// x86-TSO (herd/libdir/x86tso.cat) applied to the code the JIT emits for each
// BPF primitive: program order is kept except from a write to a later read,
// and a primitive the table calls a full fence (a locked instruction) is
// ordered with everything before and after it in its thread.
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
  TsoOrderingTable table;
  const auto set = [&](Primitive p, X86Ordering o) { table.by_primitive[static_cast<std::size_t>(p)] = o; };
  set(Primitive::Load, X86Ordering::Plain);
  set(Primitive::Store, X86Ordering::Plain);
  set(Primitive::LoadAcquire, X86Ordering::Plain);
  set(Primitive::StoreRelease, X86Ordering::Plain);
  set(Primitive::AtomicNoFetch, X86Ordering::FullFence);
  set(Primitive::AtomicFetch, X86Ordering::FullFence);
  set(Primitive::Xchg, X86Ordering::FullFence);
  set(Primitive::CmpxchgSuccess, X86Ordering::FullFence);
  set(Primitive::CmpxchgFailure, X86Ordering::FullFence);
  set(Primitive::Init, X86Ordering::Plain);
  return table;
}

std::unique_ptr<MemoryModel> make_tso_model(const TsoOrderingTable& table) {
  return std::make_unique<TsoModel>(table);
}

}  // namespace bpf_litmus::model
