// Dense bit-matrix sets and relations over the events 0..n-1 of one candidate
// execution: the algebra every memory model is written in (herd7's cat
// operators: | & \ ; ^-1 + * ? [S] domain range, acyclic, empty).
//
// Sizes are fixed at construction; combining operands of different sizes is a
// programming error (checked by assert).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace bpf_litmus::model {

// Bit storage kept inline up to kInlineWords words (a relation on 64 events),
// on the heap beyond: candidate executions are small and checked by the
// million, so their relations must not allocate.
class Bits {
 public:
  static constexpr std::size_t kInlineWords = 64;

  Bits() = default;
  explicit Bits(std::size_t words);
  Bits(const Bits& other);
  Bits& operator=(const Bits& other);
  Bits(Bits&& other) noexcept;
  Bits& operator=(Bits&& other) noexcept;
  ~Bits() = default;

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::uint64_t* data() { return heap_.empty() ? inline_.data() : heap_.data(); }
  [[nodiscard]] const std::uint64_t* data() const { return heap_.empty() ? inline_.data() : heap_.data(); }
  [[nodiscard]] std::uint64_t& operator[](std::size_t i) { return data()[i]; }
  [[nodiscard]] std::uint64_t operator[](std::size_t i) const { return data()[i]; }
  friend bool operator==(const Bits& a, const Bits& b);

 private:
  std::size_t size_ = 0;
  std::array<std::uint64_t, kInlineWords> inline_{};
  std::vector<std::uint64_t> heap_;
};

// A set of events.
class EventSet {
 public:
  EventSet() = default;
  // The empty set over a universe of n events.
  explicit EventSet(std::size_t n);
  // Every event of a universe of n events.
  [[nodiscard]] static EventSet all(std::size_t n);

  [[nodiscard]] std::size_t universe() const { return n_; }
  [[nodiscard]] bool contains(std::size_t e) const;
  void insert(std::size_t e);
  [[nodiscard]] bool empty() const;
  [[nodiscard]] std::size_t count() const;
  // The members in increasing order.
  [[nodiscard]] std::vector<std::size_t> elements() const;

  EventSet& operator|=(const EventSet& other);
  EventSet& operator&=(const EventSet& other);
  EventSet& operator-=(const EventSet& other);
  friend EventSet operator|(EventSet a, const EventSet& b) { return a |= b; }
  friend EventSet operator&(EventSet a, const EventSet& b) { return a &= b; }
  friend EventSet operator-(EventSet a, const EventSet& b) { return a -= b; }
  friend bool operator==(const EventSet&, const EventSet&) = default;

 private:
  friend class Relation;
  std::size_t n_ = 0;
  Bits words_;
};

// A binary relation on events.
class Relation {
 public:
  Relation() = default;
  // The empty relation over a universe of n events.
  explicit Relation(std::size_t n);
  // id
  [[nodiscard]] static Relation identity(std::size_t n);
  // [S]: the identity restricted to s.
  [[nodiscard]] static Relation identity_on(const EventSet& s);
  // A * B
  [[nodiscard]] static Relation cartesian(const EventSet& a, const EventSet& b);

  [[nodiscard]] std::size_t universe() const { return n_; }
  [[nodiscard]] bool contains(std::size_t from, std::size_t to) const;
  void insert(std::size_t from, std::size_t to);
  [[nodiscard]] bool empty() const;
  // The events that `from` is related to.
  [[nodiscard]] EventSet successors(std::size_t from) const;
  // All pairs, ordered by source then target.
  [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> pairs() const;

  Relation& operator|=(const Relation& other);
  Relation& operator&=(const Relation& other);
  Relation& operator-=(const Relation& other);
  friend Relation operator|(Relation a, const Relation& b) { return a |= b; }
  friend Relation operator&(Relation a, const Relation& b) { return a &= b; }
  friend Relation operator-(Relation a, const Relation& b) { return a -= b; }
  friend bool operator==(const Relation&, const Relation&) = default;

  // r^-1
  [[nodiscard]] Relation inverse() const;
  // r+
  [[nodiscard]] Relation plus() const;
  // r* (r+ | id)
  [[nodiscard]] Relation star() const;
  // r? (r | id)
  [[nodiscard]] Relation opt() const;
  // [a] ; r ; [b]
  [[nodiscard]] Relation restrict(const EventSet& a, const EventSet& b) const;
  [[nodiscard]] EventSet domain() const;
  [[nodiscard]] EventSet range() const;
  [[nodiscard]] bool irreflexive() const;
  [[nodiscard]] bool acyclic() const;
  // Some cycle e0 -> e1 -> ... -> ek -> e0 (returned as e0..ek), if any.
  [[nodiscard]] std::optional<std::vector<std::size_t>> find_cycle() const;
  // A shortest path from -> ... -> to of at least one edge (returned with both ends).
  [[nodiscard]] std::optional<std::vector<std::size_t>> find_path(std::size_t from,
                                                                  std::size_t to) const;

 private:
  friend Relation seq(const Relation& a, const Relation& b);
  [[nodiscard]] const std::uint64_t* row(std::size_t i) const { return words_.data() + i * stride_; }
  [[nodiscard]] std::uint64_t* row(std::size_t i) { return words_.data() + i * stride_; }

  std::size_t n_ = 0;
  std::size_t stride_ = 0;  // words per row
  Bits words_;
};

// a ; b
[[nodiscard]] Relation seq(const Relation& a, const Relation& b);

}  // namespace bpf_litmus::model
