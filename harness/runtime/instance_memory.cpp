// Instance memory between launches: reset each instance to its initial
// image and read what it observed, in one pass that the runner threads share.
#include <algorithm>
#include <cstring>

#include "runtime/detail.hpp"

namespace bpf_litmus::runtime::detail {

namespace {

std::uint64_t width_mask(std::size_t bytes) { return bytes >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * bytes)) - 1; }

}  // namespace

InstanceAccess::InstanceAccess(const LoadedTest::Impl& test)
    : arena_(test.arena->arena()),
      instances_offset_(test.layout.instances_offset),
      stride_(test.layout.instance_stride),
      index_mask_(test.layout.capacity - 1),
      readers_(test.observed) {
  const auto& layout = test.layout;
  if (layout.permutation_offset != 0) {
    permutation_ = reinterpret_cast<const std::uint32_t*>(arena_ + layout.permutation_offset);
  }
  // Whole words: the loader checked that the stride is a multiple of 8 and
  // holds the image, so the padding stays inside the instance.
  image_words_.assign((layout.instance_image.size() + 7) / 8, 0);
  if (!layout.instance_image.empty()) {
    std::memcpy(image_words_.data(), layout.instance_image.data(), layout.instance_image.size());
  }
  for (const auto& init : layout.address_inits) {
    // Location slots are 8-byte aligned: an address word never straddles two.
    address_words_.push_back({init.offset / 8, init.target_offset, width_mask(static_cast<std::size_t>(init.width))});
  }
}

void collect_and_reset(const InstanceAccess& access, std::uint64_t begin, std::uint64_t end, std::uint64_t collect,
                       std::uint64_t reset, Histogram& histogram) {
  const std::size_t words = access.key_words();
  // Consecutive instances mostly see the same state: count runs of equal keys
  // and touch the hash table once per run.
  std::vector<std::uint64_t> buffers(2 * words);
  std::uint64_t* run_key = buffers.data();
  std::uint64_t* key = run_key + words;
  std::uint64_t run_length = 0;
  const auto flush = [&] {
    if (run_length != 0) histogram.add({run_key, words}, run_length);
  };
  const std::uint64_t collect_end = std::min(end, collect);
  for (std::uint64_t i = begin; i < end; ++i) {
    if (i < collect_end) {
      access.read(i, key);
      bool same = run_length != 0;
      for (std::size_t k = 0; k < words && same; ++k) same = key[k] == run_key[k];
      if (same) {
        ++run_length;
      } else {
        flush();
        std::swap(run_key, key);
        run_length = 1;
      }
    }
    if (i < reset) access.reset(i);
  }
  flush();
}

}  // namespace bpf_litmus::runtime::detail
