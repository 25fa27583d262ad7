#include "xarch/host_import.hpp"

namespace bpf_litmus::xarch {

std::optional<audit::Isa> isa_of_machine(std::string_view machine) {
  if (machine == "x86_64") return audit::Isa::X86_64;
  if (machine == "aarch64") return audit::Isa::Arm64;
  if (machine == "riscv64") return audit::Isa::Riscv64;
  if (machine == "ppc64le" || machine == "ppc64") return audit::Isa::Ppc64;
  if (machine == "s390x") return audit::Isa::S390x;
  return std::nullopt;
}

std::string qemu_cpu_model(std::string_view emulator) {
  const std::size_t at = emulator.find("-cpu ");
  if (at == std::string_view::npos) return "";
  const std::string_view rest = emulator.substr(at + 5);
  return std::string(rest.substr(0, rest.find_first_of(", ")));
}

results::MachineFingerprint guest_fingerprint(const GuestReport& report, std::string_view emulator) {
  results::MachineFingerprint fingerprint;
  fingerprint.hostname = "qemu-" + report.machine;
  fingerprint.emulated = true;
  fingerprint.emulator = emulator;
  fingerprint.cpu.architecture = report.machine;
  fingerprint.cpu.vendor = "QEMU";
  fingerprint.cpu.model_name = qemu_cpu_model(emulator);
  fingerprint.topology = {1, 1, 1, 1};  // the script boots -smp 1
  fingerprint.kernel.release = report.release;
  fingerprint.kernel.version = report.version;
  fingerprint.kernel.bpf_jit_enable = report.bpf_jit_enable;
  fingerprint.kernel.bpf_jit_harden = report.bpf_jit_harden;
  fingerprint.bpf_litmus_version = BPF_LITMUS_VERSION;
  fingerprint.git_commit = results::kGitCommit;
  fingerprint.id = results::fingerprint_id(fingerprint);
  return fingerprint;
}

std::vector<audit::AuditRow> judge_guest(const GuestReport& report, audit::Isa isa) {
  std::vector<audit::AuditRow> rows;
  for (const audit::JitCapture& capture : report.captures) {
    audit::AuditRow& row = rows.emplace_back(audit::judge_capture(isa, capture));
    // No bpf_jit_enable sysctl at all: a kernel built without the JIT (Debian's s390x).
    if (row.verdict == audit::AuditVerdict::NotRun && capture.with_primitive.empty() && report.bpf_jit_enable < 0 &&
        capture.error.starts_with("not JIT-compiled")) {
      row.note = "interpreted (jited_prog_len 0): this kernel has no BPF JIT (no bpf_jit_enable sysctl)";
    }
  }
  return rows;
}

}  // namespace bpf_litmus::xarch
