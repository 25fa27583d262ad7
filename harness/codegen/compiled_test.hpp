// What codegen hands to the runtime: one BPF program per test thread, the
// layout of the memory they share, and where each observed value ends up.
//
// The runtime needs nothing else to load, run and collect a test; it never
// looks at the litmus AST. The report stage uses the same layout to turn raw
// observed values back into named final states.
//
// Protocol of one launch (see docs/codegen.md):
//  - Before it, the runtime writes the ControlBlock, zeroes the barrier words
//    and result records of instances [0, n), and copies instance_image into
//    each instance with address_inits applied.
//  - Each program is run once per launch (BPF_PROG_TEST_RUN on its thread's
//    CPU) and returns the number of instances it completed (<= n_instances,
//    which it clamps to capacity).
//
// Changes since the skeleton: KernelFeature and CompiledTest::required_features
// (the kernel features the programs use); ThreadProgram::harness_blocks
// (names of harness code for listings); MemoryLayout::thread_state_offset
// (the programs' own loop state, between control block and barriers);
// CodegenOptions documents its values. Each program loops over the instances
// with may_goto (one function) or, on kernels without it, bpf_loop (an
// instance callback; see LoopStrategy). Throughput options: instance stride
// and permutation (MemoryLayout::permutation_offset); per-thread timebase
// start (ControlBlock::t0_ns); the spin barrier's words are never reset
// between complete launches (each instance's word only grows by the thread
// count; see SyncMode::Spin).
#pragma once

#include <linux/bpf.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace bpf_litmus::codegen {

// How the threads of one instance are brought to start together.
enum class SyncMode : std::uint8_t {
  None,      // no synchronisation: each thread runs through its instances
  // Per-instance counter barrier, bounded spin (litmus7's userfence): each
  // thread fetch-adds 1 to instance i's word and waits until it reaches the
  // next multiple of the thread count above the value it fetched. A complete
  // launch leaves every word a multiple of the thread count, so the runtime
  // only zeroes the words of instances a short launch left half-arrived.
  Spin,
  Timebase,  // instance i starts at t0 + i * slot_ns on the shared clock
};

// Where each location of an instance lives.
enum class LocationLayout : std::uint8_t {
  SeparateLines,  // every location on its own cache line
  SharedLine,     // all locations of an instance packed into one line
};

// Arena budget when the capacity is chosen (CodegenOptions::capacity 0):
// SB gets 2^18 to 2^19 instances, a launch of 3 to 100 ms.
inline constexpr std::uint64_t kDefaultArenaBudget = 64ull << 20;

// How a program goes round its instances.
enum class LoopStrategy : std::uint8_t {
  MayGoto,  // one function, a backward jump guarded by may_goto (Linux 6.9)
  BpfLoop,  // bpf_loop over an instance callback (Linux 5.17), waits through bpf_loop too
};
// MayGoto: instances per round of the loop, that is per may_goto (whose
// x86-64 JIT code stores its budget to the stack) and per abort check; each
// instance still checks the launch's limit. Several without sync, where that
// store per instance costs rate; one with a sync, whose rate the sync sets
// and where eight copies of the wait cut SB+pos's weak outcomes with
// timebase from 1.4-1.9 M/s to 0.2-0.3 M/s (separate lines, measured A/B).
constexpr int instances_per_may_goto(SyncMode sync) { return sync == SyncMode::None ? 8 : 1; }

