// Test support: loads a CompiledTest into the kernel with raw libbpf calls
// and runs launches of it, one pinned thread per program. A minimal stand-in
// for the runtime stage, so that codegen's tests check that the verifier
// accepts its programs and that they compute what they should.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/compiled_test.hpp"

namespace bpf_litmus::codegen::testing {

// Empty when this process can load BPF programs; otherwise why not.
std::string bpf_unavailable_reason();

class KernelTest {
 public:
  // Creates the arena and loads every program; ok() says whether it worked,
  // error() holds the verifier log of a rejected program.
  explicit KernelTest(const CompiledTest& test);
  ~KernelTest();
  KernelTest(const KernelTest&) = delete;
  KernelTest& operator=(const KernelTest&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  struct Launch {
    std::vector<std::uint64_t> completed;  // per thread: the program's return value
    double seconds = 0;                    // from release to the last return
    std::uint64_t unsynced = 0;            // summed over threads
    bool aborted = false;
  };
  struct LaunchOptions {
    std::uint64_t spin_limit = 1ull << 28;  // generous: threads start up to milliseconds apart
    bool give_up_goes_on = false;  // give_up_mode 1
    std::uint64_t slot_ns = 0;     // Timebase
    std::vector<int> absent;       // threads whose program is not run
    bool abort_before = false;     // the control block's abort already set
  };
  // Prepares instances [0, min(n, capacity)) as the runtime would (with the
  // permutation reversing instance order) and runs
  // every program once, thread t pinned to CPU t mod CPUs, all released together.
  Launch launch(std::uint64_t n, const LaunchOptions& options);

  // Raw u64 result word `index` of thread t for instance i; location bytes.
  std::uint64_t result(int thread, std::uint32_t index, std::uint64_t instance) const;
  std::uint64_t location(std::uint32_t offset, unsigned bytes, std::uint64_t instance) const;
  ControlBlock& control() const;
  // Whose memory instance i uses: i, or a reversed permutation when the layout permutes.
  std::uint64_t memory_index(std::uint64_t instance) const;

 private:
  const CompiledTest& test_;
  int map_fd_ = -1;
  std::vector<int> prog_fds_;
  std::uint8_t* value_ = nullptr;
  std::string error_;
};

}  // namespace bpf_litmus::codegen::testing
