// Values as herd7 computes them for BPF: 64-bit integers and symbolic
// addresses (a location plus a byte offset), with herd7's rules for mixing
// the two (lib/symbValue.ml): `x + 4` is an address, `x - x` is 0, `x == 0`
// is false, `x & 1` is an error.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace bpf_litmus::model {

// A test that herd7 itself would reject while simulating it (an illegal
// operation on an address, an access through a non-address, an unknown label,
// an unsupported instruction). what() names the thread and the reason.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Val {
  enum class Kind : std::uint8_t { Int, Addr };
  Kind kind = Kind::Int;
  std::int64_t integer = 0;  // Int
  std::uint32_t symbol = 0;  // Addr: index into the LocationTable
  std::int64_t offset = 0;   // Addr: byte offset from the location

  [[nodiscard]] static Val of_int(std::int64_t v) { return Val{Kind::Int, v, 0, 0}; }
  [[nodiscard]] static Val of_addr(std::uint32_t s, std::int64_t off = 0) {
    return Val{Kind::Addr, 0, s, off};
  }
  [[nodiscard]] bool is_zero() const { return kind == Kind::Int && integer == 0; }
  friend bool operator==(const Val&, const Val&) = default;
};

// herd7's order of values: integers (numerically) before addresses (by
// location name, then offset). Symbols are indices into the name-sorted table,
// so comparing indices compares names.
[[nodiscard]] int compare(const Val& a, const Val& b);

// The operations of BPF instructions and conditions.
enum class Op : std::uint8_t { Add, Sub, Mul, Div, Mod, And, Or, Xor, Lsh, Rsh, Eq, Ne, Lt, Ge };

[[nodiscard]] Op to_op(litmus::AluOp op);  // throws ModelError for s>>= (herd7 lacks it)
[[nodiscard]] Op to_op(litmus::CondOp op);
[[nodiscard]] Op to_op(litmus::AtomicOp op);  // Add, And, Or, Xor only

// a op b on known values; comparisons give 1 or 0. Throws ModelError where
// herd7 reports an illegal operation (arithmetic on addresses, division by 0).
[[nodiscard]] Val apply(Op op, const Val& a, const Val& b);

// The shared locations of a test, sorted by name (herd7's order), with their
// initial values. Addresses refer to locations by index into this table.
struct LocationTable {
  std::vector<std::string> names;  // sorted
  std::vector<Val> initial;        // initial value of each location

  // Builds the table from the test's locations; throws ModelError when an
  // initial value names an unknown location.
  [[nodiscard]] static LocationTable of(const litmus::Test& test);
  // Index of name; throws ModelError when absent.
  [[nodiscard]] std::uint32_t index(const std::string& name) const;
  [[nodiscard]] Val value_of(const litmus::Value& v) const;
  [[nodiscard]] litmus::Value to_value(const Val& v) const;
  // herd7's spelling: `3`, `-1`, `x`, `x+4`.
  [[nodiscard]] std::string format(const Val& v) const;
};

}  // namespace bpf_litmus::model
