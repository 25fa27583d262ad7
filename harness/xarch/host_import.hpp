// The host's side of a guest report: which ISA the guest ran, judging its
// captures with the host's audit code (disassembler, ordering table), and
// the fingerprint of the emulated machine for the result store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.hpp"
#include "results/fingerprint.hpp"
#include "xarch/guest_report.hpp"

namespace bpf_litmus::xarch {

// uname -m to the ordering table's ISA: "aarch64" -> Arm64, "ppc64le" -> Ppc64, ...
[[nodiscard]] std::optional<audit::Isa> isa_of_machine(std::string_view machine);

// The CPU model in a QEMU command line: "max" in "qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on".
[[nodiscard]] std::string qemu_cpu_model(std::string_view emulator);

// The guest as a machine fingerprint, marked emulated by `emulator` (the
// QEMU command that ran it), with the guest's kernel and JIT settings.
[[nodiscard]] results::MachineFingerprint guest_fingerprint(const GuestReport& report, std::string_view emulator);

// One audit row per capture, judged as `bpf-litmus audit` judges this
// machine's. A guest that ran a primitive in the interpreter (jited_prog_len
// 0) gets a not-run row saying so, and whether the kernel has no JIT at all.
[[nodiscard]] std::vector<audit::AuditRow> judge_guest(const GuestReport& report, audit::Isa isa);

}  // namespace bpf_litmus::xarch
