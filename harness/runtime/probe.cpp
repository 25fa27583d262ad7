// Kernel feature probe: load one tiny program per construct (bpf-progs/) and
// record which ones the verifier accepts. Runs once per process.
#include <bpf/bpf.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>

#include "bpf-progs/probes.hpp"
#include "codegen/layout.hpp"
#include "codegen/uapi_compat.hpp"
#include "runtime/detail.hpp"

namespace bpf_litmus::runtime {

namespace {

// Per feature: its name and the construct that needs it, as messages say it.
struct FeatureText {
  std::string_view name;
  std::string_view construct;
};
constexpr std::array<FeatureText, kFeatureCount> kFeatureTexts = {{
    {"syscall_test_run", "sleepable syscall program"},
    {"mmapable_array", "test memory"},
    {"atomic32", "32-bit atomic read-modify-write"},
    {"atomic64", "64-bit atomic read-modify-write"},
    {"atomic_fetch32", "32-bit fetching atomic"},
    {"atomic_fetch64", "64-bit fetching atomic"},
    {"xchg32", "32-bit xchg"},
    {"xchg64", "64-bit xchg"},
    {"cmpxchg32", "32-bit cmpxchg"},
    {"cmpxchg64", "64-bit cmpxchg"},
    {"load_acquire_u8", "8-bit load-acquire"},
    {"load_acquire_u16", "16-bit load-acquire"},
    {"load_acquire_u32", "32-bit load-acquire"},
    {"load_acquire_u64", "64-bit load-acquire"},
    {"store_release_u8", "8-bit store-release"},
    {"store_release_u16", "16-bit store-release"},
    {"store_release_u32", "32-bit store-release"},
    {"store_release_u64", "64-bit store-release"},
    {"bpf_loop", "bpf_loop"},
    {"may_goto", "may_goto"},
}};
static_assert(kFeatureTexts.back().name == "may_goto", "one entry per codegen::KernelFeature");

// The BPF_ATOMIC probes: feature, width in bytes, imm.
struct AtomicProbe {
  Feature feature;
  unsigned bytes;
  std::int32_t op;
};
constexpr AtomicProbe kAtomicProbes[] = {
    {Feature::Atomic32, 4, BPF_ADD},
    {Feature::Atomic64, 8, BPF_ADD},
    {Feature::AtomicFetch32, 4, BPF_ADD | BPF_FETCH},
    {Feature::AtomicFetch64, 8, BPF_ADD | BPF_FETCH},
    {Feature::Xchg32, 4, BPF_XCHG},
    {Feature::Xchg64, 8, BPF_XCHG},
    {Feature::Cmpxchg32, 4, BPF_CMPXCHG},
    {Feature::Cmpxchg64, 8, BPF_CMPXCHG},
    {Feature::LoadAcquire8, 1, BPF_LOAD_ACQ},
    {Feature::LoadAcquire16, 2, BPF_LOAD_ACQ},
    {Feature::LoadAcquire32, 4, BPF_LOAD_ACQ},
    {Feature::LoadAcquire64, 8, BPF_LOAD_ACQ},
    {Feature::StoreRelease8, 1, BPF_STORE_REL},
    {Feature::StoreRelease16, 2, BPF_STORE_REL},
    {Feature::StoreRelease32, 4, BPF_STORE_REL},
    {Feature::StoreRelease64, 8, BPF_STORE_REL},
};

bool loads(const std::vector<bpf_insn>& insns) {
  detail::UniqueFd fd(detail::load_syscall_program(insns, "litmus_probe", nullptr));
  return fd.get() >= 0;
}

// Loads and test-runs a program; true when it returned `expected`.
bool runs_returning(const std::vector<bpf_insn>& insns, std::uint32_t expected) {
  detail::UniqueFd fd(detail::load_syscall_program(insns, "litmus_probe", nullptr));
  if (fd.get() < 0) return false;
  auto opts = detail::libbpf_opts<bpf_test_run_opts>();
  return bpf_prog_test_run_opts(fd.get(), &opts) == 0 && opts.retval == expected;
}

detail::UniqueFd create_arena_map(std::uint64_t value_bytes) {
  auto opts = detail::libbpf_opts<bpf_map_create_opts>();
  opts.map_flags = BPF_F_MMAPABLE;
  return detail::UniqueFd(bpf_map_create(BPF_MAP_TYPE_ARRAY, "litmus_probe", 4,
                                         static_cast<std::uint32_t>(value_bytes), 1, &opts));
}

bool mmapable_array_works() {
  const auto fd = create_arena_map(4096);
  if (fd.get() < 0) return false;
  void* addr = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (addr == MAP_FAILED) return false;
  munmap(addr, 4096);
  return true;
}

// Largest arena the kernel creates, to page granularity, up to kArenaProbeLimit.
std::uint64_t largest_arena_bytes() {
  constexpr std::uint64_t kPage = 4096;
  if (create_arena_map(kArenaProbeLimit).get() >= 0) return kArenaProbeLimit;
  std::uint64_t good = 0, bad = kArenaProbeLimit / kPage;  // in pages
  while (bad - good > 1) {
    const std::uint64_t mid = (good + bad) / 2;
    (create_arena_map(mid * kPage).get() >= 0 ? good : bad) = mid;
  }
  return good * kPage;
}

Features probe_kernel() {
  Features features;
  utsname uts{};
  if (uname(&uts) == 0) features.kernel_release = uts.release;

  detail::UniqueFd scratch(bpf_map_create(BPF_MAP_TYPE_ARRAY, "litmus_probe", 4, 8, 1, nullptr));
  if (scratch.get() < 0) {
    features.probe_error = std::string("cannot create a BPF map: ") + std::strerror(errno);
    return features;
  }
  auto set = [&features](Feature f, bool present) { features.present[static_cast<std::size_t>(f)] = present; };
  set(Feature::SyscallTestRun, runs_returning(bpf_progs::return_value_program(42), 42));
  set(Feature::MmapableArray, mmapable_array_works());
  for (const AtomicProbe& probe : kAtomicProbes) {
    set(probe.feature, loads(bpf_progs::atomic_program(scratch.get(), probe.bytes, probe.op)));
  }
  set(Feature::BpfLoop, runs_returning(bpf_progs::loop_program(), 4));
  set(Feature::MayGoto, loads(bpf_progs::may_goto_program()));
  if (features.has(Feature::MmapableArray)) features.max_arena_bytes = largest_arena_bytes();
  if (!features.has(Feature::SyscallTestRun)) {
    features.probe_error = "the kernel does not load or test-run sleepable BPF_PROG_TYPE_SYSCALL programs";
  }
  return features;
}

}  // namespace

std::string_view feature_name(Feature feature) {
  const auto index = static_cast<std::size_t>(feature);
  return index < kFeatureTexts.size() ? kFeatureTexts[index].name : "unknown";
}

codegen::LoopStrategy preferred_loop(const Features& features) {
  if (!features.has(Feature::MayGoto) && features.has(Feature::BpfLoop)) return codegen::LoopStrategy::BpfLoop;
  return codegen::LoopStrategy::MayGoto;
}

std::uint64_t arena_budget(const Features& features) {
  const std::uint64_t guards = 2 * std::uint64_t{codegen::kGuardBytes};
  if (features.max_arena_bytes >= kArenaProbeLimit || features.max_arena_bytes <= guards) {
    return codegen::kDefaultArenaBudget;  // as much as the probe tries, or no answer: loading will tell
  }
  return std::min(codegen::kDefaultArenaBudget, features.max_arena_bytes - guards);
}

const Features& probe_features() {
  static const Features features = [] {
    Features probed;
    try {
      probed = probe_kernel();
    } catch (const std::exception& e) {  // allocation failure: report, do not throw
      probed = Features{};
      probed.probe_error = std::string("probing kernel features: ") + e.what();
    }
    if (const char* list = std::getenv("BPF_LITMUS_ASSUME_MISSING")) detail::apply_assumed_missing(probed, list);
    return probed;
  }();
  return features;
}

namespace detail {

std::string_view feature_construct(Feature feature) {
  const auto index = static_cast<std::size_t>(feature);
  return index < kFeatureTexts.size() ? kFeatureTexts[index].construct : "unknown construct";
}

void apply_assumed_missing(Features& features, std::string_view list) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) continue;
    bool known = false;
    for (std::size_t i = 0; i < kFeatureCount; ++i) {
      if (kFeatureTexts[i].name == name) {
        features.present[i] = false;
        known = true;
      }
    }
    (known ? features.assumed_missing : features.unknown_names).emplace_back(name);
  }
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) close(fd_);
}

int UniqueFd::release() { return std::exchange(fd_, -1); }

}  // namespace detail
}  // namespace bpf_litmus::runtime
