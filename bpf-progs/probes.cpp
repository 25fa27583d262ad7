#include "bpf-progs/probes.hpp"

#include "codegen/insn.hpp"

namespace bpf_litmus::bpf_progs {

namespace in = codegen::insn;

namespace {
void append(std::vector<bpf_insn>& prog, const std::array<bpf_insn, 2>& pair) {
  prog.insert(prog.end(), pair.begin(), pair.end());
}
}  // namespace

std::vector<bpf_insn> return_value_program(std::int32_t value) {
  return {in::mov64_imm(BPF_REG_0, value), in::exit()};
}

std::vector<bpf_insn> single_access_program(int map_fd, std::span<const bpf_insn> body) {
  std::vector<bpf_insn> prog;
  append(prog, in::ld_map_value(BPF_REG_1, map_fd, 0));
  prog.push_back(in::mov64_imm(BPF_REG_2, 1));
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));  // cmpxchg compares with r0
  prog.insert(prog.end(), body.begin(), body.end());
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::exit());
  return prog;
}

std::vector<bpf_insn> atomic_program(int map_fd, unsigned bytes, std::int32_t op) {
  const bpf_insn access = op == BPF_LOAD_ACQ ? in::load_acquire(bytes, BPF_REG_2, BPF_REG_1, 0)
                                             : in::atomic(bytes, op, BPF_REG_1, BPF_REG_2, 0);
  return single_access_program(map_fd, std::span(&access, 1));
}

std::vector<bpf_insn> loop_program() {
  std::vector<bpf_insn> prog;
  prog.push_back(in::mov64_imm(BPF_REG_1, 4));
  // imm counts from the instruction after the ld_imm64's first slot (1 + 5 + 1 = 7)
  append(prog, in::ld_func(BPF_REG_2, 5));
  prog.push_back(in::mov64_imm(BPF_REG_3, 0));
  prog.push_back(in::mov64_imm(BPF_REG_4, 0));
  prog.push_back(in::call_helper(BPF_FUNC_loop));
  prog.push_back(in::exit());  // returns bpf_loop's result in r0
  // callback(index, ctx): continue
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::exit());
  return prog;
}

std::vector<bpf_insn> may_goto_program() {
  return {
      in::mov64_imm(BPF_REG_0, 0),
      in::may_goto(2),                       // budget spent: leave the loop
      in::alu64_imm(BPF_ADD, BPF_REG_0, 1),
      in::ja(-3),
      in::exit(),
  };
}

}  // namespace bpf_litmus::bpf_progs
