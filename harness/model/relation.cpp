#include "model/relation.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <deque>

namespace bpf_litmus::model {
namespace {

constexpr std::size_t kWordBits = 64;

std::size_t words_for(std::size_t n) { return (n + kWordBits - 1) / kWordBits; }

std::uint64_t bit(std::size_t e) { return std::uint64_t{1} << (e % kWordBits); }

// Calls f(e) for every bit e set in words[0..count).
template <typename F>
void for_each_bit(const std::uint64_t* words, std::size_t count, F&& f) {
  for (std::size_t w = 0; w < count; ++w) {
    std::uint64_t bits = words[w];
    while (bits != 0) {
      f(w * kWordBits + static_cast<std::size_t>(std::countr_zero(bits)));
      bits &= bits - 1;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- Bits

Bits::Bits(std::size_t words) : size_(words) {
  if (words > kInlineWords) heap_.assign(words, 0);
}

Bits::Bits(const Bits& other) : size_(other.size_), heap_(other.heap_) {
  if (heap_.empty()) std::copy_n(other.inline_.data(), size_, inline_.data());
}

Bits& Bits::operator=(const Bits& other) {
  if (this == &other) return *this;
  size_ = other.size_;
  heap_ = other.heap_;
  if (heap_.empty()) std::copy_n(other.inline_.data(), size_, inline_.data());
  return *this;
}

Bits::Bits(Bits&& other) noexcept : size_(other.size_), heap_(std::move(other.heap_)) {
  if (heap_.empty()) std::copy_n(other.inline_.data(), size_, inline_.data());
}

Bits& Bits::operator=(Bits&& other) noexcept {
  size_ = other.size_;
  heap_ = std::move(other.heap_);
  if (heap_.empty()) std::copy_n(other.inline_.data(), size_, inline_.data());
  return *this;
}

bool operator==(const Bits& a, const Bits& b) {
  return a.size_ == b.size_ && std::equal(a.data(), a.data() + a.size_, b.data());
}

// ---------------------------------------------------------------- EventSet

EventSet::EventSet(std::size_t n) : n_(n), words_(words_for(n)) {}

EventSet EventSet::all(std::size_t n) {
  EventSet s(n);
  for (std::size_t e = 0; e < n; ++e) s.insert(e);
  return s;
}

bool EventSet::contains(std::size_t e) const {
  assert(e < n_);
  return (words_[e / kWordBits] & bit(e)) != 0;
}

void EventSet::insert(std::size_t e) {
  assert(e < n_);
  words_[e / kWordBits] |= bit(e);
}

bool EventSet::empty() const {
  return std::all_of(words_.data(), words_.data() + words_.size(), [](std::uint64_t w) { return w == 0; });
}

std::size_t EventSet::count() const {
  std::size_t total = 0;
  for (std::size_t w = 0; w < words_.size(); ++w) total += static_cast<std::size_t>(std::popcount(words_[w]));
  return total;
}

std::vector<std::size_t> EventSet::elements() const {
  std::vector<std::size_t> out;
  for_each_bit(words_.data(), words_.size(), [&](std::size_t e) { out.push_back(e); });
  return out;
}

EventSet& EventSet::operator|=(const EventSet& other) {
  assert(n_ == other.n_);
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] |= other.words_[w];
  return *this;
}

EventSet& EventSet::operator&=(const EventSet& other) {
  assert(n_ == other.n_);
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= other.words_[w];
  return *this;
}

EventSet& EventSet::operator-=(const EventSet& other) {
  assert(n_ == other.n_);
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= ~other.words_[w];
  return *this;
}

// ---------------------------------------------------------------- Relation

Relation::Relation(std::size_t n) : n_(n), stride_(words_for(n)), words_(n * words_for(n)) {}

Relation Relation::identity(std::size_t n) {
  Relation r(n);
  for (std::size_t e = 0; e < n; ++e) r.insert(e, e);
  return r;
}

Relation Relation::identity_on(const EventSet& s) {
  Relation r(s.universe());
  for_each_bit(s.words_.data(), s.words_.size(), [&](std::size_t e) { r.insert(e, e); });
  return r;
}

Relation Relation::cartesian(const EventSet& a, const EventSet& b) {
  assert(a.universe() == b.universe());
  Relation r(a.universe());
  for_each_bit(a.words_.data(), a.words_.size(),
               [&](std::size_t e) { std::copy_n(b.words_.data(), r.stride_, r.row(e)); });
  return r;
}

bool Relation::contains(std::size_t from, std::size_t to) const {
  assert(from < n_ && to < n_);
  return (row(from)[to / kWordBits] & bit(to)) != 0;
}

void Relation::insert(std::size_t from, std::size_t to) {
  assert(from < n_ && to < n_);
  row(from)[to / kWordBits] |= bit(to);
}

bool Relation::empty() const {
  return std::all_of(words_.data(), words_.data() + words_.size(), [](std::uint64_t w) { return w == 0; });
}

EventSet Relation::successors(std::size_t from) const {
  EventSet s(n_);
  std::copy_n(row(from), stride_, s.words_.data());
  return s;
}

std::vector<std::pair<std::size_t, std::size_t>> Relation::pairs() const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < n_; ++i) {
    for_each_bit(row(i), stride_, [&](std::size_t j) { out.emplace_back(i, j); });
  }
  return out;
}

Relation& Relation::operator|=(const Relation& other) {
  assert(n_ == other.n_);
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] |= other.words_[w];
  return *this;
}

Relation& Relation::operator&=(const Relation& other) {
  assert(n_ == other.n_);
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= other.words_[w];
  return *this;
}

Relation& Relation::operator-=(const Relation& other) {
  assert(n_ == other.n_);
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= ~other.words_[w];
  return *this;
}

Relation seq(const Relation& a, const Relation& b) {
  assert(a.n_ == b.n_);
  Relation r(a.n_);
  for (std::size_t i = 0; i < a.n_; ++i) {
    std::uint64_t* dst = r.row(i);
    for_each_bit(a.row(i), a.stride_, [&](std::size_t j) {
      const std::uint64_t* via = b.row(j);
      for (std::size_t w = 0; w < a.stride_; ++w) dst[w] |= via[w];
    });
  }
  return r;
}

Relation Relation::inverse() const {
  Relation r(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    for_each_bit(row(i), stride_, [&](std::size_t j) { r.insert(j, i); });
  }
  return r;
}

Relation Relation::plus() const {
  // Warshall's algorithm on bit rows.
  Relation r = *this;
  for (std::size_t k = 0; k < n_; ++k) {
    const std::uint64_t kbit = bit(k);
    const std::size_t kword = k / kWordBits;
    const std::uint64_t* via = r.row(k);
    for (std::size_t i = 0; i < n_; ++i) {
      std::uint64_t* dst = r.row(i);
      if ((dst[kword] & kbit) == 0) continue;
      for (std::size_t w = 0; w < stride_; ++w) dst[w] |= via[w];
    }
  }
  return r;
}

Relation Relation::star() const {
  Relation r = plus();
  for (std::size_t e = 0; e < n_; ++e) r.insert(e, e);
  return r;
}

Relation Relation::opt() const {
  Relation r = *this;
  for (std::size_t e = 0; e < n_; ++e) r.insert(e, e);
  return r;
}

Relation Relation::restrict(const EventSet& a, const EventSet& b) const {
  assert(a.universe() == n_ && b.universe() == n_);
  Relation r(n_);
  for_each_bit(a.words_.data(), a.words_.size(), [&](std::size_t i) {
    for (std::size_t w = 0; w < stride_; ++w) r.row(i)[w] = row(i)[w] & b.words_[w];
  });
  return r;
}

EventSet Relation::domain() const {
  EventSet s(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    if (std::any_of(row(i), row(i) + stride_, [](std::uint64_t w) { return w != 0; })) s.insert(i);
  }
  return s;
}

EventSet Relation::range() const {
  EventSet s(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    for (std::size_t w = 0; w < stride_; ++w) s.words_[w] |= row(i)[w];
  }
  return s;
}

bool Relation::irreflexive() const {
  for (std::size_t i = 0; i < n_; ++i) {
    if (contains(i, i)) return false;
  }
  return true;
}

bool Relation::acyclic() const {
  // Peel off, round after round, the events no remaining event points to;
  // a cycle is what can never be peeled.
  EventSet remaining = EventSet::all(n_);
  EventSet pointed(n_);
  for (;;) {
    std::fill_n(pointed.words_.data(), stride_, 0);
    for_each_bit(remaining.words_.data(), stride_, [&](std::size_t i) {
      for (std::size_t w = 0; w < stride_; ++w) pointed.words_[w] |= row(i)[w];
    });
    pointed &= remaining;
    if (pointed == remaining) return remaining.empty();
    remaining = pointed;
  }
}

std::optional<std::vector<std::size_t>> Relation::find_cycle() const {
  // A cycle through e exists iff e reaches itself; take the shortest such.
  std::optional<std::vector<std::size_t>> best;
  for (std::size_t e = 0; e < n_; ++e) {
    auto path = find_path(e, e);
    if (path && (!best || path->size() < best->size())) best = std::move(path);
  }
  if (best) best->pop_back();  // the path repeats its start at the end
  return best;
}

std::optional<std::vector<std::size_t>> Relation::find_path(std::size_t from, std::size_t to) const {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> parent(n_, kNone);
  std::vector<bool> seen(n_, false);
  std::deque<std::size_t> queue;
  const auto discover = [&](std::size_t at) {
    for_each_bit(row(at), stride_, [&](std::size_t j) {
      if (seen[j]) return;
      seen[j] = true;
      parent[j] = at;
      queue.push_back(j);
    });
  };
  discover(from);
  while (!queue.empty()) {
    const std::size_t i = queue.front();
    queue.pop_front();
    if (i == to) {
      std::vector<std::size_t> path{to};
      for (std::size_t at = parent[to]; at != from; at = parent[at]) path.push_back(at);
      path.push_back(from);
      return std::vector<std::size_t>(path.rbegin(), path.rend());
    }
    discover(i);
  }
  return std::nullopt;
}

}  // namespace bpf_litmus::model
