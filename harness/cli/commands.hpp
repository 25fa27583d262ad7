// Subcommands of the bpf-litmus front end. Each add_*_command registers one
// CLI11 subcommand whose callback stores the process exit status in *status.
#pragma once

#include <CLI/CLI.hpp>

namespace bpf_litmus::cli {

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitForbiddenObserved = 1;  // a state the model forbids was observed
inline constexpr int kExitBadInput = 2;           // unreadable or malformed input, bad usage
inline constexpr int kExitRuntimeFailure = 3;     // the kernel or the machine failed us
inline constexpr int kExitInterrupted = 130;      // Ctrl-C (128 + SIGINT); what was measured was printed

void add_model_command(CLI::App& app, int* status);
void add_run_command(CLI::App& app, int* status);
void add_compile_command(CLI::App& app, int* status);
void add_campaign_command(CLI::App& app, int* status);
void add_compare_command(CLI::App& app, int* status);
void add_audit_command(CLI::App& app, int* status);
void add_guest_programs_command(CLI::App& app, int* status);
void add_mutate_command(CLI::App& app, int* status);

}  // namespace bpf_litmus::cli