struct CodegenOptions {
  SyncMode sync = SyncMode::Spin;
  LocationLayout layout = LocationLayout::SeparateLines;
  // Instances the arena holds, rounded up to a power of two; the arena must
  // stay within 512 MiB (the verifier's bound on variable offsets). 0: the
  // largest power of two whose arena fits in arena_budget (fewer, longer
  // launches: each launch costs wake-ups and, on a busy machine, the CPU
  // handed to other tasks when a long in-kernel run returns).
  std::uint32_t capacity = 0;
  std::uint64_t arena_budget = kDefaultArenaBudget;
  LoopStrategy loop = LoopStrategy::MayGoto;
  // Bytes from one instance's memory to the next (litmus7's -st in spirit):
  // 0 is the smallest the layout needs; otherwise a multiple of 64 at least that.
  std::uint32_t instance_stride = 0;
  // Instance i uses the memory of instance perm[i], from a table the runtime
  // fills with a random permutation (litmus7's -mem indirect in spirit):
  // neighbouring instances no longer touch neighbouring lines.
  bool permute_instances = false;
};
// Twice as many one-line instances would fill the 512 MiB arena on their own.
inline constexpr std::uint32_t kMaxCapacity = 1u << 22;

// Control block at arena offset 0, written by the runtime before a launch and
// read (and partly written) by the programs. Each field sits on its own cache
// line so that the hot loop never shares a line with runtime writes.
struct alignas(64) ControlLine {
  std::uint64_t value = 0;
};
inline constexpr int kMaxThreads = 32;
// 128, not 64: adjacent-line prefetchers pull 64-byte lines in 128-byte
// pairs, and a thread's loop state is written every instance (measured: SB
// with timebase ran about 1.6x slower with 64-byte thread state lines).
inline constexpr std::uint32_t kThreadStateBytes = 128;
// The u64 words of a thread's loop state, in order.
enum class ThreadStateWord : std::uint32_t {
  Counter,     // instances completed in this launch (what the program returns)
  Limit,       // instances to run (MayGoto)
  Clock,       // Timebase: the last bpf_ktime_get_ns() reading
  LaunchStart, // bpf_ktime_get_ns() when the program started: the runtime
  LaunchEnd,   // times launches by these, not by the syscall's return
};
struct ControlBlock {
  ControlLine n_instances;   // instances to run in this launch (<= capacity)
  ControlLine slot_ns;       // Timebase: time between two instances
  ControlLine spin_limit;    // bound on every in-kernel wait (loop iterations)
  ControlLine abort;         // non-zero: stop at the next instance (set on a timed-out wait)
  ControlLine give_up_mode;  // 0: a timed-out wait aborts the launch; 1: it goes on unsynchronised
  ControlLine unsynced[kMaxThreads];  // per thread: instances that went on unsynchronised
  // Timebase, per thread: bpf_ktime_get_ns() at which its instance 0 starts
  // (a common start plus the thread's skew).
  ControlLine t0_ns[kMaxThreads];
};

// Where a thread's test register lives in the generated program.
struct RegisterHome {
  litmus::Reg test_reg = 0;
  bool in_machine_reg = true;
  std::uint8_t machine_reg = 0;  // when in_machine_reg
  std::int16_t stack_off = 0;    // otherwise: fp-relative slot
  // Holds its location's address as a pointer into the map (not an arena
  // offset): a register only ever used as an access's base, so no access
  // through it needs masking (ThreadFacts::base_only).
  bool pointer = false;
};

// A run of harness code (not from the test) starting at insn index first_insn.
struct HarnessBlock {
  std::size_t first_insn = 0;
  std::string what;  // "sync: spin barrier", "capture observed registers", ...
};

struct ThreadProgram {
  int thread = 0;
  std::vector<bpf_insn> insns;
  // Indices of ld_imm64 instructions whose imm must be patched with the
  // arena map's fd before loading (src_reg BPF_PSEUDO_MAP_VALUE).
  std::vector<std::size_t> map_fd_relocations;
  std::vector<RegisterHome> homes;
  // For each instruction: index of the test statement it implements in
  // litmus::Thread::code, or -1 for harness code (loop, sync, capture).
  std::vector<int> source_statement;
  std::vector<HarnessBlock> harness_blocks;  // for listings, in insn order
};

