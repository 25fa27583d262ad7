// Codegen's programs on the real kernel: the verifier accepts them, they
// compute what the test says, synchronise, stop, and run a million instances
// per launch; with each loop strategy (may_goto, and the bpf_loop fallback
// for kernels before 6.9). Skipped without root and BPF.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "codegen/analysis.hpp"
#include "kernel_support.hpp"
#include "test_support.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

#define SKIP_WITHOUT_BPF()                                                 \
  if (const std::string why = bpf_unavailable_reason(); !why.empty()) {    \
    GTEST_SKIP() << "no BPF: " << why;                                     \
  }

class Kernel : public ::testing::TestWithParam<LoopStrategy> {
 protected:
  // Small arenas: these tests check the programs, not throughput.
  static CodegenOptions with_sync(SyncMode sync) {
    CodegenOptions options;
    options.sync = sync;
    options.loop = GetParam();
    options.capacity = 1u << 12;
    return options;
  }
};

// Runs a one-thread test without sync over a few instances with `loop`;
// returns the observed values of instance 3 by name ("0:r2", "x").
std::map<std::string, std::uint64_t> run_single(LoopStrategy loop, const litmus::Test& test,
                                                CompiledTest* out = nullptr) {
  CodegenOptions options;
  options.sync = SyncMode::None;
  options.loop = loop;
  options.capacity = 1u << 12;
  const CompiledTest compiled = compile_ok(test, options);
  if (out != nullptr) *out = compiled;
  KernelTest kernel(compiled);
  EXPECT_TRUE(kernel.ok()) << kernel.error();
  if (!kernel.ok()) return {};
  const auto launch = kernel.launch(16, {});
  EXPECT_EQ(launch.completed, std::vector<std::uint64_t>{16});
  std::map<std::string, std::uint64_t> values;
  for (const ObservedSlot& slot : compiled.observed) {
    const std::string name = slot.from_result ? std::to_string(slot.thread) + ":r" + std::to_string(slot.what.reg)
                                              : slot.what.location;
    values[name] = slot.from_result ? kernel.result(slot.thread, slot.result_index, 3)
                                    : kernel.location(slot.location_offset, static_cast<unsigned>(slot.width), 3);
  }
  return values;
}

TEST_P(Kernel, EveryCatalogueProgramPassesTheVerifier) {
  SKIP_WITHOUT_BPF();
  const auto files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  for (SyncMode sync : {SyncMode::None, SyncMode::Spin, SyncMode::Timebase}) {
    std::size_t loaded = 0;
    for (const auto& file : files) {
      const CompiledTest compiled = compile_ok(litmus::parse_file(file.string()), with_sync(sync));
      KernelTest kernel(compiled);
      EXPECT_TRUE(kernel.ok()) << file << ": " << kernel.error();
      loaded += kernel.ok() ? 1 : 0;
    }
    EXPECT_EQ(loaded, files.size()) << "sync mode " << static_cast<int>(sync);
  }
}

TEST_P(Kernel, AluAndWidthsComputeAsWritten) {
  SKIP_WITHOUT_BPF();
  const auto v = run_single(GetParam(), parse(
      "BPF alu\n{ int x = 0x12345678; 0:r1=x; }\n P0 ;\n"
      " r2 = 7 ;\n r2 *= 6 ;\n r2 -= 2 ;\n r2 /= 3 ;\n r3 = r2 ;\n r3 %= 5 ;\n r4 = -8 ;\n r4 s>>= 1 ;\n"
      " r5 = *(u8 *)(r1 + 0) ;\n r6 = *(u16 *)(r1 + 2) ;\n r7 = 1 ;\n r7 <<= 40 ;\n r8 = r7 ;\n r8 >>= 39 ;\n"
      " r9 = 0x100000000 ;\n r9 ^= 5 ;\n r0 = r9 ;\n r0 &= 0xff ;\n r0 |= 0x100 ;\n"
      "locations [0:r2; 0:r3; 0:r4; 0:r5; 0:r6; 0:r7; 0:r8; 0:r9; 0:r0]\nexists (0:r2=13)\n"));
  EXPECT_EQ(v.at("0:r2"), 13u);
  EXPECT_EQ(v.at("0:r3"), 3u);
  EXPECT_EQ(static_cast<std::int64_t>(v.at("0:r4")), -4);
  EXPECT_EQ(v.at("0:r5"), 0x78u);
  EXPECT_EQ(v.at("0:r6"), 0x1234u);
  EXPECT_EQ(v.at("0:r7"), 1ull << 40);
  EXPECT_EQ(v.at("0:r8"), 2u);
  EXPECT_EQ(v.at("0:r9"), 0x100000005ull);
  EXPECT_EQ(v.at("0:r0"), 0x105u);
}

