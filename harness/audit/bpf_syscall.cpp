#include "audit/bpf_syscall.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bpf_litmus::audit::sys {
namespace {

int bpf(int command, bpf_attr& attr) {
  return static_cast<int>(syscall(__NR_bpf, command, &attr, sizeof attr));
}

std::uint64_t pointer(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// The last line of a verifier log that is not its statistics ("processed N
// insns ..."): the reason it gives.
std::string last_line(const std::vector<char>& log) {
  std::string text(log.data(), strnlen(log.data(), log.size()));
  std::string reason;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    if (!line.empty() && !line.starts_with("processed ")) reason = line;
    start = end + 1;
  }
  return reason;
}

int load(std::span<const bpf_insn> insns, std::vector<char>* log) {
  static constexpr char kLicense[] = "GPL";
  bpf_attr attr{};
  attr.prog_type = BPF_PROG_TYPE_SYSCALL;
  attr.prog_flags = BPF_F_SLEEPABLE;
  attr.insns = pointer(insns.data());
  attr.insn_cnt = static_cast<std::uint32_t>(insns.size());
  attr.license = pointer(kLicense);
  std::strncpy(attr.prog_name, "litmus_audit", sizeof attr.prog_name - 1);
  if (log != nullptr) {
    attr.log_level = 1;
    attr.log_buf = pointer(log->data());
    attr.log_size = static_cast<std::uint32_t>(log->size());
  }
  return bpf(BPF_PROG_LOAD, attr);
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

Fd create_array_map(std::uint32_t value_size, std::uint32_t flags) {
  bpf_attr attr{};
  attr.map_flags = flags;
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = value_size;
  attr.max_entries = 1;
  std::strncpy(attr.map_name, "litmus_audit", sizeof attr.map_name - 1);
  return Fd(bpf(BPF_MAP_CREATE, attr));
}

Fd load_syscall_program(std::span<const bpf_insn> insns, std::string& reason) {
  const int fd = load(insns, nullptr);
  if (fd >= 0) return Fd(fd);
  const int err = errno;
  std::vector<char> log(64 * 1024);  // load again, for the verifier's reason
  const Fd again(load(insns, &log));
  reason = last_line(log);
  errno = err;
  return Fd(-1);
}

bool test_run(int program_fd, std::uint32_t& retval) {
  bpf_attr attr{};
  attr.test.prog_fd = static_cast<std::uint32_t>(program_fd);
  if (bpf(BPF_PROG_TEST_RUN, attr) != 0) return false;
  retval = attr.test.retval;
  return true;
}

bool jited_image(int program_fd, std::vector<std::uint8_t>& image) {
  // First ask for the length, then for the bytes.
  bpf_prog_info info{};
  bpf_attr attr{};
  attr.info.bpf_fd = static_cast<std::uint32_t>(program_fd);
  attr.info.info_len = sizeof info;
  attr.info.info = pointer(&info);
  if (bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0) return false;
  image.assign(info.jited_prog_len, 0);
  if (image.empty()) return true;
  const std::uint32_t length = info.jited_prog_len;
  info = {};
  info.jited_prog_len = length;
  info.jited_prog_insns = pointer(image.data());
  attr.info.info_len = sizeof info;
  if (bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0) return false;
  if (info.jited_prog_len < length) image.resize(info.jited_prog_len);
  return true;
}

}  // namespace bpf_litmus::audit::sys
