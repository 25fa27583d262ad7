// Runtime internals shared by its source files and its tests; not part of
// the stage's API (include runtime/runtime.hpp for that).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
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

// Where instance i's value of one observed slot is: a result word at
// arena + offset + i * stride, or memory at offset within instance i's memory.
struct SlotReader {
  bool in_instance = false;
  std::uint64_t offset = 0;
  std::uint64_t stride = 0;  // result words only
  std::uint8_t bytes = 8;
};

// ---- probe.cpp
// "16-bit load-acquire", "bpf_loop", ...: what needs the feature.
std::string_view feature_construct(Feature feature);
// Marks the features named in `list` (comma separated) missing.
void apply_assumed_missing(Features& features, std::string_view list);

// ---- program_load.cpp
// Loads a BPF_PROG_TYPE_SYSCALL sleepable program; fd or -errno. With a
// non-null log the verifier's level-1 log is written to it on failure; with
// log_always its full level-2 trace, also on success (only its statistics
// when the trace outgrows 16 MiB).
// With line_starts, the program carries BTF line info at those instructions
// (see jited_line_offsets).
int load_syscall_program(const std::vector<bpf_insn>& insns, const char* name, std::string* log,
                         bool log_always = false, std::span<const std::uint32_t> line_starts = {});

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
  std::vector<std::string> verifier_logs;  // by thread, with LoadOptions::keep_verifier_log
  std::vector<detail::SlotReader> observed;
  // Alive while a worker abandoned in the kernel by an earlier run still runs
  // one of these programs over this arena: no new run until it is back.
  std::weak_ptr<void> abandoned_workers;
};

}  // namespace bpf_litmus::runtime

namespace bpf_litmus::runtime::detail {

// Instance memory as the runtime resets and reads it between launches, with
// everything the layout fixes computed once.
class InstanceAccess {
 public:
  explicit InstanceAccess(const LoadedTest::Impl& test);

  // Instance i's memory index: i, or perm[i] when instances are permuted.
  std::uint64_t memory_index(std::uint64_t i) const {
    return permutation_ != nullptr ? permutation_[i] & index_mask_ : i;
  }
  // Writes instance i's initial memory (the image, address words patched).
  // Inline, as read(): both run once per instance between launches.
  void reset(std::uint64_t i) const {
    const std::uint64_t base = instances_offset_ + memory_index(i) * stride_;
    auto* words = reinterpret_cast<std::uint64_t*>(arena_ + base);
    for (std::size_t w = 0; w < image_words_.size(); ++w) words[w] = image_words_[w];
    for (const auto& address : address_words_) {
      words[address.word] = (image_words_[address.word] & ~address.mask) | ((base + address.target) & address.mask);
    }
  }
  // Instance i's observed values; an address inside its own memory is
  // rebased to instance 0's (the report decodes against instance 0).
  void read(std::uint64_t i, std::uint64_t* key) const {
    const std::uint64_t rebase = memory_index(i) * stride_;
    const std::uint64_t base = instances_offset_ + rebase;
    for (std::size_t k = 0; k < readers_.size(); ++k) {
      const SlotReader& reader = readers_[k];
      const std::uint8_t* at = arena_ + (reader.in_instance ? base + reader.offset : reader.offset + i * reader.stride);
      std::uint64_t value = 0;
      switch (reader.bytes) {
        case 8: std::memcpy(&value, at, 8); break;
        case 4: std::memcpy(&value, at, 4); break;
        case 2: std::memcpy(&value, at, 2); break;
        default: std::memcpy(&value, at, 1); break;
      }
      key[k] = value - base < stride_ ? value - rebase : value;
    }
  }
  std::size_t key_words() const { return readers_.size(); }

 private:
  struct AddressWord {
    std::size_t word = 0;        // index in image_words_
    std::uint64_t target = 0;    // offset of the addressed location in the instance
    std::uint64_t mask = 0;      // the word's width
  };
  std::uint8_t* arena_ = nullptr;
  std::uint64_t instances_offset_ = 0;
  std::uint64_t stride_ = 0;
  const std::uint32_t* permutation_ = nullptr;
  std::uint64_t index_mask_ = 0;
  std::vector<std::uint64_t> image_words_;
  std::vector<AddressWord> address_words_;
  std::vector<SlotReader> readers_;
};

// Counts instances [begin, end) ∩ [0, collect) of the last launch into
// `histogram`, then resets those in [0, reset) for the next: one pass, so
// that each instance is read before it is overwritten.
void collect_and_reset(const InstanceAccess& access, std::uint64_t begin, std::uint64_t end, std::uint64_t collect,
                       std::uint64_t reset, Histogram& histogram);

// One launch's hammering time from its threads' [start, end] times (ns):
// from the first start to the last end, and the part of it in which every
// thread was running its share at once (0 when one finished before another
// started): with no sync, threads that drift apart test little.
struct LaunchSpan {
  std::uint64_t first_start = 0;
  std::uint64_t last_end = 0;
  std::uint64_t together_ns = 0;
};
struct ThreadInterval {
  std::uint64_t start = 0, end = 0;
};
LaunchSpan launch_span(std::span<const ThreadInterval> threads);

// In place of each thread's program, for the benchmark's native mirrors:
// runs thread `thread`'s share of a launch in user space on its pinned CPU
// over the same arena and returns the instances it completed.
using NativeThread = std::function<std::uint64_t(std::size_t thread)>;
// run() with `native` (when non-empty) instead of BPF_PROG_TEST_RUN.
RunResult run_with(LoadedTest& test, const RunOptions& options, const NativeThread& native);

}  // namespace bpf_litmus::runtime::detail