TEST_P(Kernel, AtomicsReturnTheOldValueInTheirSource) {
  SKIP_WITHOUT_BPF();
  const auto v = run_single(GetParam(), parse(
      "BPF atomics\n{ u64 x = 5; int y = 1; 0:r1=x; 0:r8=y; }\n P0 ;\n"
      " r2 = 3 ;\n r9 = atomic_fetch_add((u64 *)(r1 + 0), r2) ;\n"  // r2 = 5, x = 8
      " r3 = 1 ;\n r3 = xchg_64(r1 + 0, r3) ;\n"                     // r3 = 8, x = 1
      " r0 = 1 ;\n r4 = 9 ;\n r0 = cmpxchg_64(r1 + 0, r0, r4) ;\n r5 = r0 ;\n"  // succeeds: r5 = 1, x = 9
      " r0 = 0 ;\n r0 = cmpxchg_64(r1 + 0, r0, r2) ;\n"                          // fails: r0 = 9
      " lock *(u32 *)(r8 + 0) += r4 ;\n"                                         // y = 10
      " r6 = 6 ;\n r6 = atomic_fetch_or((u32 *)(r8 + 0), r6) ;\n"                // r6 = 10, y = 14
      " store_release((u8 *)(r8 + 1), r4) ;\n r7 = load_acquire((u32 *)(r8 + 0)) ;\n"  // y = 0x90e
      "locations [0:r2; 0:r3; 0:r5; 0:r0; 0:r6; 0:r7; 0:r9; x; y]\nexists (0:r2=5)\n"));
  EXPECT_EQ(v.at("0:r2"), 5u);
  EXPECT_EQ(v.at("0:r9"), 0u) << "written_dst is not written; r9 starts at 0";
  EXPECT_EQ(v.at("0:r3"), 8u);
  EXPECT_EQ(v.at("0:r5"), 1u);
  EXPECT_EQ(v.at("0:r0"), 9u);
  EXPECT_EQ(v.at("0:r6"), 10u);
  EXPECT_EQ(v.at("0:r7"), 0x90eu);
  EXPECT_EQ(v.at("x"), 9u);
  EXPECT_EQ(v.at("y"), 0x90eu);
}

TEST_P(Kernel, BranchesLoopsAndSignedComparisons) {
  SKIP_WITHOUT_BPF();
  const auto v = run_single(GetParam(), parse(
      "BPF branches\n{ }\n P0 ;\n"
      " r1 = 5 ;\n r2 = 0 ;\n L: r2 += r1 ;\n r1 -= 1 ;\n if r1 != 0 goto L ;\n"  // r2 = 15
      " if r2 >= 10 goto M ;\n r3 = 1 ;\n M: r3 += 2 ;\n"                        // r3 = 2
      " r4 = -1 ;\n if r4 < 0 goto N ;\n r5 = 1 ;\n N: r6 = 3 ;\n goto E ;\n r6 = 4 ;\n E: ;\n"
      "locations [0:r1; 0:r2; 0:r3; 0:r5; 0:r6]\nexists (0:r2=15)\n"));
  EXPECT_EQ(v.at("0:r1"), 0u);
  EXPECT_EQ(v.at("0:r2"), 15u);
  EXPECT_EQ(v.at("0:r3"), 2u);
  EXPECT_EQ(v.at("0:r5"), 0u) << "-1 < 0 as herd7 compares";
  EXPECT_EQ(v.at("0:r6"), 3u);
}

