#include "codegen/layout.hpp"

#include <bit>

#include "codegen/analysis.hpp"

namespace bpf_litmus::codegen {
namespace {

constexpr std::uint64_t round_up(std::uint64_t value, std::uint64_t to) { return (value + to - 1) / to * to; }
constexpr std::uint64_t kPage = 4096;

}  // namespace

std::variant<MemoryLayout, std::string> plan_layout(const litmus::Test& test, const CodegenOptions& options,
                                                    std::uint32_t results_per_instance,
                                                    const std::vector<litmus::Width>& widths) {
  if (options.capacity == 0 || options.capacity > kMaxCapacity) {
    return "capacity " + std::to_string(options.capacity) + ": must be 1 to " + std::to_string(kMaxCapacity) +
           " instances";
  }
  MemoryLayout layout;
  // A power of two, so that masking the instance index bounds it for the verifier.
  layout.capacity = std::bit_ceil(options.capacity);
  const std::uint64_t capacity = layout.capacity;

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

  layout.thread_state_offset = round_up(sizeof(ControlBlock), kCacheLine);
  layout.barriers_offset = round_up(layout.thread_state_offset + std::uint64_t{kMaxThreads} * kThreadStateBytes, kPage);
  layout.barrier_stride = options.sync == SyncMode::Spin ? kPrefetchPair : 0;
  std::uint64_t next = round_up(layout.barriers_offset + capacity * layout.barrier_stride, kPage);
  if (options.permute_instances) {
    layout.permutation_offset = next;
    next = round_up(next + capacity * sizeof(std::uint32_t), kPage);
  }
  layout.instances_offset = next;
  layout.results_offset = round_up(layout.instances_offset + capacity * layout.instance_stride, kPage);
  layout.results_per_instance = results_per_instance;
  layout.results_thread_stride = round_up(capacity * results_per_instance * 8, kPage);
  const std::uint64_t arena_bytes = layout.results_offset + test.threads.size() * layout.results_thread_stride;
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
