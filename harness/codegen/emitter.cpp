#include "codegen/emitter.hpp"

#include <limits>
#include <utility>

#include "codegen/insn.hpp"

namespace bpf_litmus::codegen {

void Emitter::begin_harness(std::string what) {
  source_ = -1;
  blocks_.push_back(HarnessBlock{here(), std::move(what)});
}

void Emitter::emit(const bpf_insn& insn) {
  insns_.push_back(insn);
  sources_.push_back(source_);
}

void Emitter::emit(const std::array<bpf_insn, 2>& wide) {
  emit(wide[0]);
  emit(wide[1]);
}

void Emitter::emit_map_value(std::uint8_t dst, std::uint32_t offset) {
  relocations_.push_back(here());
  // The fd is unknown until the runtime creates the map; 0 is patched.
  emit(insn::ld_map_value(dst, 0, offset));
}

Emitter::Label Emitter::new_label() {
  label_positions_.push_back(kUnbound);
  return Label{label_positions_.size() - 1};
}

void Emitter::bind(Label label) { label_positions_[label.id] = here(); }

void Emitter::emit_jump(const bpf_insn& insn, Label target) {
  fixups_.push_back(Fixup{here(), target.id});
  emit(insn);
}

void Emitter::emit_func_address(std::uint8_t dst, Label target) {
  fixups_.push_back(Fixup{here(), target.id, true});
  emit(insn::ld_func(dst, 0));
}

bool Emitter::finish(ThreadProgram& program, std::string& error) {
  for (const Fixup& fixup : fixups_) {
    const std::size_t target = label_positions_[fixup.label];
    if (target == kUnbound) {
      error = "jump at insn " + std::to_string(fixup.insn) + " to a label that was never placed";
      return false;
    }
    // Offsets count from the instruction after the jump.
    const auto delta = static_cast<std::int64_t>(target) - static_cast<std::int64_t>(fixup.insn) - 1;
    if (delta < std::numeric_limits<std::int16_t>::min() || delta > std::numeric_limits<std::int16_t>::max()) {
      error = "jump at insn " + std::to_string(fixup.insn) + " spans more than 32767 instructions";
      return false;
    }
    if (fixup.in_imm) {
      insns_[fixup.insn].imm = static_cast<std::int32_t>(delta);
    } else {
      insns_[fixup.insn].off = static_cast<std::int16_t>(delta);
    }
  }
  program.insns = std::move(insns_);
  program.source_statement = std::move(sources_);
  program.harness_blocks = std::move(blocks_);
  program.map_fd_relocations = std::move(relocations_);
  return true;
}

}  // namespace bpf_litmus::codegen