// Kernel features a program can need beyond a sleepable BPF_PROG_TYPE_SYSCALL
// program with an mmapable array map. The enumerators match the runtime's
// feature probe one to one (runtime::Feature), so that the probe can answer
// for each of them.
enum class KernelFeature : std::uint8_t {
  SyscallTestRun, MmapableArray,
  Atomic32, Atomic64,            // lock add/and/or/xor without fetch
  AtomicFetch32, AtomicFetch64,  // the same with BPF_FETCH (Linux 5.12)
  Xchg32, Xchg64,
  Cmpxchg32, Cmpxchg64,
  LoadAcquire8, LoadAcquire16, LoadAcquire32, LoadAcquire64,      // Linux 6.15
  StoreRelease8, StoreRelease16, StoreRelease32, StoreRelease64,  // Linux 6.15
  BpfLoop,  // Linux 5.17
  MayGoto,  // Linux 6.9
};

// One observed value of an instance. CompiledTest::observed lists them in the
// order herd7 prints states: registers by thread then number, then locations
// by name; each is the condition's or the `locations [...]` list's.
struct ObservedSlot {
  litmus::Observable what;
  bool from_result = true;        // register: the thread's result array
  int thread = 0;                 // from_result: writing thread
  std::uint32_t result_index = 0; // from_result: slot within the thread's record
  std::uint32_t location_offset = 0;  // memory: offset within the instance
  // memory: bytes read back: the declared type's, else the widest access the
  // test makes through a register holding the location's address, else 4
  litmus::Width width = litmus::Width::U64;
};

// A word of an instance's initial memory that holds a location's address.
struct AddressInit {
  std::uint32_t offset = 0;  // within the instance
  litmus::Width width = litmus::Width::U64;
  std::uint32_t target_offset = 0;  // the addressed location, within the instance
};

// Layout of the arena: the value of one BPF_F_MMAPABLE array map.
//
//   [guard][control block | thread state | barriers | permutation | instances | results][guard]
//
// Addresses of locations are held by test registers and memory as arena
// offsets (not kernel pointers): the programs add the arena base, masked so
// that the verifier can bound every access. guard_bytes on each side cover
// the signed 16-bit instruction offsets.
struct MemoryLayout {
  std::uint64_t map_value_size = 0;
  std::uint32_t guard_bytes = 0;       // arena offset 0 is at map value byte guard_bytes
  std::uint64_t address_mask = 0;      // arena offsets are masked with this
  // Each program's own loop state (kThreadStateBytes per thread from here,
  // ThreadStateWord): written by the programs; the runtime zeroes the launch
  // start and end words before a launch and reads them after it.
  std::uint64_t thread_state_offset = 0;
  std::uint64_t barriers_offset = 0;   // arena offset of the per-instance barrier words
  std::uint32_t barrier_stride = 0;
  // Arena offset of `capacity` u32 words: instance i's memory is that of
  // instance perm[i]; 0 when instances are not permuted (i's memory is i's).
  std::uint64_t permutation_offset = 0;
  std::uint64_t instances_offset = 0;  // arena offset of instance 0
  std::uint32_t instance_stride = 0;
  std::uint32_t capacity = 0;          // instances the arena holds
  std::uint64_t results_offset = 0;    // arena offset of thread 0's result array
  std::uint64_t results_thread_stride = 0;
  std::uint32_t results_per_instance = 0;  // u64 words per instance and thread (max over threads)
  // Locations: offset within an instance, in litmus::Test::locations order.
  std::vector<std::uint32_t> location_offsets;
  // One instance's initial memory image and the address-valued words in it.
  std::vector<std::uint8_t> instance_image;
  std::vector<AddressInit> address_inits;
};

struct CompiledTest {
  std::string name;
  SyncMode sync = SyncMode::Spin;
  LoopStrategy loop = LoopStrategy::MayGoto;
  std::vector<ThreadProgram> programs;  // one per thread, by thread id
  MemoryLayout layout;
  std::vector<ObservedSlot> observed;   // the state vector of one instance
  // Every feature some program uses, sorted, without duplicates; the runtime
  // reports Unsupported for one its probe lacks instead of a verifier error.
  std::vector<KernelFeature> required_features;
};

}  // namespace bpf_litmus::codegen
