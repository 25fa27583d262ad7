// `bpf-litmus audit [--json] [--record DIR]`: load one small program per BPF
// access and ordering primitive, read back what this kernel's JIT made of it,
// and judge the native code against what the BPF model requires
// (docs/audit.md). With `--import CONSOLE --emulator QEMU-COMMAND`, judge
// instead the JIT images a guest runner printed under QEMU (scripts/xarch-audit,
// docs/xarch.md). `--record DIR` also writes the audit as a result file.
// Exits 1 when a primitive's code is WEAKER than the model (or uses an
// instruction the ordering table does not know).
#include <sys/utsname.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit.hpp"
#include "cli/commands.hpp"
#include "results/audit_table.hpp"
#include "xarch/host_import.hpp"

namespace bpf_litmus::cli {
namespace {

struct AuditArguments {
  bool json = false;
  std::string import_path;  // a guest's console transcript
  std::string emulator;     // the QEMU command that ran it
  std::string record_dir;
};

// What was audited, and where.
struct Audited {
  audit::Isa isa = audit::Isa::X86_64;
  std::vector<audit::AuditRow> rows;
  std::string kernel;
  std::string where;  // "" natively, else the emulator
  std::vector<std::string> guest_cpuinfo;
  results::MachineFingerprint fingerprint;  // filled only for --record
};

int audit_this_machine(const AuditArguments& arguments, Audited& audited) {
  const auto isa = audit::host_isa();
  if (!isa) {
    std::cerr << "bpf-litmus audit: the ordering table does not cover this machine's ISA\n";
    return kExitRuntimeFailure;
  }
  audited.isa = *isa;
  for (const auto& capture : audit::capture_jit_images(audit::audited_primitives())) {
    audited.rows.push_back(audit::judge_capture(*isa, capture));
  }
  utsname uts{};
  audited.kernel = uname(&uts) == 0 ? uts.release : "unknown";
  if (!arguments.record_dir.empty()) audited.fingerprint = results::machine_fingerprint();
  return kExitOk;
}

// A guest that loaded a litmus test's programs (scripts/xarch-audit --litmus):
// each thread's native code as that architecture's JIT emitted it.
int show_litmus_programs(const xarch::GuestReport& report, audit::Isa isa, const std::string& emulator) {
  std::cout << report.test << ": the JIT of " << audit::isa_name(isa) << ", kernel " << report.release
            << (emulator.empty() ? "" : ", under " + emulator) << "\n";
  int status = kExitOk;
  for (const xarch::ProgramImage& program : report.programs) {
    if (!program.error.empty()) {
      std::cout << "\nP" << program.thread << ": " << program.error << '\n';
      status = kExitRuntimeFailure;
      continue;
    }
    std::cout << "\nP" << program.thread << " (" << program.image.size() << " bytes):\n"
              << audit::format_native(audit::disassemble_native(isa, program.image));
  }
  return report.programs.empty() ? kExitRuntimeFailure : status;
}

int audit_guest(const AuditArguments& arguments, Audited& audited) {
  std::ifstream in(arguments.import_path, std::ios::binary);
  std::stringstream console;
  console << in.rdbuf();
  if (!in) {
    std::cerr << "bpf-litmus audit: cannot read " << arguments.import_path << '\n';
    return kExitBadInput;
  }
  xarch::GuestReport report;
  try {
    report = xarch::parse_guest_report(console.str());
  } catch (const std::exception& e) {
    std::cerr << "bpf-litmus audit: " << arguments.import_path << ": " << e.what() << '\n';
    return kExitBadInput;
  }
  if (!report.complete) {
    std::cerr << "bpf-litmus audit: " << arguments.import_path << ": the guest's report stops after "
              << report.captures.size() << " primitives (the guest died or was killed)\n";
    return kExitRuntimeFailure;
  }
  const auto isa = xarch::isa_of_machine(report.machine);
  if (!isa) {
    std::cerr << "bpf-litmus audit: the ordering table does not cover the guest's ISA (" << report.machine << ")\n";
    return kExitRuntimeFailure;
  }
  if (!report.test.empty()) return show_litmus_programs(report, *isa, arguments.emulator);  // leaves no rows
  audited.isa = *isa;
  audited.rows = xarch::judge_guest(report, *isa);
  audited.kernel = report.release;
  audited.where = arguments.emulator.empty() ? "an emulated guest" : arguments.emulator;
  if (report.emulation_detected >= 0) {
    audited.where += std::string("; inside it, `run` would see ") +
                     (report.emulation_detected == 1 ? "an emulated CPU" : "no emulator") + " (" +
                     report.emulation_evidence + ")";
  }
  audited.guest_cpuinfo = report.cpuinfo;
  audited.fingerprint = xarch::guest_fingerprint(report, arguments.emulator);
  return kExitOk;
}

int run_audit(const AuditArguments& arguments) {
  Audited audited;
  const int failed = arguments.import_path.empty() ? audit_this_machine(arguments, audited)
                                                   : audit_guest(arguments, audited);
  if (failed != kExitOk || audited.rows.empty()) return failed;  // no rows: a litmus test's programs, shown
  if (arguments.json) {
    nlohmann::json out = audit::audit_json(audited.rows);
    out["kernel"] = audited.kernel;
    out["isa"] = audit::isa_name(audited.isa);
    if (!audited.where.empty()) out["emulator"] = audited.where;
    std::cout << out.dump(2) << '\n';
  } else {
    std::cout << "JIT audit: " << audit::isa_name(audited.isa) << ", kernel " << audited.kernel
              << (audited.where.empty() ? "" : ", under " + audited.where) << "\n\n"
              << audit::format_audit(audited.rows);
  }
  if (!arguments.record_dir.empty()) {
    std::vector<std::string> command = {"bpf-litmus", "audit"};
    if (!arguments.import_path.empty()) command.insert(command.end(), {"--import", arguments.import_path});
    if (!arguments.emulator.empty()) command.insert(command.end(), {"--emulator", arguments.emulator});
    command.insert(command.end(), {"--record", arguments.record_dir});
    const results::AuditRecord record{results::utc_timestamp(), std::string(audit::isa_name(audited.isa)),
                                      audit::audit_json(audited.rows), audited.guest_cpuinfo};
    try {
      const std::string path = results::write_audit_result(
          arguments.record_dir, audited.fingerprint, command,
          arguments.import_path.empty() ? std::vector<std::string>{} : std::vector{arguments.import_path}, record);
      std::cerr << "bpf-litmus audit: recorded in " << path << '\n';
    } catch (const results::ResultFileError& e) {
      std::cerr << "bpf-litmus audit: " << e.what() << '\n';
      return kExitRuntimeFailure;
    }
  }
  std::size_t judged = 0;
  bool weaker = false;
  for (const auto& row : audited.rows) {
    judged += row.verdict != audit::AuditVerdict::NotRun;
    weaker = weaker || row.verdict == audit::AuditVerdict::Weaker || row.verdict == audit::AuditVerdict::Unknown;
  }
  // A guest whose kernel has no JIT (s390x) judged nothing, and that is its answer.
  const bool nothing_judged_is_failure = arguments.import_path.empty();
  return weaker ? kExitForbiddenObserved : judged == 0 && nothing_judged_is_failure ? kExitRuntimeFailure : kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, int* status) {
  auto arguments = std::make_shared<AuditArguments>();
  CLI::App* cmd = app.add_subcommand("audit", "check the kernel JIT's code for every BPF ordering primitive");
  cmd->add_flag("--json", arguments->json, "print the audit as JSON");
  cmd->add_option("--import", arguments->import_path,
                  "judge the JIT images in a guest runner's console transcript (scripts/xarch-audit)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--emulator", arguments->emulator, "with --import: the QEMU command (machine, CPU) that ran the guest");
  cmd->add_option("--record", arguments->record_dir, "also write the audit as a result file in this directory");
  cmd->callback([arguments, status] { *status = run_audit(*arguments); });
}

}  // namespace bpf_litmus::cli
