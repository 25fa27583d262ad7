// Constructors of the built-in models, for make_model (memory_model.cpp).
#pragma once

#include <memory>

#include "model/memory_model.hpp"

namespace bpf_litmus::model {

[[nodiscard]] std::unique_ptr<MemoryModel> make_bpf_model();
[[nodiscard]] std::unique_ptr<MemoryModel> make_sc_model();

}  // namespace bpf_litmus::model
