// Structural equality of two parsed tests, source positions aside, naming the
// first difference. Shared by the round-trip tests and the parser fuzzer.
#pragma once

#include <string>
#include <type_traits>
#include <variant>

#include "litmus/ast.hpp"

namespace bpf_litmus::litmus::test_support {

namespace detail {

inline bool same(const Operand& a, const Operand& b) {
  return a.is_reg == b.is_reg && (a.is_reg ? a.reg == b.reg : a.imm == b.imm);
}

inline bool same(const Instruction& a, const Instruction& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&b](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, Mov>) {
          return x.dst == y.dst && same(x.src, y.src);
        } else if constexpr (std::is_same_v<T, Alu>) {
          return x.op == y.op && x.dst == y.dst && same(x.src, y.src);
        } else if constexpr (std::is_same_v<T, Load>) {
          return x.width == y.width && x.dst == y.dst && x.base == y.base && x.off == y.off &&
                 x.acquire == y.acquire;
        } else if constexpr (std::is_same_v<T, Store>) {
          return x.width == y.width && x.base == y.base && x.off == y.off && same(x.src, y.src) &&
                 x.release == y.release;
        } else if constexpr (std::is_same_v<T, Atomic>) {
          return x.op == y.op && x.width == y.width && x.base == y.base && x.off == y.off &&
                 x.src == y.src && x.fetch == y.fetch && x.written_dst == y.written_dst &&
                 x.written_expected == y.written_expected;
        } else if constexpr (std::is_same_v<T, Goto>) {
          return x.label == y.label;
        } else {
          return x.op == y.op && x.lhs == y.lhs && same(x.rhs, y.rhs) && x.label == y.label;
        }
      },
      a);
}

inline bool same(const Condition& a, const Condition& b) {
  if (a.kind != b.kind || a.operands.size() != b.operands.size()) return false;
  if (a.kind == Condition::Kind::Const && a.constant != b.constant) return false;
  if (a.kind == Condition::Kind::Atom &&
      !(a.atom.target == b.atom.target && a.atom.value == b.atom.value)) {
    return false;
  }
  for (std::size_t i = 0; i < a.operands.size(); ++i) {
    if (!same(a.operands[i], b.operands[i])) return false;
  }
  return true;
}

}  // namespace detail

// Returns "" when a and b are equal (positions and file aside), otherwise
// where they first differ, e.g. "threads[1].code[2].instruction".
inline std::string first_difference(const litmus::Test& a, const litmus::Test& b) {
  using detail::same;
  if (a.arch != b.arch) return "arch";
  if (a.name != b.name) return "name";
  if (a.doc != b.doc) return "doc";
  if (a.comments != b.comments) return "comments";
  if (a.locations.size() != b.locations.size()) return "locations.size()";
  for (std::size_t i = 0; i < a.locations.size(); ++i) {
    const Location& x = a.locations[i];
    const Location& y = b.locations[i];
    if (x.name != y.name || x.type != y.type || !(x.init == y.init)) {
      return "locations[" + std::to_string(i) + "]";
    }
  }
  if (a.register_inits.size() != b.register_inits.size()) return "register_inits.size()";
  for (std::size_t i = 0; i < a.register_inits.size(); ++i) {
    const RegisterInit& x = a.register_inits[i];
    const RegisterInit& y = b.register_inits[i];
    if (x.thread != y.thread || x.reg != y.reg || !(x.value == y.value)) {
      return "register_inits[" + std::to_string(i) + "]";
    }
  }
  if (a.threads.size() != b.threads.size()) return "threads.size()";
  for (std::size_t t = 0; t < a.threads.size(); ++t) {
    const std::string where = "threads[" + std::to_string(t) + "]";
    if (a.threads[t].id != b.threads[t].id) return where + ".id";
    if (a.threads[t].code.size() != b.threads[t].code.size()) return where + ".code.size()";
    for (std::size_t i = 0; i < a.threads[t].code.size(); ++i) {
      const Statement& x = a.threads[t].code[i];
      const Statement& y = b.threads[t].code[i];
      const std::string at = where + ".code[" + std::to_string(i) + "]";
      if (x.labels != y.labels) return at + ".labels";
      if (x.instruction.has_value() != y.instruction.has_value() ||
          (x.instruction && !same(*x.instruction, *y.instruction))) {
        return at + ".instruction";
      }
    }
  }
  if (a.extra_observed != b.extra_observed) return "extra_observed";
  if (a.quantifier != b.quantifier) return "quantifier";
  if (!same(a.condition, b.condition)) return "condition";
  return "";
}

}  // namespace bpf_litmus::litmus::test_support
