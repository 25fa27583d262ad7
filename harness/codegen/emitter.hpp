// Appends instructions to one BPF program and resolves jumps to labels.
//
// Every instruction is tagged with what it implements (a test statement or a
// named harness block), so that listings and verifier errors can point back
// at the test.
#pragma once

#include <linux/bpf.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codegen/compiled_test.hpp"

namespace bpf_litmus::codegen {

class Emitter {
 public:
  struct Label {
    std::size_t id = 0;
  };

  // Index of the next instruction.
  std::size_t here() const { return insns_.size(); }

  // Later instructions implement statement `statement` of the test thread.
  void begin_statement(int statement) { source_ = statement; }
  // Later instructions are harness code doing `what`.
  void begin_harness(std::string what);

  void emit(const bpf_insn& insn);
  void emit(const std::array<bpf_insn, 2>& wide);
  // dst = arena base + offset (an ld_imm64 the runtime relocates with the map fd).
  void emit_map_value(std::uint8_t dst, std::uint32_t offset);

  Label new_label();
  void bind(Label label);
  // Emits a jump-class instruction (conditional jump, ja, may_goto) whose
  // off field is resolved to `target` when the program is finished.
  void emit_jump(const bpf_insn& insn, Label target);
  // dst = address of the subprogram starting at `target` (an ld_imm64 with
  // BPF_PSEUDO_FUNC, for bpf_loop's callback argument).
  void emit_func_address(std::uint8_t dst, Label target);

  // Resolves every jump into `program`; false if a label was never bound or a
  // jump does not fit in 16 bits (then `error` says which).
  bool finish(ThreadProgram& program, std::string& error);

 private:
  struct Fixup {
    std::size_t insn = 0;
    std::size_t label = 0;
    bool in_imm = false;  // BPF_PSEUDO_FUNC: the distance goes in imm, not off
  };
  static constexpr std::size_t kUnbound = static_cast<std::size_t>(-1);

  std::vector<bpf_insn> insns_;
  std::vector<int> sources_;
  std::vector<HarnessBlock> blocks_;
  std::vector<std::size_t> relocations_;
  std::vector<std::size_t> label_positions_;
  std::vector<Fixup> fixups_;
  int source_ = -1;
};

}  // namespace bpf_litmus::codegen