TEST_P(Kernel, SpilledRegistersKeepTheirValues) {
  SKIP_WITHOUT_BPF();
  CompiledTest compiled;
  const auto v = run_single(
      GetParam(), parse("BPF spills\n{ 0:r10=x; 0:r9=y; }\n P0 ;\n"
            " r0 = 1 ;\n r1 = 2 ;\n r2 = 3 ;\n r3 = 4 ;\n r4 = 5 ;\n r5 = 6 ;\n r6 = 7 ;\n r7 = 8 ;\n"
            " r8 = 0x100000000 ;\n *(u64 *)(r10 + 0) = r8 ;\n r8 = *(u64 *)(r10 + 0) ;\n r8 += r7 ;\n"
            " r7 += r6 ;\n r6 = r0 ;\n r6 += r1 ;\n r5 = atomic_fetch_add((u32 *)(r9 + 0), r5) ;\n"
            " if r8 != r6 goto L ;\n r4 = 0 ;\n L: r3 = r10 ;\n r3 -= r9 ;\n"
            "locations [0:r0; 0:r1; 0:r2; 0:r3; 0:r4; 0:r5; 0:r6; 0:r7; 0:r8; x; y]\nexists (0:r0=1)\n"),
      &compiled);
  ASSERT_FALSE(compiled.programs.empty());
  std::size_t spilled = 0;
  for (const auto& home : compiled.programs[0].homes) spilled += home.in_machine_reg ? 0 : 1;
  EXPECT_EQ(spilled, 4u) << "11 registers: 7 in machine registers";
  EXPECT_EQ(v.at("0:r0"), 1u);
  EXPECT_EQ(v.at("0:r1"), 2u);
  EXPECT_EQ(v.at("0:r2"), 3u);
  EXPECT_EQ(static_cast<std::int64_t>(v.at("0:r3")), -64) << "x - y: one cache line apart";
  EXPECT_EQ(v.at("0:r4"), 5u);
  EXPECT_EQ(v.at("0:r5"), 0u) << "the old value of y";
  EXPECT_EQ(v.at("0:r6"), 3u);
  EXPECT_EQ(v.at("0:r7"), 15u);
  EXPECT_EQ(v.at("0:r8"), 0x100000008ull);
  EXPECT_EQ(v.at("x"), 0x100000000ull);
  EXPECT_EQ(v.at("y"), 6u);
}

TEST_P(Kernel, WideImmediatesGoThroughAScratchRegister) {
  SKIP_WITHOUT_BPF();
  // The parser keeps immediates to s32 except in `rD = imm`; a hand-built AST may not.
  litmus::Test test = parse(
      "BPF wide\n{ 0:r2=x; }\n P0 ;\n r1 = 1 ;\n r1 += 2 ;\n *(u64 *)(r2 + 0) = 3 ;\n"
      " if r1 == 5 goto L ;\n r3 = 1 ;\n L: r4 = 2 ;\nlocations [0:r1; 0:r3; 0:r4; x]\nexists (0:r1=0)\n");
  auto& code = test.threads[0].code;
  std::get<litmus::Alu>(*code[1].instruction).src.imm = 0x100000000;
  std::get<litmus::Store>(*code[2].instruction).src.imm = 0x500000000;
  std::get<litmus::CondJump>(*code[3].instruction).rhs.imm = 0x100000001;
  const auto v = run_single(GetParam(), test);
  EXPECT_EQ(v.at("0:r1"), 0x100000001ull);
  EXPECT_EQ(v.at("x"), 0x500000000ull);
  EXPECT_EQ(v.at("0:r3"), 0u) << "the wide comparison held";
  EXPECT_EQ(v.at("0:r4"), 2u);
}

