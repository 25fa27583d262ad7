#include "model/relation.hpp"

#include <bit>
#include <cassert>
#include <deque>

namespace bpf_litmus::model {
namespace {

constexpr std::size_t kWordBits = 64;

std::size_t words_for(std::size_t n) { return (n + kWordBits - 1) / kWordBits; }

std::uint64_t bit(std::size_t e) { return std::uint64_t{1} << (e % kWordBits); }

}  // namespace

// ---------------------------------------------------------------- EventSet

EventSet::EventSet(std::size_t n) : n_(n), words_(words_for(n), 0) {}

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

void EventSet::erase(std::size_t e) {
  assert(e < n_);
  words_[e / kWordBits] &= ~bit(e);
}

bool EventSet::empty() const {
  for (const std::uint64_t w : words_) {
    if (w != 0) return false;
  }
  return true;
}

std::size_t EventSet::count() const {
  std::size_t total = 0;
  for (const std::uint64_t w : words_) total += static_cast<std::size_t>(std::popcount(w));
  return total;
}

std::vector<std::size_t> EventSet::elements() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < words_.size(); ++i) {
    std::uint64_t w = words_[i];
    while (w != 0) {
      out.push_back(i * kWordBits + static_cast<std::size_t>(std::countr_zero(w)));
      w &= w - 1;
    }
  }
  return out;
}

EventSet& EventSet::operator|=(const EventSet& other) {
  assert(n_ == other.n_);
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
  return *this;
}

EventSet& EventSet::operator&=(const EventSet& other) {
  assert(n_ == other.n_);
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
  return *this;
}

EventSet& EventSet::operator-=(const EventSet& other) {
  assert(n_ == other.n_);
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= ~other.words_[i];
  return *this;
}

// ---------------------------------------------------------------- Relation

Relation::Relation(std::size_t n) : n_(n), stride_(words_for(n)), words_(n * words_for(n), 0) {}

Relation Relation::identity(std::size_t n) {
  Relation r(n);
  for (std::size_t e = 0; e < n; ++e) r.insert(e, e);
  return r;
}

Relation Relation::identity_on(const EventSet& s) {
  Relation r(s.universe());
  for (const std::size_t e : s.elements()) r.insert(e, e);
  return r;
}

Relation Relation::cartesian(const EventSet& a, const EventSet& b) {
  assert(a.universe() == b.universe());
  Relation r(a.universe());
  for (const std::size_t e : a.elements()) {
    std::uint64_t* dst = r.row(e);
    for (std::size_t w = 0; w < r.stride_; ++w) dst[w] = b.words_[w];
  }
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

void Relation::erase(std::size_t from, std::size_t to) {
  assert(from < n_ && to < n_);
  row(from)[to / kWordBits] &= ~bit(to);
}

bool Relation::empty() const {
  for (const std::uint64_t w : words_) {
    if (w != 0) return false;
  }
  return true;
}

EventSet Relation::successors(std::size_t from) const {
  EventSet s(n_);
  for (std::size_t w = 0; w < stride_; ++w) s.words_[w] = row(from)[w];
  return s;
}

std::vector<std::pair<std::size_t, std::size_t>> Relation::pairs() const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < n_; ++i) {
    for (const std::size_t j : successors(i).elements()) out.emplace_back(i, j);
  }
  return out;
}

Relation& Relation::operator|=(const Relation& other) {
  assert(n_ == other.n_);
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
  return *this;
}

Relation& Relation::operator&=(const Relation& other) {
  assert(n_ == other.n_);
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
  return *this;
}

Relation& Relation::operator-=(const Relation& other) {
  assert(n_ == other.n_);
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= ~other.words_[i];
  return *this;
}

Relation seq(const Relation& a, const Relation& b) {
  assert(a.n_ == b.n_);
  Relation r(a.n_);
  for (std::size_t i = 0; i < a.n_; ++i) {
    const std::uint64_t* src = a.row(i);
    std::uint64_t* dst = r.row(i);
    for (std::size_t w = 0; w < a.stride_; ++w) {
      std::uint64_t bits = src[w];
      while (bits != 0) {
        const std::size_t j = w * kWordBits + static_cast<std::size_t>(std::countr_zero(bits));
        bits &= bits - 1;
        const std::uint64_t* via = b.row(j);
        for (std::size_t k = 0; k < a.stride_; ++k) dst[k] |= via[k];
      }
    }
  }
  return r;
}

Relation Relation::inverse() const {
  Relation r(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    for (const std::size_t j : successors(i).elements()) r.insert(j, i);
  }
  return r;
}

Relation Relation::plus() const {
  // Warshall's algorithm on bit rows.
  Relation r = *this;
  for (std::size_t k = 0; k < n_; ++k) {
    const std::uint64_t kbit = bit(k);
    const std::size_t kword = k / kWordBits;
    for (std::size_t i = 0; i < n_; ++i) {
      if ((r.row(i)[kword] & kbit) == 0) continue;
      std::uint64_t* dst = r.row(i);
      const std::uint64_t* via = r.row(k);
      for (std::size_t w = 0; w < stride_; ++w) dst[w] |= via[w];
    }
  }
  return r;
}

Relation Relation::star() const { return plus() | identity(n_); }

Relation Relation::opt() const { return *this | identity(n_); }

Relation Relation::restrict(const EventSet& a, const EventSet& b) const {
  assert(a.universe() == n_ && b.universe() == n_);
  Relation r(n_);
  for (const std::size_t i : a.elements()) {
    for (std::size_t w = 0; w < stride_; ++w) r.row(i)[w] = row(i)[w] & b.words_[w];
  }
  return r;
}

EventSet Relation::domain() const {
  EventSet s(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    for (std::size_t w = 0; w < stride_; ++w) {
      if (row(i)[w] != 0) {
        s.insert(i);
        break;
      }
    }
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
  // Kahn's algorithm: repeatedly remove events without predecessors.
  std::vector<std::size_t> indegree(n_, 0);
  for (std::size_t i = 0; i < n_; ++i) {
    for (const std::size_t j : successors(i).elements()) ++indegree[j];
  }
  std::vector<std::size_t> ready;
  for (std::size_t i = 0; i < n_; ++i) {
    if (indegree[i] == 0) ready.push_back(i);
  }
  std::size_t removed = 0;
  while (!ready.empty()) {
    const std::size_t i = ready.back();
    ready.pop_back();
    ++removed;
    for (const std::size_t j : successors(i).elements()) {
      if (--indegree[j] == 0) ready.push_back(j);
    }
  }
  return removed == n_;
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

std::optional<std::vector<std::size_t>> Relation::find_path(std::size_t from,
                                                            std::size_t to) const {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> parent(n_, kNone);
  std::vector<bool> seen(n_, false);
  std::deque<std::size_t> queue;
  for (const std::size_t j : successors(from).elements()) {
    if (seen[j]) continue;
    seen[j] = true;
    parent[j] = from;
    queue.push_back(j);
  }
  while (!queue.empty()) {
    const std::size_t i = queue.front();
    queue.pop_front();
    if (i == to) {
      std::vector<std::size_t> path{to};
      std::size_t at = parent[to];
      while (at != from) {
        path.push_back(at);
        at = parent[at];
      }
      path.push_back(from);
      return std::vector<std::size_t>(path.rbegin(), path.rend());
    }
    for (const std::size_t j : successors(i).elements()) {
      if (seen[j]) continue;
      seen[j] = true;
      parent[j] = i;
      queue.push_back(j);
    }
  }
  return std::nullopt;
}

}  // namespace bpf_litmus::model
