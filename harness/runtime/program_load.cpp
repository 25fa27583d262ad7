// Loading one raw program as BPF_PROG_TYPE_SYSCALL (sleepable). Programs
// with subprograms (bpf_loop callbacks, BPF-to-BPF calls) need BTF func_info:
// it is made here from the instructions, so callers hand over bytecode only.
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>

#include "runtime/detail.hpp"

namespace bpf_litmus::runtime::detail {

namespace {

struct BtfDeleter {
  void operator()(btf* object) const { btf__free(object); }
};

// First instruction of every subprogram: 0 and each call or callback target.
std::vector<std::uint32_t> subprogram_starts(const std::vector<bpf_insn>& insns) {
  std::vector<std::uint32_t> starts{0};
  const auto size = static_cast<std::int64_t>(insns.size());
  for (std::int64_t i = 0; i < size; ++i) {
    const bpf_insn& insn = insns[static_cast<std::size_t>(i)];
    const bool call = insn.code == (BPF_JMP | BPF_CALL) && insn.src_reg == BPF_PSEUDO_CALL;
    const bool callback = insn.code == (BPF_LD | BPF_DW | BPF_IMM) && insn.src_reg == BPF_PSEUDO_FUNC;
    const std::int64_t target = i + insn.imm + 1;
    if ((call || callback) && target > 0 && target < size) starts.push_back(static_cast<std::uint32_t>(target));
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  return starts;
}

// BTF with one static `int f(void)` per subprogram and a line record at
// each of line_starts (and each subprogram start) reading "insn N", N the
// instruction's index as given: the verifier's rewriting keeps the text, so
// jited_line_offsets maps native code back to it. Loaded into the kernel;
// fills `funcs` and `lines`. Null when the kernel takes no BTF.
std::unique_ptr<btf, BtfDeleter> program_btf(const std::vector<std::uint32_t>& starts,
                                              std::span<const std::uint32_t> line_starts,
                                              std::vector<bpf_func_info>& funcs, std::vector<bpf_line_info>& lines) {
  std::unique_ptr<btf, BtfDeleter> object(btf__new_empty());
  if (!object) return nullptr;
  const int int_type = btf__add_int(object.get(), "int", 4, BTF_INT_SIGNED);
  const int proto = btf__add_func_proto(object.get(), int_type);
  if (int_type < 0 || proto < 0) return nullptr;
  for (std::uint32_t start : starts) {
    const std::string name = "sub_" + std::to_string(start);
    const int func = btf__add_func(object.get(), name.c_str(), BTF_FUNC_STATIC, proto);
    if (func < 0) return nullptr;
    funcs.push_back({start, static_cast<std::uint32_t>(func)});
  }
  if (!line_starts.empty()) {
    std::vector<std::uint32_t> at(line_starts.begin(), line_starts.end());
    at.insert(at.end(), starts.begin(), starts.end());
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    const int file = btf__add_str(object.get(), "litmus");
    if (file < 0) return nullptr;
    for (std::uint32_t insn : at) {
      const int text = btf__add_str(object.get(), ("insn " + std::to_string(insn)).c_str());
      if (text < 0) return nullptr;
      lines.push_back({insn, static_cast<std::uint32_t>(file), static_cast<std::uint32_t>(text), insn << 10});
    }
  }
  if (btf__load_into_kernel(object.get()) != 0) return nullptr;
  return object;
}

}  // namespace

int load_syscall_program(const std::vector<bpf_insn>& insns, const char* name, std::string* log, bool log_always,
                         std::span<const std::uint32_t> line_starts) {
  auto opts = libbpf_opts<bpf_prog_load_opts>();
  opts.prog_flags = BPF_F_SLEEPABLE;
  std::vector<bpf_func_info> records;
  std::vector<bpf_line_info> lines;
  std::unique_ptr<btf, BtfDeleter> functions;
  if (const auto starts = subprogram_starts(insns); starts.size() > 1 || !line_starts.empty()) {
    functions = program_btf(starts, line_starts, records, lines);
    if (functions) {
      opts.prog_btf_fd = static_cast<std::uint32_t>(btf__fd(functions.get()));
      opts.func_info = records.data();
      opts.func_info_cnt = static_cast<std::uint32_t>(records.size());
      opts.func_info_rec_size = sizeof(bpf_func_info);
      opts.line_info = lines.empty() ? nullptr : lines.data();
      opts.line_info_cnt = static_cast<std::uint32_t>(lines.size());
      opts.line_info_rec_size = sizeof(bpf_line_info);
    }
  }
  const auto load = [&] { return bpf_prog_load(BPF_PROG_TYPE_SYSCALL, name, "GPL", insns.data(), insns.size(), &opts); };
  int fd = -1;
  int first_errno = 0;
  if (log == nullptr || !log_always) {
    fd = load();
    if (fd >= 0 || log == nullptr) return fd >= 0 ? fd : -errno;
    first_errno = errno;
  }
  // Load (again) with the log: logging slows the verifier down.
  std::vector<char> buffer(16u << 20);
  opts.log_level = log_always ? 2 : 1;  // an accepted program's level-1 log is only its statistics
  opts.log_size = static_cast<std::uint32_t>(buffer.size());
  opts.log_buf = buffer.data();
  fd = load();
  if (fd < 0 && log_always && errno == ENOSPC) {  // the log outgrew the buffer: keep the statistics
    opts.log_level = 4;
    fd = load();
  }
  if (fd < 0 && first_errno == 0) first_errno = errno;
  if (fd >= 0 && !log_always) return fd;  // the first failure was transient: the program is in
  log->assign(buffer.data(), strnlen(buffer.data(), buffer.size()));
  return fd >= 0 ? fd : -first_errno;
}

}  // namespace bpf_litmus::runtime::detail
