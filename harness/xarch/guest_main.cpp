// The guest runner: /init of the initramfs scripts/xarch-audit boots under
// QEMU (also runnable as an ordinary root program, which the tests do). It
// makes sure the JIT is on, captures the JIT image of every audited primitive
// with the same code as `bpf-litmus audit` (audit/jit_capture), prints them
// as a guest report (guest_report.hpp) and powers the machine off. Judgement
// happens on the host, which has the disassemblers.
//
// Static and dependency-free beyond libc and the kernel's bpf(2), so that one
// cross compiler per architecture builds it.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <fstream>
#include <string>

#include "audit/bpf_syscall.hpp"
#include "audit/jit_capture.hpp"
#include "xarch/emulation.hpp"
#include "xarch/guest_report.hpp"

namespace {

using namespace bpf_litmus;

void emit(const std::string& text) {
  const std::string line = text + "\n";
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// As init, the kernel gives no stdout unless the initramfs has /dev/console:
// mount the pseudo file systems and take the console ourselves.
void set_up_as_init() {
  mkdir("/proc", 0555);
  mkdir("/sys", 0555);
  mkdir("/dev", 0755);
  mount("proc", "/proc", "proc", 0, nullptr);
  mount("sysfs", "/sys", "sysfs", 0, nullptr);
  mount("devtmpfs", "/dev", "devtmpfs", 0, nullptr);
  const int console = open("/dev/console", O_RDWR);
  if (console >= 0) {
    dup2(console, STDOUT_FILENO);
    dup2(console, STDERR_FILENO);
    if (console > STDERR_FILENO) close(console);
  }
}

int read_sysctl(const char* path) {
  std::ifstream in(path);
  int value = -1;
  in >> value;
  return in ? value : -1;
}

// Older riscv64 and ppc64el kernels boot with the JIT off: without this the
// programs run in the interpreter (and the report says so, jited_prog_len 0).
void enable_jit() {
  std::ofstream("/proc/sys/net/core/bpf_jit_enable") << "1\n";
}

// The /proc/cpuinfo lines that name the CPU and its extensions (first CPU only).
void emit_cpuinfo() {
  static constexpr const char* kKeys[] = {"vendor_id", "model name", "CPU implementer", "CPU part", "Features",
                                          "isa", "mmu", "uarch", "cpu", "model", "machine", "features"};
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  std::string seen = "|";
  while (std::getline(in, line)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    for (const char* wanted : kKeys) {
      if (key == wanted && seen.find("|" + key + "|") == std::string::npos) {
        seen += key + "|";
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
        emit(xarch::format_cpuinfo(key + ": " + value));
      }
    }
  }
}

// Loads each thread's program of the litmus test in kProgramsPath (built on
// the host by `bpf-litmus guest-programs`) over one test memory map, as the
// runtime does, and prints its JIT image. The programs are not run.
void emit_litmus_programs(const std::string& text) {
  xarch::GuestPrograms programs;
  try {
    programs = xarch::parse_guest_programs(text);
  } catch (const std::exception& e) {
    emit(xarch::format_program({-1, {}, std::string("unreadable programs file: ") + e.what()}));
    return;
  }
  emit(xarch::format_test(programs.test));
  const audit::sys::Fd memory =
      audit::sys::create_array_map(static_cast<std::uint32_t>(programs.map_value_size), BPF_F_MMAPABLE);
  for (xarch::GuestProgram& program : programs.programs) {
    xarch::ProgramImage image{program.thread, {}, {}};
    if (memory.get() < 0) {
      image.error = std::string("cannot create the test memory map: ") + std::strerror(errno);
      emit(xarch::format_program(image));
      continue;
    }
    for (const std::size_t index : program.map_fd_relocations) program.insns[index].imm = memory.get();
    std::string reason;
    const audit::sys::Fd loaded = audit::sys::load_syscall_program(program.insns, reason);
    if (loaded.get() < 0) {
      image.error = std::string("rejected: ") + std::strerror(errno) + ": " + reason;
    } else if (!audit::sys::jited_image(loaded.get(), image.image)) {
      image.error = std::string("reading the JIT image: ") + std::strerror(errno);
    } else if (image.image.empty()) {
      image.error = "not JIT-compiled: the program runs in the interpreter";
    }
    emit(xarch::format_program(image));
  }
}

}  // namespace

int main() {
  const bool init = getpid() == 1;
  if (init) set_up_as_init();
  enable_jit();
  emit(xarch::format_begin());
  utsname uts{};
  uname(&uts);
  emit(xarch::format_uname(uts.release, uts.version, uts.machine));
  emit(xarch::format_sysctl("bpf_jit_enable", read_sysctl("/proc/sys/net/core/bpf_jit_enable")));
  emit(xarch::format_sysctl("bpf_jit_harden", read_sysctl("/proc/sys/net/core/bpf_jit_harden")));
  emit_cpuinfo();
  const xarch::EmulationCheck emulation = xarch::detect_emulation();  // what `bpf-litmus run` would conclude here
  emit(xarch::format_emulation(emulation.emulated, emulation.evidence));
  std::ifstream programs(xarch::kProgramsPath);
  if (programs) {
    const std::string text{std::istreambuf_iterator<char>(programs), std::istreambuf_iterator<char>()};
    emit_litmus_programs(text);
  } else {
    for (const audit::JitCapture& capture : audit::capture_jit_images(audit::audited_primitives())) {
      emit(xarch::format_capture(capture));
    }
  }
  emit(xarch::format_end());
  if (init) {
    sync();
    reboot(RB_POWER_OFF);  // QEMU exits (-no-reboot); init must never return
  }
  return 0;
}
