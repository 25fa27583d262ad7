// bpf-litmus: run herd7-dialect BPF litmus tests as real BPF programs.
// This file only wires the subcommands; each lives in its own cmd_*.cpp.
#include <exception>
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"bpf-litmus: memory-model litmus tests as real BPF programs"};
  app.set_version_flag("--version", BPF_LITMUS_VERSION);
  app.require_subcommand(1);
  int status = bpf_litmus::cli::kExitOk;
  bpf_litmus::cli::add_run_command(app, &status);
  bpf_litmus::cli::add_model_command(app, &status);
  bpf_litmus::cli::add_compile_command(app, &status);
  bpf_litmus::cli::add_campaign_command(app, &status);
  bpf_litmus::cli::add_compare_command(app, &status);
  bpf_litmus::cli::add_audit_command(app, &status);
  bpf_litmus::cli::add_guest_programs_command(app, &status);
  bpf_litmus::cli::add_mutate_command(app, &status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : bpf_litmus::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "bpf-litmus: internal error: " << e.what() << '\n';
    return bpf_litmus::cli::kExitRuntimeFailure;
  }
  return status;
}
