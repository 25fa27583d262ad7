#include "codegen/layout.hpp"

#include <bit>

#include "codegen/analysis.hpp"

namespace bpf_litmus::codegen {
namespace {

constexpr std::uint64_t round_up(std::uint64_t value, std::uint64_t to) { return (value + to - 1) / to * to; }
constexpr std::uint64_t kPage = 4096;

}  // namespace

namespace {

// The regions of `layout` (whose instance stride is set) for `capacity`
// instances; returns the bytes from arena offset 0 to the end of the results.
std::uint64_t place_regions(MemoryLayout& layout, const CodegenOptions& options, std::uint32_t capacity,
                            std::uint32_t results_per_instance, std::size_t threads) {
  layout.capacity = capacity;
  layout.thread_state_offset = round_up(sizeof(ControlBlock), kCacheLine);
  layout.barriers_offset = round_up(layout.thread_state_offset + std::uint64_t{kMaxThreads} * kThreadStateBytes, kPage);
  layout.barrier_stride = options.sync == SyncMode::Spin ? kPrefetchPair : 0;
  std::uint64_t next = round_up(layout.barriers_offset + std::uint64_t{capacity} * layout.barrier_stride, kPage);
  layout.permutation_offset = 0;
  if (options.permute_instances) {
    layout.permutation_offset = next;
    next = round_up(next + std::uint64_t{capacity} * sizeof(std::uint32_t), kPage);
  }
  layout.instances_offset = next;
  layout.results_offset = round_up(layout.instances_offset + std::uint64_t{capacity} * layout.instance_stride, kPage);
  layout.results_per_instance = results_per_instance;
  layout.results_thread_stride = round_up(std::uint64_t{capacity} * results_per_instance * 8, kPage);
  return layout.results_offset + threads * layout.results_thread_stride;
}

}  // namespace

std::variant<MemoryLayout, std::string> plan_layout(const litmus::Test& test, const CodegenOptions& options,
                                                    std::uint32_t results_per_instance,
                                                    const std::vector<litmus::Width>& widths) {
  if (options.capacity > kMaxCapacity) {
    return "capacity " + std::to_string(options.capacity) + ": must be 1 to " + std::to_string(kMaxCapacity) +
           " instances (0: as many as fit in the arena budget)";
  }
  MemoryLayout layout;
  const std::uint32_t slot = options.layout == LocationLayout::SeparateLines ? kCacheLine : 8;
  const std::size_t locations = test.locations.size();
  const std::uint64_t smallest_stride = std::max<std::uint64_t>(kCacheLine, round_up(locations * slot, kCacheLine));
  if (options.instance_stride != 0 &&
      (options.instance_stride % kCacheLine != 0 || options.instance_stride < smallest_stride)) {
    return "instance stride " + std::to_string(options.instance_stride) + ": must be a multiple of " +
           std::to_string(kCacheLine) + " bytes and at least " + std::to_string(smallest_stride) + " for this test";
  }
  layout.instance_stride =
      options.instance_stride != 0 ? options.instance_stride : static_cast<std::uint32_t>(smallest_stride);

  // A power of two, so that masking the instance index bounds it for the
  // verifier; with capacity 0, the largest whose arena fits the budget.
  std::uint32_t capacity = std::bit_ceil(std::max<std::uint32_t>(options.capacity, 1));
  if (options.capacity == 0) {
    const std::uint64_t budget = std::min(options.arena_budget, kMaxArenaBytes);
    while (capacity < kMaxCapacity &&
           std::bit_ceil(place_regions(layout, options, capacity * 2, results_per_instance, test.threads.size())) <=
               budget) {
      capacity *= 2;
    }
  }
  const std::uint64_t arena_bytes = place_regions(layout, options, capacity, results_per_instance, test.threads.size());
  const std::uint64_t masked_span = std::bit_ceil(arena_bytes);
  if (masked_span > kMaxArenaBytes) {
    return "capacity " + std::to_string(options.capacity) + ": " + std::to_string(capacity) + " instances need " +
           std::to_string(arena_bytes >> 20) + " MiB of arena; the verifier bounds variable offsets at 512 MiB";
  }
  layout.address_mask = masked_span - 1;
  layout.guard_bytes = kGuardBytes;
  layout.map_value_size = kGuardBytes + masked_span + kGuardBytes;

  layout.location_offsets.resize(locations);
  for (std::size_t j = 0; j < locations; ++j) layout.location_offsets[j] = static_cast<std::uint32_t>(j * slot);
  layout.instance_image.assign(locations == 0 ? 0 : (locations - 1) * slot + 8, 0);
  for (std::size_t j = 0; j < locations; ++j) {
    const auto& init = test.locations[j].init;
    const auto width = static_cast<std::uint32_t>(widths[j]);
    if (init.is_address) {
      const auto target = find_location(test, init.location);
      if (!target) return "location " + test.locations[j].name + " holds the address of unknown " + init.location;
      layout.address_inits.push_back(AddressInit{layout.location_offsets[j], widths[j], layout.location_offsets[*target]});
      continue;
    }
    // Little-endian, truncated to the location's width.
    const auto value = static_cast<std::uint64_t>(init.integer);
    for (std::uint32_t b = 0; b < width; ++b) {
      layout.instance_image[layout.location_offsets[j] + b] = static_cast<std::uint8_t>(value >> (8 * b));
    }
  }
  return layout;
}

}  // namespace bpf_litmus::codegen
