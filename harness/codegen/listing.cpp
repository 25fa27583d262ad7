// listing(): each thread's program in verifier-log syntax under the test
// statement or harness block each run of instructions implements.
#include <cstdio>
#include <string>

#include "codegen/codegen.hpp"
#include "codegen/disasm.hpp"
#include "litmus/printer.hpp"

namespace bpf_litmus::codegen {
namespace {

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

const char* sync_name(SyncMode sync) {
  switch (sync) {
    case SyncMode::None: return "none";
    case SyncMode::Spin: return "spin barrier";
    case SyncMode::Timebase: return "timebase";
  }
  return "?";
}

std::string describe_layout(const CompiledTest& compiled, const litmus::Test& test) {
  const MemoryLayout& l = compiled.layout;
  std::string text = "; arena: map value of " + std::to_string(l.map_value_size) + " bytes, arena offset 0 at byte " +
                     std::to_string(l.guard_bytes) + ", address mask " + hex(l.address_mask) + "\n";
  text += "; control block at 0, thread loop state at " + hex(l.thread_state_offset) + ", barriers at " +
          hex(l.barriers_offset) + " (stride " + std::to_string(l.barrier_stride) + ")" +
          (l.permutation_offset != 0 ? ", instance permutation at " + hex(l.permutation_offset) : "") + ", instances at " + hex(l.instances_offset) + " (stride " +
          std::to_string(l.instance_stride) + ", capacity " + std::to_string(l.capacity) + "), results at " +
          hex(l.results_offset) + " (" + std::to_string(l.results_per_instance) + " words per instance, " +
          hex(l.results_thread_stride) + " per thread)\n";
  text += "; locations in an instance:";
  for (std::size_t j = 0; j < l.location_offsets.size() && j < test.locations.size(); ++j) {
    text += " " + test.locations[j].name + "@+" + std::to_string(l.location_offsets[j]);
  }
  return text + "\n";
}

std::string describe_homes(const ThreadProgram& program) {
  std::string text = "; registers:";
  for (const RegisterHome& home : program.homes) {
    text += " r" + std::to_string(home.test_reg) + "->";
    text += home.in_machine_reg ? "r" + std::to_string(home.machine_reg) : "[fp" + std::to_string(home.stack_off) + "]";
    if (home.pointer) text += "(pointer)";
  }
  return text + "\n";
}

std::string statement_text(const litmus::Thread& thread, int statement) {
  const auto& s = thread.code[static_cast<std::size_t>(statement)];
  return "; P" + std::to_string(thread.id) + " line " + std::to_string(s.pos.line) + ": " +
         litmus::print_statement(s) + "\n";
}

}  // namespace

std::string listing(const CompiledTest& compiled, const litmus::Test& test) {
  std::string text = "; test " + compiled.name + ": " + std::to_string(compiled.programs.size()) +
                     " threads, sync: " + sync_name(compiled.sync) +
                     ", loop: " + std::string(loop_strategy_name(compiled.loop)) + "\n";
  text += describe_layout(compiled, test);
  for (const ThreadProgram& program : compiled.programs) {
    const bool known_thread = program.thread >= 0 && static_cast<std::size_t>(program.thread) < test.threads.size();
    text += "\n; ==== P" + std::to_string(program.thread) + ": " + std::to_string(program.insns.size()) +
            " instructions\n";
    text += describe_homes(program);
    std::size_t next_block = 0;
    int shown_statement = -1;
    for (std::size_t i = 0; i < program.insns.size(); ++i) {
      const int statement = i < program.source_statement.size() ? program.source_statement[i] : -1;
      while (next_block < program.harness_blocks.size() && program.harness_blocks[next_block].first_insn <= i) {
        text += "; -- " + program.harness_blocks[next_block++].what + "\n";
        shown_statement = -1;
      }
      if (statement >= 0 && statement != shown_statement && known_thread &&
          static_cast<std::size_t>(statement) < test.threads[static_cast<std::size_t>(program.thread)].code.size()) {
        text += statement_text(test.threads[static_cast<std::size_t>(program.thread)], statement);
        shown_statement = statement;
      }
      text += disassemble_line(program.insns, i) + "\n";
      if (program.insns[i].code == (BPF_LD | BPF_IMM | BPF_DW)) ++i;
    }
  }
  return text;
}

}  // namespace bpf_litmus::codegen
