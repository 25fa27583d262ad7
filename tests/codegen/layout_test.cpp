// The arena layout: regions that do not overlap, a mask that covers them,
// guards that cover every instruction offset, instance images with their
// address-valued words, and addresses that decode back to names.
#include <gtest/gtest.h>

#include <bit>

#include "codegen/layout.hpp"
#include "test_support.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

constexpr const char* kAddresses =
    "BPF t\n{ int x = z; u64 y = -1; u8 z; 0:r1=x; 1:r1=y; }\n"
    " P0 | P1 ;\n r2 = *(u32 *)(r1 + 0) | r2 = *(u64 *)(r1 + 0) ;\n"
    "exists (0:r2=z /\\ 1:r2=1 /\\ x=z)\n";

TEST(Layout, RegionsFollowEachOtherUnderTheMask) {
  const CompiledTest compiled = compile_ok(parse(kAddresses));
  const MemoryLayout& l = compiled.layout;
  // By default, as many instances as fit in the arena budget: twice as many would not.
  EXPECT_TRUE(std::has_single_bit(l.capacity));
  EXPECT_LE(l.address_mask + 1, kDefaultArenaBudget);
  CodegenOptions doubled;
  doubled.capacity = l.capacity * 2;
  EXPECT_GT(compile_ok(parse(kAddresses), doubled).layout.address_mask + 1, kDefaultArenaBudget);
  EXPECT_GE(l.thread_state_offset, sizeof(ControlBlock));
  EXPECT_EQ(l.thread_state_offset % 64, 0u);
  EXPECT_GE(l.barriers_offset, l.thread_state_offset + std::uint64_t{kMaxThreads} * kThreadStateBytes);
  // The programs address the control block and their loop state with s16 instruction offsets.
  EXPECT_LE(l.thread_state_offset + std::uint64_t{kMaxThreads} * kThreadStateBytes, 32767u);
  EXPECT_EQ(l.barrier_stride, 128u) << "one 128-byte prefetch pair per barrier word";
  EXPECT_GE(l.instances_offset, l.barriers_offset + std::uint64_t{l.capacity} * l.barrier_stride);
  EXPECT_GE(l.results_offset, l.instances_offset + std::uint64_t{l.capacity} * l.instance_stride);
  EXPECT_EQ(l.results_per_instance, 1u);
  EXPECT_GE(l.results_thread_stride, std::uint64_t{l.capacity} * l.results_per_instance * 8);
  const std::uint64_t end = l.results_offset + 2 * l.results_thread_stride;
  EXPECT_TRUE(std::has_single_bit(l.address_mask + 1));
  EXPECT_GE(l.address_mask + 1, end);
  EXPECT_LT(l.address_mask + 1, 2 * end) << "the mask is the smallest power of two that covers the arena";
  // Every masked offset plus any s16 instruction offset plus 8 bytes stays in the value.
  EXPECT_GE(l.guard_bytes, 32768u);
  EXPECT_GE(l.map_value_size, l.guard_bytes + l.address_mask + 32767 + 8);
  EXPECT_EQ(l.guard_bytes % 4096, 0u) << "arena offset 0 stays page aligned";
}

TEST(Layout, LocationsGetLinesOrSlotsAndNeverSmallOffsets) {
  const litmus::Test test = parse(kAddresses);
  const CompiledTest separate = compile_ok(test);
  ASSERT_EQ(separate.layout.location_offsets.size(), 3u);
  EXPECT_EQ(separate.layout.location_offsets, (std::vector<std::uint32_t>{0, 64, 128}));
  EXPECT_EQ(separate.layout.instance_stride, 192u);
  CodegenOptions shared;
  shared.layout = LocationLayout::SharedLine;
  const CompiledTest packed = compile_ok(test, shared);
  EXPECT_EQ(packed.layout.location_offsets, (std::vector<std::uint32_t>{0, 8, 16}));
  EXPECT_EQ(packed.layout.instance_stride, 64u);
  // An address never looks like a small integer.
  EXPECT_GE(packed.layout.instances_offset, 4096u);
}

