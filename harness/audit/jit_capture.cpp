#include "audit/jit_capture.hpp"

#include <bpf/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "bpf-progs/probes.hpp"
#include "codegen/insn.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::audit {
namespace {

namespace in = codegen::insn;

// The instruction for `primitive` in bpf_progs::single_access_program's
// frame: r1 holds the address, r2 the value (and receives a load), r0 = 0.
bpf_insn primitive_insn(BpfPrimitive p) {
  switch (p.op) {
    case BpfOp::Load: return in::load(p.bytes, BPF_REG_2, BPF_REG_1, 0);
    case BpfOp::Store: return in::store_reg(p.bytes, BPF_REG_1, 0, BPF_REG_2);
    case BpfOp::LoadAcquire: return in::load_acquire(p.bytes, BPF_REG_2, BPF_REG_1, 0);
    case BpfOp::StoreRelease: return in::store_release(p.bytes, BPF_REG_1, 0, BPF_REG_2);
    case BpfOp::Xchg: return in::atomic(p.bytes, BPF_XCHG, BPF_REG_1, BPF_REG_2, 0);
    case BpfOp::Cmpxchg: return in::atomic(p.bytes, BPF_CMPXCHG, BPF_REG_1, BPF_REG_2, 0);
    case BpfOp::Add:
    case BpfOp::And:
    case BpfOp::Or:
    case BpfOp::Xor: break;
  }
  const std::int32_t op = p.op == BpfOp::Add ? BPF_ADD : p.op == BpfOp::And ? BPF_AND : p.op == BpfOp::Or ? BPF_OR : BPF_XOR;
  return in::atomic(p.bytes, p.fetch ? op | BPF_FETCH : op, BPF_REG_1, BPF_REG_2, 0);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The last non-empty line of a verifier log: the reason it gives.
std::string last_line(const std::vector<char>& log) {
  std::string text(log.data(), strnlen(log.data(), log.size()));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const auto newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// Loads `insns` as the programs of the test harness are loaded (sleepable
// BPF_PROG_TYPE_SYSCALL), runs it once and returns its JIT image; on failure
// sets `error`.
std::vector<std::uint8_t> load_run_and_read(const std::vector<bpf_insn>& insns, std::string& error) {
  bpf_prog_load_opts load_opts{};
  load_opts.sz = sizeof load_opts;
  load_opts.prog_flags = BPF_F_SLEEPABLE;
  Fd prog(bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "litmus_audit", "GPL", insns.data(), insns.size(), &load_opts));
  if (prog.get() < 0) {
    const int err = errno;
    std::vector<char> log(64 * 1024);  // load again, for the verifier's reason
    load_opts.log_level = 1;
    load_opts.log_size = static_cast<std::uint32_t>(log.size());
    load_opts.log_buf = log.data();
    const Fd again(bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "litmus_audit", "GPL", insns.data(), insns.size(), &load_opts));
    error = std::string("not loaded: ") + std::strerror(err) + ": " + last_line(log);
    return {};
  }
  bpf_test_run_opts run_opts{};
  run_opts.sz = sizeof run_opts;
  if (bpf_prog_test_run_opts(prog.get(), &run_opts) != 0 || run_opts.retval != 0) {
    error = std::string("test run failed: ") + std::strerror(errno);
    return {};
  }
  auto image = runtime::jited_image(prog.get());
  if (!image) {
    error = image.error().message;
    return {};
  }
  if (image->empty()) error = "not JIT-compiled: the program runs in the interpreter (bpf_jit_enable=0?)";
  return std::move(*image);
}

}  // namespace

std::vector<JitCapture> capture_jit_images(std::span<const BpfPrimitive> primitives) {
  std::vector<JitCapture> captures;
  const Fd map(bpf_map_create(BPF_MAP_TYPE_ARRAY, "litmus_audit", 4, 8, 1, nullptr));
  std::string frame_error = map.get() < 0 ? std::string("cannot create a BPF map: ") + std::strerror(errno) : "";
  std::vector<std::uint8_t> frame;  // the program without any primitive: the same for all
  if (frame_error.empty()) frame = load_run_and_read(bpf_progs::single_access_program(map.get(), {}), frame_error);
  for (const BpfPrimitive& primitive : primitives) {
    JitCapture& capture = captures.emplace_back();
    capture.primitive = primitive;
    capture.error = frame_error;
    if (!capture.error.empty()) continue;
    const bpf_insn access = primitive_insn(primitive);
    capture.with_primitive = load_run_and_read(bpf_progs::single_access_program(map.get(), std::span(&access, 1)),
                                               capture.error);
    capture.without_primitive = frame;
  }
  return captures;
}

}  // namespace bpf_litmus::audit
