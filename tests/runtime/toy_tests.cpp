#include "toy_tests.hpp"

#include <cstddef>

#include "codegen/insn.hpp"

namespace bpf_litmus::runtime::testing {

namespace in = codegen::insn;

namespace {

constexpr std::uint64_t kControlOffset = 0;
constexpr std::uint64_t kBarriersOffset = 4096;
constexpr std::uint32_t kInstanceStride = 64;

void append(std::vector<bpf_insn>& prog, const std::array<bpf_insn, 2>& pair) {
  prog.insert(prog.end(), pair.begin(), pair.end());
}

std::int32_t field(std::size_t offset_in_control) { return static_cast<std::int32_t>(kControlOffset + offset_in_control); }

// Offset of a control word from the spin_limit word (where r6 points in the waiter).
std::int16_t relative_to_spin_limit(std::size_t offset_in_control) {
  return static_cast<std::int16_t>(static_cast<std::int64_t>(offset_in_control) -
                                   static_cast<std::int64_t>(offsetof(codegen::ControlBlock, spin_limit)));
}

codegen::ThreadProgram program_for(int thread, std::vector<bpf_insn> insns) {
  codegen::ThreadProgram program;
  program.thread = thread;
  for (std::size_t i = 0; i < insns.size(); ++i) {
    if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) && insns[i].src_reg == BPF_PSEUDO_MAP_VALUE) {
      program.map_fd_relocations.push_back(i);
    }
  }
  program.source_statement.assign(insns.size(), -1);
  program.insns = std::move(insns);
  return program;
}

// r1 = the control word at `offset`, r2 = callback `callback_at`, bpf_loop,
// leaving bpf_loop's result in r0 and the control word's address in r6.
// `callback_at` is the callback's index; the block is 8 instructions long,
// 10 with a non-zero `at_most` (a bound on the rounds).
void loop_over_control_word(std::vector<bpf_insn>& prog, std::size_t offset, std::size_t callback_at,
                            std::uint32_t at_most = 0) {
  append(prog, in::ld_map_value(BPF_REG_6, 0, field(offset)));
  prog.push_back(in::load(8, BPF_REG_1, BPF_REG_6, 0));
  if (at_most != 0) {
    prog.push_back(in::jmp_imm(BPF_JLE, BPF_REG_1, static_cast<std::int32_t>(at_most), 1));
    prog.push_back(in::mov64_imm(BPF_REG_1, static_cast<std::int32_t>(at_most)));
  }
  const auto here = static_cast<std::int32_t>(prog.size());
  append(prog, in::ld_func(BPF_REG_2, static_cast<std::int32_t>(callback_at) - here - 1));
  prog.push_back(in::mov64_imm(BPF_REG_3, 0));
  prog.push_back(in::mov64_imm(BPF_REG_4, 0));
  prog.push_back(in::call_helper(BPF_FUNC_loop));
}

}  // namespace

codegen::MemoryLayout toy_layout(int threads, std::vector<std::uint8_t> image) {
  codegen::MemoryLayout layout;
  layout.guard_bytes = 0;
  layout.capacity = kToyCapacity;
  layout.barriers_offset = kBarriersOffset;
  layout.barrier_stride = 8;
  layout.instances_offset = kBarriersOffset + 8 * kToyCapacity;
  layout.instance_stride = kInstanceStride;
  layout.results_offset = layout.instances_offset + kInstanceStride * kToyCapacity;
  layout.results_per_instance = 1;
  layout.results_thread_stride = 8 * kToyCapacity;
  layout.map_value_size = layout.results_offset + layout.results_thread_stride * static_cast<std::uint64_t>(threads);
  layout.address_mask = kToyCapacity - 1;
  layout.instance_image = std::move(image);
  return layout;
}

codegen::CompiledTest counting_test(int threads, std::uint32_t at_most) {
  codegen::CompiledTest test;
  test.name = "counting";
  test.sync = codegen::SyncMode::None;
  test.layout = toy_layout(threads);
  for (int t = 0; t < threads; ++t) {
    std::vector<bpf_insn> prog;
    loop_over_control_word(prog, offsetof(codegen::ControlBlock, n_instances), at_most != 0 ? 11 : 9, at_most);
    prog.push_back(in::exit());  // r0: iterations bpf_loop ran
    // 9 (11): callback(index r1): result[t][index] = index % (t + 2)
    prog.push_back(in::alu64_imm(BPF_AND, BPF_REG_1, kToyCapacity - 1));
    prog.push_back(in::mov64_reg(BPF_REG_3, BPF_REG_1));
    prog.push_back(in::alu64_imm(BPF_MOD, BPF_REG_3, t + 2));
    prog.push_back(in::alu64_imm(BPF_LSH, BPF_REG_1, 3));
    const auto results = test.layout.results_offset + static_cast<std::uint64_t>(t) * test.layout.results_thread_stride;
    append(prog, in::ld_map_value(BPF_REG_4, 0, static_cast<std::uint32_t>(results)));
    prog.push_back(in::alu64_reg(BPF_ADD, BPF_REG_4, BPF_REG_1));
    prog.push_back(in::store_reg(8, BPF_REG_4, 0, BPF_REG_3));
    prog.push_back(in::mov64_imm(BPF_REG_0, 0));
    prog.push_back(in::exit());
    test.programs.push_back(program_for(t, std::move(prog)));
    codegen::ObservedSlot slot;
    slot.what.is_register = true;
    slot.what.thread = t;
    slot.thread = t;
    test.observed.push_back(slot);
  }
  return test;
}

