#include "native_mirror.hpp"

#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>

#include "codegen/analysis.hpp"

namespace bpf_litmus::bench {

namespace {

using codegen::ControlBlock;
using codegen::SyncMode;

std::uint64_t relaxed(const std::uint64_t& word) {
  return std::atomic_ref<const std::uint64_t>(word).load(std::memory_order_relaxed);
}

std::uint64_t now_ns() {  // CLOCK_MONOTONIC: what bpf_ktime_get_ns() reads
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(now.tv_nsec);
}

// The tests' accesses: u32, relaxed (a plain mov on x86, as the JIT emits).
void store(std::uint8_t* at, std::uint32_t value) {
  std::atomic_ref<std::uint32_t>(*reinterpret_cast<std::uint32_t*>(at)).store(value, std::memory_order_relaxed);
}
std::uint64_t load(std::uint8_t* at) {
  return std::atomic_ref<std::uint32_t>(*reinterpret_cast<std::uint32_t*>(at)).load(std::memory_order_relaxed);
}

struct Context {
  std::uint8_t* arena = nullptr;
  const codegen::MemoryLayout* layout = nullptr;
  std::uint64_t threads = 0;
  std::uint32_t x = 0, y = 0;  // offsets of the locations in an instance
};

// One thread's instances: registers r5 (and r6) go to result words 0 (and 1),
// as codegen lays out the observed registers of these tests.
struct SbP0 { void operator()(std::uint8_t* m, std::uint64_t* r, const Context& c) const { store(m + c.x, 1); r[0] = load(m + c.y); } };
struct SbP1 { void operator()(std::uint8_t* m, std::uint64_t* r, const Context& c) const { store(m + c.y, 1); r[0] = load(m + c.x); } };
struct MpP0 { void operator()(std::uint8_t* m, std::uint64_t*, const Context& c) const { store(m + c.x, 1); store(m + c.y, 1); } };
struct MpP1 { void operator()(std::uint8_t* m, std::uint64_t* r, const Context& c) const { r[0] = load(m + c.y); r[1] = load(m + c.x); } };
struct LbP0 { void operator()(std::uint8_t* m, std::uint64_t* r, const Context& c) const { r[0] = load(m + c.x); store(m + c.y, 1); } };
struct LbP1 { void operator()(std::uint8_t* m, std::uint64_t* r, const Context& c) const { r[0] = load(m + c.y); store(m + c.x, 1); } };

// What a timed-out wait does, as the programs do: abort the launch (false),
// or count the instance unsynchronised and go on (true).
bool give_up(ControlBlock* control, std::size_t thread) {
  if (relaxed(control->give_up_mode.value) == 0) {
    std::atomic_ref<std::uint64_t>(control->abort.value).store(1, std::memory_order_relaxed);
    return false;
  }
  std::atomic_ref<std::uint64_t>(control->unsynced[thread].value).fetch_add(1, std::memory_order_relaxed);
  return true;
}

// The instance loop of one thread, the control block protocol of
// compiled_test.hpp implemented in C++: abort check, sync, the accesses,
// results; returns the instances completed.
template <SyncMode kSync, typename Body>
std::uint64_t run_thread(const Context& c, std::size_t thread) {
  const codegen::MemoryLayout& l = *c.layout;
  auto* control = reinterpret_cast<ControlBlock*>(c.arena);
  const std::uint64_t n = std::min<std::uint64_t>(relaxed(control->n_instances.value), l.capacity);
  const std::uint64_t spin_limit = relaxed(control->spin_limit.value);
  const std::uint64_t slot = relaxed(control->slot_ns.value);
  const std::uint64_t t0 = relaxed(control->t0_ns[thread].value);
  const auto* permutation =
      l.permutation_offset != 0 ? reinterpret_cast<const std::uint32_t*>(c.arena + l.permutation_offset) : nullptr;
  auto* results = reinterpret_cast<std::uint64_t*>(c.arena + l.results_offset + thread * l.results_thread_stride);
  // The launch's start and end, noted where the programs note theirs.
  auto* state = reinterpret_cast<std::uint64_t*>(c.arena + l.thread_state_offset + thread * codegen::kThreadStateBytes);
  const auto note = [&](codegen::ThreadStateWord word) { state[static_cast<std::uint32_t>(word)] = now_ns(); };
  note(codegen::ThreadStateWord::LaunchStart);
  const auto done = [&](std::uint64_t completed) {
    note(codegen::ThreadStateWord::LaunchEnd);
    return completed;
  };
  const Body body;
  std::uint64_t clock = 0;  // Timebase: the last clock reading
  std::uint64_t i = 0;
  for (; i < n; ++i) {
    if (relaxed(control->abort.value) != 0) break;
    if constexpr (kSync == SyncMode::Spin) {
      std::atomic_ref<std::uint64_t> word(*reinterpret_cast<std::uint64_t*>(c.arena + l.barriers_offset + i * l.barrier_stride));
      const std::uint64_t old = word.fetch_add(1, std::memory_order_seq_cst);  // lock xadd, as the JIT's fetch-add
      const std::uint64_t target = old - old % c.threads + c.threads;
      bool synced = true;
      for (std::uint64_t left = spin_limit; word.load(std::memory_order_relaxed) < target; --left) {
        if (relaxed(control->abort.value) != 0) return done(i);
        if (left == 0) {
          synced = false;
          break;
        }
      }
      if (!synced && !give_up(control, thread)) return done(i);
    } else if constexpr (kSync == SyncMode::Timebase) {
      // As the programs do: no clock read for an instance an earlier reading shows started.
      const std::uint64_t start = t0 + i * slot;
      bool synced = true;
      for (std::uint64_t left = spin_limit; clock < start && (clock = now_ns()) < start; --left) {
        if (relaxed(control->abort.value) != 0) return done(i);
        if (left == 0) {
          synced = false;
          break;
        }
      }
      if (!synced && !give_up(control, thread)) return done(i);
    }
    const std::uint64_t memory = permutation != nullptr ? permutation[i] & (l.capacity - 1) : i;
    body(c.arena + l.instances_offset + memory * l.instance_stride, results + i * l.results_per_instance, c);
  }
  return done(i);
}

using ThreadFunction = std::uint64_t (*)(const Context&, std::size_t);

template <typename P0, typename P1>
std::array<ThreadFunction, 2> threads_for(SyncMode sync) {
  switch (sync) {
    case SyncMode::None: return {run_thread<SyncMode::None, P0>, run_thread<SyncMode::None, P1>};
    case SyncMode::Spin: return {run_thread<SyncMode::Spin, P0>, run_thread<SyncMode::Spin, P1>};
    case SyncMode::Timebase: break;
  }
  return {run_thread<SyncMode::Timebase, P0>, run_thread<SyncMode::Timebase, P1>};
}

// The result word of each observed register, as the bodies above assume.
bool results_as_assumed(const codegen::CompiledTest& compiled) {
  for (const auto& slot : compiled.observed) {
    if (!slot.from_result) return false;
    const std::uint32_t expected = slot.what.reg == 6 ? 1 : 0;
    if (slot.what.reg != 5 && slot.what.reg != 6) return false;
    if (slot.result_index != expected) return false;
  }
  return true;
}

}  // namespace

std::optional<runtime::detail::NativeThread> native_mirror(const litmus::Test& test,
                                                           const codegen::CompiledTest& compiled,
                                                           runtime::LoadedTest& loaded) {
  std::array<ThreadFunction, 2> threads{};
  std::size_t thread_count = 2;
  if (test.name == "SB+pos" || test.name == "SB+pos.P0") {  // .P0: SB+pos's P0 alone, the benchmark's control
    threads = threads_for<SbP0, SbP1>(compiled.sync);
    thread_count = test.name == "SB+pos" ? 2 : 1;
  } else if (test.name == "MP+pos") {
    threads = threads_for<MpP0, MpP1>(compiled.sync);
  } else if (test.name == "LB+pos") {
    threads = threads_for<LbP0, LbP1>(compiled.sync);
  } else {
    return std::nullopt;
  }
  const auto x = codegen::find_location(test, "x");
  const auto y = codegen::find_location(test, "y");
  if (!x || !y || compiled.programs.size() != thread_count || !results_as_assumed(compiled)) return std::nullopt;
  const auto& offsets = compiled.layout.location_offsets;
  Context context{loaded.impl().arena->arena(), &loaded.impl().layout, thread_count, offsets[*x], offsets[*y]};
  return runtime::detail::NativeThread([context, threads](std::size_t thread) { return threads[thread](context, thread); });
}

}  // namespace bpf_litmus::bench
