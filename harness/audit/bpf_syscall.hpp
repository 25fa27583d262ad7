// The bpf(2) calls the JIT audit makes, issued directly (no libbpf): the one
// implementation behind jit_capture, on this machine and in the static
// cross-compiled guest runner booted under QEMU (scripts/xarch-audit), for
// whose architectures Debian 12 packages no libbpf.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bpf_litmus::audit::sys {

// An owned file descriptor; -1 when the call that made it failed.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

// A one-entry BPF_MAP_TYPE_ARRAY with values of `value_size` bytes (flags:
// BPF_F_MMAPABLE for a test's memory); -1 and errno on failure.
[[nodiscard]] Fd create_array_map(std::uint32_t value_size, std::uint32_t flags = 0);

// Loads `insns` as a sleepable BPF_PROG_TYPE_SYSCALL program, the type every
// test program runs as. On failure (-1, errno kept) `reason` receives the last
// line of the verifier's log.
[[nodiscard]] Fd load_syscall_program(std::span<const bpf_insn> insns, std::string& reason);

// BPF_PROG_TEST_RUN once; false with errno on failure, else the program's return value in `retval`.
[[nodiscard]] bool test_run(int program_fd, std::uint32_t& retval);

// The program's JIT image (jited_prog_insns); empty when it runs in the
// interpreter. False with errno when the kernel refuses the info.
[[nodiscard]] bool jited_image(int program_fd, std::vector<std::uint8_t>& image);

}  // namespace bpf_litmus::audit::sys