TEST_P(Kernel, AddressesInRegistersAndMemoryDecodeToNames) {
  SKIP_WITHOUT_BPF();
  CompiledTest compiled;
  const litmus::Test test = parse(
      "BPF addresses\n{ int x = y; int y = 7; 0:r1=x; }\n P0 ;\n"
      " r2 = *(u32 *)(r1 + 0) ;\n r3 = *(u32 *)(r2 + 0) ;\n *(u32 *)(r2 + 0) = r1 ;\n"
      "exists (0:r2=y /\\ 0:r3=7 /\\ y=x)\n");
  compiled = compile_ok(test, with_sync(SyncMode::None));
  KernelTest kernel(compiled);
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  ASSERT_EQ(kernel.launch(8, {}).completed, std::vector<std::uint64_t>{8});
  for (std::uint64_t i = 0; i < 8; ++i) {
    const auto r2 = decode_address(compiled.layout, i, kernel.result(0, 0, i));
    ASSERT_TRUE(r2) << "instance " << i;
    EXPECT_EQ(test.locations[*r2].name, "y");
    EXPECT_EQ(kernel.result(0, 1, i), 7u);
    const ObservedSlot& y = compiled.observed.at(2);
    const auto stored = decode_address(compiled.layout, i, kernel.location(y.location_offset, 4, i));
    ASSERT_TRUE(stored);
    EXPECT_EQ(test.locations[*stored].name, "x");
  }
}

// BpfLoop has no may_goto to end a runaway loop: a budget of backward jumps
// per instance does, after which the instance ends as may_goto's budget would.
TEST_P(Kernel, RunawayLoopsEndAtTheirBudget) {
  SKIP_WITHOUT_BPF();
  if (GetParam() == LoopStrategy::MayGoto) GTEST_SKIP() << "may_goto's budget is the kernel's (time on x86-64)";
  const auto v = run_single(GetParam(), parse("BPF runaway\n{ }\n P0 ;\n L: r2 += 1 ;\n if r2 != 0 goto L ;\n"
                                              "locations [0:r2]\nexists (0:r2=1)\n"));
  EXPECT_EQ(v.at("0:r2"), 65u) << "64 backward jumps, then the instance ends";
}

// A stride wider than the locations and a permutation (here: instance i uses
// the memory of instance capacity - 1 - i) only move an instance's memory.
TEST_P(Kernel, PermutedAndStridedInstancesUseTheirOwnMemory) {
  SKIP_WITHOUT_BPF();
  const litmus::Test test = parse("BPF own\n{ u64 x = 3; 0:r1=x; }\n P0 ;\n r2 = *(u64 *)(r1 + 0) ;\n"
                                  " *(u64 *)(r1 + 0) = 7 ;\nlocations [0:r1; x]\nexists (0:r2=3)\n");
  CodegenOptions options = with_sync(SyncMode::None);
  options.instance_stride = 256;
  options.permute_instances = true;
  options.capacity = 64;
  const CompiledTest compiled = compile_ok(test, options);
  const MemoryLayout& l = compiled.layout;
  EXPECT_EQ(l.instance_stride, 256u);
  ASSERT_NE(l.permutation_offset, 0u);
  KernelTest kernel(compiled);
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  ASSERT_EQ(kernel.launch(16, {}).completed, std::vector<std::uint64_t>{16});
  for (std::uint64_t i = 0; i < 16; ++i) {
    ASSERT_EQ(kernel.memory_index(i), l.capacity - 1 - i);
    EXPECT_EQ(kernel.result(0, 0, i), l.instances_offset + kernel.memory_index(i) * 256) << "0:r1 of instance " << i;
    EXPECT_EQ(kernel.result(0, 1, i), 3u) << "0:r2 of instance " << i;
    EXPECT_EQ(kernel.location(0, 8, i), 7u) << "x of instance " << i;
  }
}

