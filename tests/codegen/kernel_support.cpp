#include "kernel_support.hpp"

#include <bpf/bpf.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "runtime/detail.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

std::size_t mapped_bytes(const MemoryLayout& layout) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return (layout.map_value_size + page - 1) / page * page;
}

std::uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

std::string bpf_unavailable_reason() {
  if (geteuid() != 0) return "needs root to load BPF programs";
  const int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe", 4, 8, 1, nullptr);
  if (fd < 0) return std::string("cannot create a BPF map: ") + std::strerror(errno);
  close(fd);
  return {};
}

KernelTest::KernelTest(const CompiledTest& test) : test_(test) {
  LIBBPF_OPTS(bpf_map_create_opts, map_opts, .map_flags = BPF_F_MMAPABLE);
  map_fd_ = bpf_map_create(BPF_MAP_TYPE_ARRAY, "arena", 4, static_cast<std::uint32_t>(test.layout.map_value_size), 1,
                           &map_opts);
  if (map_fd_ < 0) {
    error_ = std::string("arena map: ") + std::strerror(errno);
    return;
  }
  void* mapped = mmap(nullptr, mapped_bytes(test.layout), PROT_READ | PROT_WRITE, MAP_SHARED, map_fd_, 0);
  if (mapped == MAP_FAILED) {
    error_ = std::string("mmap of the arena: ") + std::strerror(errno);
    return;
  }
  value_ = static_cast<std::uint8_t*>(mapped);
  for (const ThreadProgram& program : test.programs) {
    std::vector<bpf_insn> insns = program.insns;
    for (std::size_t index : program.map_fd_relocations) insns[index].imm = map_fd_;
    // The runtime's loader: it adds the BTF func_info that bpf_loop callbacks need.
    std::string log;
    const int fd = runtime::detail::load_syscall_program(insns, "litmus", &log);
    if (fd < 0) {
      error_ = "P" + std::to_string(program.thread) + " rejected (" + std::strerror(-fd) + "):\n" + log;
      return;
    }
    prog_fds_.push_back(fd);
  }
}

KernelTest::~KernelTest() {
  for (int fd : prog_fds_) close(fd);
  if (value_ != nullptr) munmap(value_, mapped_bytes(test_.layout));
  if (map_fd_ >= 0) close(map_fd_);
}

std::uint64_t KernelTest::memory_index(std::uint64_t instance) const {
  const MemoryLayout& l = test_.layout;
  if (l.permutation_offset == 0) return instance;
  std::uint32_t index = 0;
  std::memcpy(&index, value_ + l.guard_bytes + l.permutation_offset + instance * sizeof index, sizeof index);
  return index;
}

ControlBlock& KernelTest::control() const {
  return *reinterpret_cast<ControlBlock*>(value_ + test_.layout.guard_bytes);
}

std::uint64_t KernelTest::result(int thread, std::uint32_t index, std::uint64_t instance) const {
  const MemoryLayout& l = test_.layout;
  std::uint64_t value = 0;
  std::memcpy(&value,
              value_ + l.guard_bytes + l.results_offset + static_cast<std::uint64_t>(thread) * l.results_thread_stride +
                  (instance * l.results_per_instance + index) * 8,
              8);
  return value;
}

std::uint64_t KernelTest::location(std::uint32_t offset, unsigned bytes, std::uint64_t instance) const {
  const MemoryLayout& l = test_.layout;
  std::uint64_t value = 0;
  std::memcpy(&value, value_ + l.guard_bytes + l.instances_offset + memory_index(instance) * l.instance_stride + offset,
              bytes);
  return value;
}

KernelTest::Launch KernelTest::launch(std::uint64_t n, const LaunchOptions& options) {
  const MemoryLayout& l = test_.layout;
  n = std::min<std::uint64_t>(n, l.capacity);
  std::uint8_t* arena = value_ + l.guard_bytes;
  ControlBlock& c = control();
  c = ControlBlock{};
  c.n_instances.value = n;
  c.spin_limit.value = options.spin_limit;
  c.give_up_mode.value = options.give_up_goes_on ? 1 : 0;
  c.slot_ns.value = options.slot_ns;
  c.abort.value = options.abort_before ? 1 : 0;
  std::memset(arena + l.barriers_offset, 0, n * l.barrier_stride);
  if (l.permutation_offset != 0) {
    // Instance i uses the memory of instance capacity - 1 - i: far from its neighbours'.
    for (std::uint32_t i = 0; i < l.capacity; ++i) {
      const std::uint32_t reversed = l.capacity - 1 - i;
      std::memcpy(arena + l.permutation_offset + i * sizeof reversed, &reversed, sizeof reversed);
    }
  }
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t base = l.instances_offset + memory_index(i) * l.instance_stride;
    if (!l.instance_image.empty()) std::memcpy(arena + base, l.instance_image.data(), l.instance_image.size());
    for (const AddressInit& init : l.address_inits) {
      const std::uint64_t address = base + init.target_offset;
      std::memcpy(arena + base + init.offset, &address, static_cast<std::size_t>(init.width));
    }
  }
  for (std::size_t t = 0; t < prog_fds_.size(); ++t) {
    std::memset(arena + l.results_offset + t * l.results_thread_stride, 0, n * l.results_per_instance * 8);
  }

  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  Launch result;
  result.completed.assign(prog_fds_.size(), 0);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < prog_fds_.size(); ++t) {
    if (std::find(options.absent.begin(), options.absent.end(), static_cast<int>(t)) != options.absent.end()) continue;
    threads.emplace_back([&, t] {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(static_cast<int>(t % static_cast<std::size_t>(cpus)), &set);
      sched_setaffinity(0, sizeof set, &set);
      while (!go.load()) std::this_thread::yield();
      LIBBPF_OPTS(bpf_test_run_opts, run);
      if (bpf_prog_test_run_opts(prog_fds_[t], &run) == 0) result.completed[t] = run.retval;
    });
  }
  const std::uint64_t t0 = monotonic_ns() + 2'000'000;
  for (auto& line : c.t0_ns) line.value = t0;
  const std::uint64_t start = monotonic_ns();
  go.store(true);
  for (auto& thread : threads) thread.join();
  result.seconds = static_cast<double>(monotonic_ns() - start) * 1e-9;
  for (std::size_t t = 0; t < prog_fds_.size(); ++t) result.unsynced += c.unsynced[t].value;
  result.aborted = c.abort.value != 0;
  return result;
}

}  // namespace bpf_litmus::codegen::testing
