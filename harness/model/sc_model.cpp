// Sequential consistency: one total order of all memory events that respects
// program order and in which every read sees the latest write.
#include "model/models.hpp"

namespace bpf_litmus::model {
namespace {

class ScModel final : public MemoryModel {
 public:
  std::string_view name() const override { return "sc"; }

  void evaluate(const Execution& x, const std::function<bool(const Axiom&)>& check) const override {
    if (!check({"SC", Axiom::Kind::Acyclic, x.po | x.rf | x.co | x.fr,
                {{"po", &x.po}, {"rf", &x.rf}, {"co", &x.co}, {"fr", &x.fr}}})) {
      return;
    }
    const Relation fre = x.fre();
    const Relation coe = x.coe();
    check({"Atomic", Axiom::Kind::Empty, x.rmw & seq(fre, coe), {{"rmw", &x.rmw}, {"fre", &fre}, {"coe", &coe}}});
  }
};

}  // namespace

std::unique_ptr<MemoryModel> make_sc_model() { return std::make_unique<ScModel>(); }

}  // namespace bpf_litmus::model
