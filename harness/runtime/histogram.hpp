// Counts of observed value vectors: every key has the same number of u64
// words (one per CompiledTest::observed slot). Open addressing over flat
// arrays, so counting an instance allocates nothing unless its key is new.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace bpf_litmus::runtime {

class Histogram {
 public:
  explicit Histogram(std::size_t key_words = 0);

  // Adds `count` observations of `key` (key.size() must equal key_words()).
  void add(std::span<const std::uint64_t> key, std::uint64_t count = 1);
  // Adds every entry of `other` (same key_words()).
  void merge(const Histogram& other);

  // How often `key` was observed (0 if never).
  std::uint64_t count(std::span<const std::uint64_t> key) const;
  std::size_t key_words() const { return key_words_; }
  std::size_t distinct() const { return used_; }
  std::uint64_t total() const { return total_; }

  struct Entry {
    std::vector<std::uint64_t> key;
    std::uint64_t count = 0;
  };
  // All entries, sorted by key.
  std::vector<Entry> entries() const;

 private:
  std::size_t find_slot(std::span<const std::uint64_t> key, std::uint64_t hash) const;
  void grow();

  std::size_t key_words_;
  std::vector<std::uint64_t> keys_;    // slot s: words [s*key_words_, (s+1)*key_words_)
  std::vector<std::uint64_t> counts_;  // 0: empty slot
  std::size_t used_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace bpf_litmus::runtime