constexpr const char* kSb =
    "BPF SB\n{ 0:r1=x; 0:r2=y; 1:r1=y; 1:r2=x; }\n P0 | P1 ;\n"
    " *(u32 *)(r1 + 0) = 1 | *(u32 *)(r1 + 0) = 1 ;\n r3 = *(u32 *)(r2 + 0) | r3 = *(u32 *)(r2 + 0) ;\n"
    "exists (0:r3=0 /\\ 1:r3=0)\n";

// Outcomes of SB over instances [0, n): each thread's r3 is 0 or 1.
std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> sb_outcomes(const KernelTest& kernel, std::uint64_t n) {
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> outcomes;
  for (std::uint64_t i = 0; i < n; ++i) ++outcomes[{kernel.result(0, 0, i), kernel.result(1, 0, i)}];
  return outcomes;
}

TEST_P(Kernel, SpinBarrierRunsAMillionInstancesPerLaunch) {
  SKIP_WITHOUT_BPF();
  CodegenOptions options = with_sync(SyncMode::Spin);
  options.capacity = 1u << 20;
  const CompiledTest compiled = compile_ok(parse(kSb), options);
  KernelTest kernel(compiled);
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  const std::uint64_t n = compiled.layout.capacity;
  // A thread preempted for long on a busy machine (others' builds) would
  // time its partner's wait out: count such instances instead of aborting.
  KernelTest::LaunchOptions launch_options;
  launch_options.give_up_goes_on = true;
  const auto launch = kernel.launch(n, launch_options);
  EXPECT_FALSE(launch.aborted);
  ASSERT_EQ(launch.completed.size(), 2u);
  // Since Linux 6.15 (x86-64) may_goto's budget is time: about 250 ms per
  // program run. A slow host (CI saw 3.5 M spin instances/s) ends there, with
  // both threads in step; bpf_loop has no such budget and must finish.
  const bool cut_by_time = GetParam() == LoopStrategy::MayGoto && launch.completed[0] < n && launch.seconds >= 0.24;
  if (cut_by_time) {
    if (launch.unsynced == 0) {  // no wait gave up: the barrier kept the threads in step
      EXPECT_LE(std::max(launch.completed[0], launch.completed[1]) - std::min(launch.completed[0], launch.completed[1]), 1u)
          << "the spin barrier keeps the threads within one instance";
    }
  } else {
    EXPECT_EQ(launch.completed, (std::vector<std::uint64_t>{n, n}));
  }
  const std::uint64_t done = std::min(launch.completed[0], launch.completed[1]);
  std::uint64_t total = 0;
  for (const auto& [outcome, count] : sb_outcomes(kernel, done)) {
    EXPECT_LE(outcome.first, 1u);
    EXPECT_LE(outcome.second, 1u);
    total += count;
  }
  EXPECT_EQ(total, done);
  std::printf("SB spin: %llu of %llu instances in %.3f s%s\n", static_cast<unsigned long long>(done),
              static_cast<unsigned long long>(n), launch.seconds, cut_by_time ? " (may_goto's time budget)" : "");
}

TEST_P(Kernel, TimebaseStartsInstancesOnTheClock) {
  SKIP_WITHOUT_BPF();
  CodegenOptions codegen_options = with_sync(SyncMode::Timebase);
  codegen_options.capacity = 1u << 15;
  const CompiledTest compiled = compile_ok(parse(kSb), codegen_options);
  KernelTest kernel(compiled);
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  const std::uint64_t n = 20000, slot_ns = 1000;
  KernelTest::LaunchOptions options;
  options.slot_ns = slot_ns;
  const auto launch = kernel.launch(n, options);
  EXPECT_EQ(launch.completed, (std::vector<std::uint64_t>{n, n}));
  EXPECT_GE(launch.seconds, static_cast<double>((n - 1) * slot_ns) * 1e-9) << "the last instance waits for its slot";
  EXPECT_EQ(sb_outcomes(kernel, n).size() <= 4, true);
}

