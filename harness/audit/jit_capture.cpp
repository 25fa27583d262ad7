#include "audit/jit_capture.hpp"

#include <cerrno>
#include <cstring>

#include "audit/bpf_syscall.hpp"
#include "bpf-progs/probes.hpp"
#include "codegen/insn.hpp"

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

// Loads `insns` as the programs of the test harness are loaded (sleepable
// BPF_PROG_TYPE_SYSCALL), runs it once and returns its JIT image; on failure
// sets `error`.
std::vector<std::uint8_t> load_run_and_read(const std::vector<bpf_insn>& insns, std::string& error) {
  std::string reason;
  const sys::Fd prog = sys::load_syscall_program(insns, reason);
  if (prog.get() < 0) {
    error = std::string("not loaded: ") + std::strerror(errno) + ": " + reason;
    return {};
  }
  std::uint32_t retval = 0;
  if (!sys::test_run(prog.get(), retval) || retval != 0) {
    error = std::string("test run failed: ") + std::strerror(errno);
    return {};
  }
  std::vector<std::uint8_t> image;
  if (!sys::jited_image(prog.get(), image)) {
    error = std::string("reading the JIT image: ") + std::strerror(errno);
    return {};
  }
  if (image.empty()) error = "not JIT-compiled: the program runs in the interpreter (bpf_jit_enable=0?)";
  return image;
}

}  // namespace

std::vector<JitCapture> capture_jit_images(std::span<const BpfPrimitive> primitives) {
  std::vector<JitCapture> captures;
  const sys::Fd map = sys::create_array_map(8);
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