codegen::CompiledTest never_arrives_test() {
  codegen::CompiledTest test;
  test.name = "never-arrives";
  test.sync = codegen::SyncMode::Spin;
  test.layout = toy_layout(2);
  std::vector<bpf_insn> waiter;
  loop_over_control_word(waiter, offsetof(codegen::ControlBlock, spin_limit), 18);
  // 8: after the wait: barrier 0 still zero -> abort = 1, return 0; else return n
  append(waiter, in::ld_map_value(BPF_REG_7, 0, static_cast<std::uint32_t>(kBarriersOffset)));
  waiter.push_back(in::load(8, BPF_REG_1, BPF_REG_7, 0));
  waiter.push_back(in::jmp_imm(BPF_JNE, BPF_REG_1, 0, 4));
  waiter.push_back(in::mov64_imm(BPF_REG_1, 1));
  waiter.push_back(in::store_reg(8, BPF_REG_6, relative_to_spin_limit(offsetof(codegen::ControlBlock, abort)), BPF_REG_1));
  waiter.push_back(in::mov64_imm(BPF_REG_0, 0));
  waiter.push_back(in::exit());
  waiter.push_back(in::load(8, BPF_REG_0, BPF_REG_6, relative_to_spin_limit(offsetof(codegen::ControlBlock, n_instances))));
  waiter.push_back(in::exit());
  // 18: callback: stop (return 1) once barrier 0 is non-zero
  append(waiter, in::ld_map_value(BPF_REG_1, 0, static_cast<std::uint32_t>(kBarriersOffset)));
  waiter.push_back(in::load(8, BPF_REG_1, BPF_REG_1, 0));
  waiter.push_back(in::mov64_imm(BPF_REG_0, 0));
  waiter.push_back(in::jmp_imm(BPF_JEQ, BPF_REG_1, 0, 1));
  waiter.push_back(in::mov64_imm(BPF_REG_0, 1));
  waiter.push_back(in::exit());
  test.programs.push_back(program_for(0, std::move(waiter)));
  test.programs.push_back(program_for(1, {in::mov64_imm(BPF_REG_0, 0), in::exit()}));
  return test;
}

codegen::CompiledTest ignores_abort_test() {
  codegen::CompiledTest test;
  test.name = "ignores-abort";
  test.sync = codegen::SyncMode::None;
  test.layout = toy_layout(1);
  std::vector<bpf_insn> prog;
  // 0: deadline = now + spin_limit << 26 ns, kept in barrier word 0 (unused without sync)
  prog.push_back(in::call_helper(BPF_FUNC_ktime_get_ns));
  append(prog, in::ld_map_value(BPF_REG_6, 0, field(offsetof(codegen::ControlBlock, spin_limit))));
  prog.push_back(in::load(8, BPF_REG_1, BPF_REG_6, 0));
  prog.push_back(in::alu64_imm(BPF_LSH, BPF_REG_1, 26));
  prog.push_back(in::alu64_reg(BPF_ADD, BPF_REG_0, BPF_REG_1));
  append(prog, in::ld_map_value(BPF_REG_7, 0, static_cast<std::uint32_t>(kBarriersOffset)));
  prog.push_back(in::store_reg(8, BPF_REG_7, 0, BPF_REG_0));
  // 9: bpf_loop(spin_limit, outer)
  loop_over_control_word(prog, offsetof(codegen::ControlBlock, spin_limit), 19);
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::exit());
  // 19: outer callback: bpf_loop(1 << 23, inner)
  prog.push_back(in::mov64_imm(BPF_REG_1, 1 << 23));
  append(prog, in::ld_func(BPF_REG_2, 6));  // 20 + 6 + 1 = 27
  prog.push_back(in::mov64_imm(BPF_REG_3, 0));
  prog.push_back(in::mov64_imm(BPF_REG_4, 0));
  prog.push_back(in::call_helper(BPF_FUNC_loop));
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::exit());
  // 27: inner callback: go on (0) until the deadline, then stop (1)
  prog.push_back(in::call_helper(BPF_FUNC_ktime_get_ns));
  append(prog, in::ld_map_value(BPF_REG_1, 0, static_cast<std::uint32_t>(kBarriersOffset)));
  prog.push_back(in::load(8, BPF_REG_1, BPF_REG_1, 0));
  prog.push_back(in::mov64_reg(BPF_REG_2, BPF_REG_0));
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::jmp_reg(BPF_JLT, BPF_REG_2, BPF_REG_1, 1));
  prog.push_back(in::mov64_imm(BPF_REG_0, 1));
  prog.push_back(in::exit());
  test.programs.push_back(program_for(0, std::move(prog)));
  return test;
}

codegen::CompiledTest single_program_test(std::vector<bpf_insn> insns) {
  codegen::CompiledTest test;
  test.name = "single";
  test.sync = codegen::SyncMode::None;
  test.layout = toy_layout(1);
  test.programs.push_back(program_for(0, std::move(insns)));
  auto& statements = test.programs.back().source_statement;
  for (std::size_t i = 0; i < statements.size(); ++i) statements[i] = static_cast<int>(i);
  return test;
}

}  // namespace bpf_litmus::runtime::testing
