// What the guest runner (guest_main.cpp, booted as /init under QEMU by
// scripts/xarch-audit) tells the host over the console: the guest's kernel
// and CPU, the JIT settings, and the JIT image of every audited primitive,
// one line each, hex-encoded. The same code formats the lines in the guest
// and parses them on the host, so the two cannot drift apart.
//
// Every line starts with kLinePrefix; the kernel's own console messages may
// come between them and are ignored. A report without the end line is
// incomplete (the guest died, hung or was killed).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <linux/bpf.h>

#include "audit/jit_capture.hpp"

namespace bpf_litmus::xarch {

inline constexpr std::string_view kLinePrefix = "@bpf-litmus ";

// The programs of one compiled litmus test, for the guest to load
// (scripts/xarch-audit --litmus): written by `bpf-litmus guest-programs` into
// the initramfs as kProgramsPath, one line per thread.
inline constexpr const char* kProgramsPath = "/litmus-programs";
struct GuestProgram {
  int thread = 0;
  std::vector<bpf_insn> insns;
  std::vector<std::size_t> map_fd_relocations;  // ld_imm64 whose imm takes the test memory's map fd
};
struct GuestPrograms {
  std::string test;              // the test's name
  std::uint64_t map_value_size = 0;  // the test memory: one BPF_F_MMAPABLE array map value
  std::vector<GuestProgram> programs;
};
[[nodiscard]] std::string format_guest_programs(const GuestPrograms& programs);
// Throws std::runtime_error on a malformed file.
[[nodiscard]] GuestPrograms parse_guest_programs(std::string_view text);

// One program of a litmus test loaded in the guest (scripts/xarch-audit --litmus).
struct ProgramImage {
  int thread = 0;
  std::vector<std::uint8_t> image;  // empty: not loaded or not JIT-compiled; see error
  std::string error;
};

struct GuestReport {
  std::string release;   // uname -r
  std::string version;   // uname -v
  std::string machine;   // uname -m: "aarch64", "riscv64", "ppc64le", "s390x"
  int bpf_jit_enable = -1;  // as read back after the guest set it to 1
  int bpf_jit_harden = -1;
  std::vector<std::string> cpuinfo;  // the CPU's identifying /proc/cpuinfo lines, "key: value"
  int emulation_detected = -1;       // what detect_emulation() said inside the guest: 1, 0; -1 not reported
  std::string emulation_evidence;
  std::vector<audit::JitCapture> captures;
  std::string test;  // the litmus test whose programs were loaded, if any
  std::vector<ProgramImage> programs;
  bool complete = false;  // the end line arrived
};

// Lines the guest prints (without a trailing newline).
[[nodiscard]] std::string format_begin();
[[nodiscard]] std::string format_uname(std::string_view release, std::string_view version, std::string_view machine);
[[nodiscard]] std::string format_sysctl(std::string_view name, int value);  // "bpf_jit_enable"
[[nodiscard]] std::string format_cpuinfo(std::string_view line);
[[nodiscard]] std::string format_emulation(bool emulated, std::string_view evidence);
[[nodiscard]] std::string format_capture(const audit::JitCapture& capture);
[[nodiscard]] std::string format_test(std::string_view name);
[[nodiscard]] std::string format_program(const ProgramImage& program);
[[nodiscard]] std::string format_end();

// The report in a console transcript. Throws std::runtime_error when no
// begin line is there or a line of the report is malformed.
[[nodiscard]] GuestReport parse_guest_report(std::string_view console);

[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);  // "d503233f", "-" when empty

}  // namespace bpf_litmus::xarch
