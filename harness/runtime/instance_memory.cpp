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

void InstanceAccess::reset(std::uint64_t i) const {
  const std::uint64_t base = instances_offset_ + memory_index(i) * stride_;
  auto* words = reinterpret_cast<std::uint64_t*>(arena_ + base);
  for (std::size_t w = 0; w < image_words_.size(); ++w) words[w] = image_words_[w];
  for (const auto& address : address_words_) {
    words[address.word] = (image_words_[address.word] & ~address.mask) | ((base + address.target) & address.mask);
  }
}

void InstanceAccess::read(std::uint64_t i, std::uint64_t* key) const {
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

void collect_and_reset(const InstanceAccess& access, std::uint64_t begin, std::uint64_t end, std::uint64_t collect,
                       std::uint64_t reset, Histogram& histogram) {
  const std::size_t words = access.key_words();
  // Consecutive instances mostly see the same state: count runs of equal keys
  // and touch the hash table once per run.
  std::vector<std::uint64_t> run_key(words), key(words);
  std::uint64_t run_length = 0;
  const std::uint64_t collect_end = std::min(end, collect);
  for (std::uint64_t i = begin; i < end; ++i) {
    if (i < collect_end) {
      access.read(i, key.data());
      if (run_length != 0 && std::equal(key.begin(), key.end(), run_key.begin())) {
        ++run_length;
      } else {
        if (run_length != 0) histogram.add(run_key, run_length);
        run_key.swap(key);
        run_length = 1;
      }
    }
    if (i < reset) access.reset(i);
  }
  if (run_length != 0) histogram.add(run_key, run_length);
}

}  // namespace bpf_litmus::runtime::detail
