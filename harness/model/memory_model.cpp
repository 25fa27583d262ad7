#include "model/memory_model.hpp"

#include "model/models.hpp"

namespace bpf_litmus::model {

std::optional<std::size_t> MemoryModel::first_violation(const Execution& x) const {
  std::size_t position = 0;
  std::optional<std::size_t> violated;
  evaluate(x, [&](const Axiom& axiom) {
    if (axiom.holds()) {
      ++position;
      return true;
    }
    violated = position;
    return false;
  });
  return violated;
}

std::unique_ptr<MemoryModel> make_model(ModelKind kind) {
  switch (kind) {
    case ModelKind::Bpf: return make_bpf_model();
    case ModelKind::Sc: return make_sc_model();
    case ModelKind::Tso: return make_tso_model(x86_64_jit_ordering());
  }
  return make_bpf_model();
}

std::optional<ModelKind> model_kind_from_name(std::string_view name) {
  if (name == "bpf") return ModelKind::Bpf;
  if (name == "sc") return ModelKind::Sc;
  if (name == "tso") return ModelKind::Tso;
  return std::nullopt;
}

std::string_view model_kind_name(ModelKind kind) {
  switch (kind) {
    case ModelKind::Bpf: return "bpf";
    case ModelKind::Sc: return "sc";
    case ModelKind::Tso: return "tso";
  }
  return "bpf";
}

}  // namespace bpf_litmus::model
