#include "runtime/histogram.hpp"

#include <algorithm>

namespace bpf_litmus::runtime {

namespace {
constexpr std::size_t kInitialSlots = 16;  // power of two

std::uint64_t hash_key(std::span<const std::uint64_t> key) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull;
  for (std::uint64_t w : key) {
    h ^= w + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
  }
  return h ^ (h >> 33);
}
}  // namespace

Histogram::Histogram(std::size_t key_words)
    : key_words_(key_words), keys_(kInitialSlots * key_words), counts_(kInitialSlots) {}

std::size_t Histogram::find_slot(std::span<const std::uint64_t> key, std::uint64_t hash) const {
  const std::size_t mask = counts_.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    if (counts_[s] == 0) return s;
    const std::uint64_t* stored = keys_.data() + s * key_words_;
    if (std::equal(key.begin(), key.end(), stored)) return s;  // inlined: keys are a few words
  }
}

void Histogram::add(std::span<const std::uint64_t> key, std::uint64_t count) {
  if (count == 0 || key.size() != key_words_) return;
  std::size_t s = find_slot(key, hash_key(key));
  if (counts_[s] == 0) {
    if (2 * (used_ + 1) > counts_.size()) {  // keep the load factor under 1/2
      grow();
      s = find_slot(key, hash_key(key));
    }
    std::copy(key.begin(), key.end(), keys_.begin() + static_cast<std::ptrdiff_t>(s * key_words_));
    ++used_;
  }
  counts_[s] += count;
  total_ += count;
}

void Histogram::grow() {
  Histogram bigger(key_words_);
  bigger.keys_.assign(counts_.size() * 2 * key_words_, 0);
  bigger.counts_.assign(counts_.size() * 2, 0);
  for (std::size_t s = 0; s < counts_.size(); ++s) {
    if (counts_[s] == 0) continue;
    std::span<const std::uint64_t> key(keys_.data() + s * key_words_, key_words_);
    const std::size_t t = bigger.find_slot(key, hash_key(key));
    std::copy(key.begin(), key.end(), bigger.keys_.begin() + static_cast<std::ptrdiff_t>(t * key_words_));
    bigger.counts_[t] = counts_[s];
  }
  keys_ = std::move(bigger.keys_);
  counts_ = std::move(bigger.counts_);
}

void Histogram::merge(const Histogram& other) {
  if (other.key_words_ != key_words_) return;
  for (std::size_t s = 0; s < other.counts_.size(); ++s) {
    if (other.counts_[s] == 0) continue;
    add({other.keys_.data() + s * key_words_, key_words_}, other.counts_[s]);
  }
}

std::uint64_t Histogram::count(std::span<const std::uint64_t> key) const {
  if (key.size() != key_words_) return 0;
  return counts_[find_slot(key, hash_key(key))];
}

std::vector<Histogram::Entry> Histogram::entries() const {
  std::vector<Entry> out;
  out.reserve(used_);
  for (std::size_t s = 0; s < counts_.size(); ++s) {
    if (counts_[s] == 0) continue;
    const auto first = keys_.begin() + static_cast<std::ptrdiff_t>(s * key_words_);
    out.push_back({{first, first + static_cast<std::ptrdiff_t>(key_words_)}, counts_[s]});
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  return out;
}

}  // namespace bpf_litmus::runtime
