// `bpf-litmus guest-programs FILE -o OUT`: compile one litmus test and write
// its threads' BPF programs for the guest runner of scripts/xarch-audit
// --litmus, which loads them under QEMU so that `audit --import` can show
// another architecture's JIT code for the test (docs/xarch.md).
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "codegen/codegen.hpp"
#include "litmus/parser.hpp"
#include "xarch/guest_report.hpp"

namespace bpf_litmus::cli {

void add_guest_programs_command(CLI::App& app, int* status) {
  struct Options {
    std::string input;
    std::string output;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("guest-programs", "compile a litmus test for scripts/xarch-audit --litmus");
  cmd->add_option("file", options->input, "the litmus file")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", options->output, "the programs file to write")->required();
  cmd->callback([options, status] {
    litmus::Test test;
    try {
      test = litmus::parse_file(options->input);
    } catch (const litmus::ParseError& e) {
      std::cerr << e.what() << '\n';
      *status = kExitBadInput;
      return;
    }
    // The default options: one function per thread looping with may_goto,
    // as `run` loads them on kernels that have it.
    const auto compiled = codegen::compile(test, {});
    if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) {
      std::cerr << test.name << ": " << codegen::to_string(*error) << '\n';
      *status = kExitBadInput;
      return;
    }
    const auto& compiled_test = std::get<codegen::CompiledTest>(compiled);
    xarch::GuestPrograms programs{test.name, compiled_test.layout.map_value_size, {}};
    for (const auto& program : compiled_test.programs) {
      programs.programs.push_back({program.thread, program.insns, program.map_fd_relocations});
    }
    std::ofstream out(options->output, std::ios::binary | std::ios::trunc);
    out << xarch::format_guest_programs(programs);
    out.close();
    if (!out) {
      std::cerr << "bpf-litmus: cannot write " << options->output << '\n';
      *status = kExitRuntimeFailure;
      return;
    }
    *status = kExitOk;
  });
}

}  // namespace bpf_litmus::cli
