#include "report/native_listing.hpp"

#include "audit/native_disasm.hpp"
#include "codegen/disasm.hpp"
#include "litmus/printer.hpp"

namespace bpf_litmus::report {
namespace {

// What instruction `insn` of the BPF program starts: a harness block, a test statement, or nothing new.
std::string heading(std::uint32_t insn, const codegen::ThreadProgram& program, const litmus::Test& test) {
  std::string text;
  for (const auto& block : program.harness_blocks) {
    if (block.first_insn == insn) text += "; -- " + block.what + "\n";
  }
  const int statement = insn < program.source_statement.size() ? program.source_statement[insn] : -1;
  const auto thread = static_cast<std::size_t>(program.thread);
  if (statement >= 0 && thread < test.threads.size() &&
      static_cast<std::size_t>(statement) < test.threads[thread].code.size()) {
    text += "; P" + std::to_string(program.thread) + " " +
            litmus::print_statement(test.threads[thread].code[static_cast<std::size_t>(statement)]) + "\n";
  }
  if (insn < program.insns.size()) text += ";   BPF " + codegen::disassemble_line(program.insns, insn) + "\n";
  return text;
}

}  // namespace

std::string native_listing(std::span<const std::uint8_t> image, std::span<const runtime::JitedLine> lines,
                           const codegen::ThreadProgram& program, const litmus::Test& test) {
  if (image.empty()) return "(no JIT image: the program runs in the interpreter)\n";
  const auto isa = audit::host_isa();
  if (!isa) return "(no disassembler for this machine's instructions)\n";
  const auto insns = audit::disassemble_native(*isa, image);
  std::string text = "; P" + std::to_string(program.thread) + ": " + std::to_string(image.size()) + " bytes of " +
                     std::string(audit::isa_name(*isa)) + "\n";
  std::size_t next_line = 0;
  for (std::size_t i = 0; i < insns.size(); ++i) {
    while (next_line < lines.size() && lines[next_line].offset <= insns[i].offset) {
      text += heading(lines[next_line++].insn, program, test);
    }
    text += audit::format_native(std::span(&insns[i], 1), "    ");
  }
  return text;
}

}  // namespace bpf_litmus::report