TEST_P(Kernel, TimedOutWaitAbortsTheLaunch) {
  SKIP_WITHOUT_BPF();
  for (SyncMode sync : {SyncMode::Spin, SyncMode::Timebase}) {
    const CompiledTest compiled = compile_ok(parse(kSb), with_sync(sync));
    KernelTest kernel(compiled);
    ASSERT_TRUE(kernel.ok()) << kernel.error();
    KernelTest::LaunchOptions options;
    options.spin_limit = 1000;
    options.absent = {1};             // Spin: nobody to wait for
    options.slot_ns = 1'000'000'000;  // Timebase: instance 1 starts a second after instance 0
    const auto launch = kernel.launch(100, options);
    // Timebase: instance 0 runs if the thread arrives after t0 (2 ms after set-up), else times out too.
    EXPECT_LE(launch.completed[0], sync == SyncMode::Spin ? 0u : 1u) << "sync mode " << static_cast<int>(sync);
    EXPECT_TRUE(launch.aborted);
  }
}

TEST_P(Kernel, TimedOutWaitCanGoOnUnsynchronised) {
  SKIP_WITHOUT_BPF();
  const CompiledTest compiled = compile_ok(parse(kSb));
  KernelTest kernel(compiled);
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  KernelTest::LaunchOptions options;
  options.spin_limit = 100;
  options.give_up_goes_on = true;
  options.absent = {1};
  const auto launch = kernel.launch(50, options);
  EXPECT_EQ(launch.completed[0], 50u);
  EXPECT_EQ(launch.unsynced, 50u);
  EXPECT_FALSE(launch.aborted);
  for (std::uint64_t i = 0; i < 50; ++i) EXPECT_EQ(kernel.result(0, 0, i), 0u) << "P1 never wrote y";
}

// MayGoto runs several instances per round without sync: a launch still ends
// at its count wherever that falls in a round, and touches no instance past it.
TEST_P(Kernel, LaunchesEndAtTheirCountWithinARound) {
  SKIP_WITHOUT_BPF();
  for (SyncMode sync : {SyncMode::None, SyncMode::Spin}) {
    const litmus::Test test = parse(kSb);
    const CompiledTest compiled = compile_ok(test, with_sync(sync));
    KernelTest kernel(compiled);
    ASSERT_TRUE(kernel.ok()) << kernel.error();
    const std::uint32_t x = compiled.layout.location_offsets.at(find_location(test, "x").value());
    for (const std::uint64_t n : {1u, 7u, 9u, 13u, 2u * instances_per_may_goto(SyncMode::None) + 3u}) {  // ascending: n is fresh memory
      EXPECT_EQ(kernel.launch(n, {}).completed, (std::vector<std::uint64_t>{n, n})) << "sync " << static_cast<int>(sync);
      EXPECT_EQ(kernel.location(x, 4, n - 1), 1u) << "instance " << n - 1 << " ran";
      EXPECT_EQ(kernel.location(x, 4, n), 0u) << "instance " << n << " did not";
    }
  }
}

TEST_P(Kernel, AbortStopsEvenWithoutSync) {
  SKIP_WITHOUT_BPF();
  // SyncMode::None has no wait: the per-instance abort check alone stops it.
  const CompiledTest compiled = compile_ok(parse(kSb), with_sync(SyncMode::None));
  KernelTest kernel(compiled);
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  EXPECT_EQ(kernel.launch(1000, {}).completed, (std::vector<std::uint64_t>{1000, 1000}));
  KernelTest::LaunchOptions options;
  options.abort_before = true;
  EXPECT_EQ(kernel.launch(1000, options).completed, (std::vector<std::uint64_t>{0, 0}));
}

INSTANTIATE_TEST_SUITE_P(Loops, Kernel, ::testing::Values(LoopStrategy::MayGoto, LoopStrategy::BpfLoop),
                         [](const ::testing::TestParamInfo<LoopStrategy>& param) {
                           return std::string(param.param == LoopStrategy::MayGoto ? "MayGoto" : "BpfLoop");
                         });

}  // namespace
}  // namespace bpf_litmus::codegen::testing