TEST(Layout, ImagesHoldInitialValuesAndAddressInits) {
  const CompiledTest compiled = compile_ok(parse(kAddresses));
  const MemoryLayout& l = compiled.layout;
  // x (int) holds z's address: written by the runtime per instance.
  ASSERT_EQ(l.address_inits.size(), 1u);
  EXPECT_EQ(l.address_inits[0].offset, l.location_offsets[0]);
  EXPECT_EQ(l.address_inits[0].width, litmus::Width::U32);
  EXPECT_EQ(l.address_inits[0].target_offset, l.location_offsets[2]);
  // y (u64) = -1: eight bytes of 0xff; z (u8) = 0.
  ASSERT_GE(l.instance_image.size(), l.location_offsets[2] + 1u);
  for (unsigned b = 0; b < 8; ++b) EXPECT_EQ(l.instance_image[l.location_offsets[1] + b], 0xff);
  EXPECT_EQ(l.instance_image[l.location_offsets[2]], 0);
}

TEST(Layout, ObservedSlotsSayWhereEachValueIs) {
  const CompiledTest compiled = compile_ok(parse(kAddresses));
  ASSERT_EQ(compiled.observed.size(), 3u);  // 0:r2, 1:r2, [x], in herd7's order
  EXPECT_TRUE(compiled.observed[0].from_result);
  EXPECT_EQ(compiled.observed[0].thread, 0);
  EXPECT_EQ(compiled.observed[0].result_index, 0u);
  EXPECT_EQ(compiled.observed[1].thread, 1);
  EXPECT_FALSE(compiled.observed[2].from_result);
  EXPECT_EQ(compiled.observed[2].location_offset, compiled.layout.location_offsets[0]);
  EXPECT_EQ(compiled.observed[2].width, litmus::Width::U32);
}

TEST(Layout, CapacityRoundsUpAndIsBounded) {
  const litmus::Test test = parse(kAddresses);
  CodegenOptions options;
  options.capacity = 1000;
  EXPECT_EQ(compile_ok(test, options).layout.capacity, 1024u);
  options.capacity = 1u << 20;
  const CompiledTest million = compile_ok(test, options);
  EXPECT_EQ(million.layout.capacity, 1u << 20);
  EXPECT_LE(million.layout.address_mask + 1, kMaxArenaBytes);
  options.capacity = kMaxCapacity;  // 8M instances of 192 bytes: past the verifier's 512 MiB
  const CodegenError error = compile_error(test, options);
  EXPECT_EQ(error.kind, CodegenError::Kind::Unsupported);
  EXPECT_EQ(error.construct, "test memory");
  options.capacity = kMaxCapacity + 1;
  EXPECT_EQ(compile_error(test, options).construct, "test memory");
  options.capacity = 0;  // as many as fit in a 1 MiB arena
  options.arena_budget = 1u << 20;
  const CompiledTest budgeted = compile_ok(test, options);
  EXPECT_LE(budgeted.layout.address_mask + 1, 1u << 20);
  EXPECT_GE(budgeted.layout.capacity, 1024u);
}

TEST(Layout, BarriersOnlyForTheSpinBarrier) {
  CodegenOptions options;
  options.sync = SyncMode::Timebase;
  EXPECT_EQ(compile_ok(parse(kAddresses), options).layout.barrier_stride, 0u);
}

TEST(Layout, AddressesDecodeToLocationsOfTheSameInstance) {
  const CompiledTest compiled = compile_ok(parse(kAddresses));
  const MemoryLayout& l = compiled.layout;
  const std::uint64_t instance = 5;
  const std::uint64_t base = l.instances_offset + instance * l.instance_stride;
  EXPECT_EQ(decode_address(l, instance, base + l.location_offsets[2]), 2u);
  EXPECT_EQ(decode_address(l, instance, base), 0u);
  EXPECT_FALSE(decode_address(l, instance + 1, base + l.location_offsets[2]));
  EXPECT_FALSE(decode_address(l, instance, 1));
  EXPECT_FALSE(decode_address(l, l.capacity, base));
}

}  // namespace
}  // namespace bpf_litmus::codegen::testing
