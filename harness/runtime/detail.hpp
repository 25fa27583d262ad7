// Runtime internals shared by its source files and its tests; not part of
// the stage's API (include runtime/runtime.hpp for that).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/compiled_test.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::runtime::detail {

// A zeroed libbpf options struct with its size set: LIBBPF_OPTS without the
// GNU statement expression that -Wpedantic rejects in C++.
template <typename Opts>
Opts libbpf_opts() {
  Opts opts;
  std::memset(&opts, 0, sizeof opts);
  opts.sz = sizeof opts;
  return opts;
}

// An owned file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  int release();

 private:
  int fd_ = -1;
};

// The arena map and its user-space mapping. Shared with runner threads so
// that a thread left in the kernel never touches unmapped memory.
struct ArenaMapping {
  UniqueFd map_fd;
  void* addr = nullptr;
  std::size_t length = 0;
  std::uint32_t guard_bytes = 0;

  ArenaMapping() = default;
  ArenaMapping(const ArenaMapping&) = delete;
  ArenaMapping& operator=(const ArenaMapping&) = delete;
  ~ArenaMapping();
  std::uint8_t* arena() const { return static_cast<std::uint8_t*>(addr) + guard_bytes; }
  codegen::ControlBlock* control() const { return reinterpret_cast<codegen::ControlBlock*>(arena()); }
};

// Where instance i's value of one observed slot is: arena + offset + i * stride.
struct SlotReader {
  std::uint64_t offset = 0;
  std::uint64_t stride = 0;
  std::uint8_t bytes = 8;
};

// ---- probe.cpp
// "16-bit load-acquire", "bpf_loop", ...: what needs the feature.
std::string_view feature_construct(Feature feature);
// Marks the features named in `list` (comma separated) missing.
void apply_assumed_missing(Features& features, std::string_view list);

// ---- program_load.cpp
// Loads a BPF_PROG_TYPE_SYSCALL sleepable program; fd or -errno. With a
// non-null log the verifier's level-1 log is written to it on failure.
int load_syscall_program(const std::vector<bpf_insn>& insns, const char* name, std::string* log);

// ---- loader.cpp
// The first feature the programs need that `features` lacks, as an Unsupported error.
std::optional<Error> check_supported(const codegen::CompiledTest& test, const Features& features);
// Where the layout contradicts itself or the observed slots fall outside it.
std::optional<Error> check_layout(const codegen::CompiledTest& test);

// ---- verifier_log.cpp
struct VerifierExcerpt {
  std::string text;       // the failing instruction, a few lines before it, the error
  int failing_insn = -1;  // instruction index the verifier stopped at, if it said
};
VerifierExcerpt verifier_excerpt(std::string_view log, int lines_before = 4);

}  // namespace bpf_litmus::runtime::detail

namespace bpf_litmus::runtime {

struct LoadedTest::Impl {
  std::string name;
  codegen::SyncMode sync = codegen::SyncMode::Spin;
  codegen::MemoryLayout layout;
  std::shared_ptr<detail::ArenaMapping> arena;
  std::vector<detail::UniqueFd> programs;  // by thread
  std::vector<detail::SlotReader> observed;
  // Alive while a worker abandoned in the kernel by an earlier run still runs
  // one of these programs over this arena: no new run until it is back.
  std::weak_ptr<void> abandoned_workers;
};

}  // namespace bpf_litmus::runtime
