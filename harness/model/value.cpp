#include "model/value.hpp"

#include <algorithm>
#include <limits>

namespace bpf_litmus::model {
namespace {

const char* spelling(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::And: return "&";
    case Op::Or: return "|";
    case Op::Xor: return "^";
    case Op::Lsh: return "<<";
    case Op::Rsh: return ">>";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Ge: return ">=";
  }
  return "?";
}

[[noreturn]] void illegal(Op op) {
  throw ModelError(std::string("illegal operation `") + spelling(op) +
                   "` on an address (herd7 rejects it)");
}

// Two's-complement wrap-around arithmetic, as OCaml's Int64.
std::int64_t wrap(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t bits(std::int64_t v) { return static_cast<std::uint64_t>(v); }

Val integer_op(Op op, std::int64_t a, std::int64_t b) {
  switch (op) {
    case Op::Add: return Val::of_int(wrap(bits(a) + bits(b)));
    case Op::Sub: return Val::of_int(wrap(bits(a) - bits(b)));
    case Op::Mul: return Val::of_int(wrap(bits(a) * bits(b)));
    case Op::Div:
    case Op::Mod:
      if (b == 0) throw ModelError("division by zero");
      if (a == std::numeric_limits<std::int64_t>::min() && b == -1) {
        return Val::of_int(op == Op::Div ? a : 0);
      }
      return Val::of_int(op == Op::Div ? a / b : a % b);
    case Op::And: return Val::of_int(a & b);
    case Op::Or: return Val::of_int(a | b);
    case Op::Xor: return Val::of_int(a ^ b);
    // Shift counts are taken modulo 64, as the 64-bit machine does.
    case Op::Lsh: return Val::of_int(wrap(bits(a) << (bits(b) & 63)));
    case Op::Rsh: return Val::of_int(wrap(bits(a) >> (bits(b) & 63)));
    case Op::Eq: return Val::of_int(a == b ? 1 : 0);
    case Op::Ne: return Val::of_int(a != b ? 1 : 0);
    case Op::Lt: return Val::of_int(a < b ? 1 : 0);
    case Op::Ge: return Val::of_int(a >= b ? 1 : 0);
  }
  return Val::of_int(0);
}

}  // namespace

int compare(const Val& a, const Val& b) {
  if (a.kind != b.kind) return a.kind == Val::Kind::Int ? -1 : 1;
  if (a.kind == Val::Kind::Int) return a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
  if (a.symbol != b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return a.offset < b.offset ? -1 : (a.offset > b.offset ? 1 : 0);
}

Op to_op(litmus::AluOp op) {
  switch (op) {
    case litmus::AluOp::Add: return Op::Add;
    case litmus::AluOp::Sub: return Op::Sub;
    case litmus::AluOp::Mul: return Op::Mul;
    case litmus::AluOp::Div: return Op::Div;
    case litmus::AluOp::Mod: return Op::Mod;
    case litmus::AluOp::And: return Op::And;
    case litmus::AluOp::Or: return Op::Or;
    case litmus::AluOp::Xor: return Op::Xor;
    case litmus::AluOp::Lsh: return Op::Lsh;
    case litmus::AluOp::Rsh: return Op::Rsh;
    case litmus::AluOp::Arsh: break;
  }
  throw ModelError("BPF operation s>>= is not implemented by herd7");
}

Op to_op(litmus::CondOp op) {
  switch (op) {
    case litmus::CondOp::Eq: return Op::Eq;
    case litmus::CondOp::Ne: return Op::Ne;
    case litmus::CondOp::Lt: return Op::Lt;
    case litmus::CondOp::Ge: return Op::Ge;
  }
  return Op::Eq;
}

Op to_op(litmus::AtomicOp op) {
  switch (op) {
    case litmus::AtomicOp::Add: return Op::Add;
    case litmus::AtomicOp::And: return Op::And;
    case litmus::AtomicOp::Or: return Op::Or;
    case litmus::AtomicOp::Xor: return Op::Xor;
    case litmus::AtomicOp::Xchg:
    case litmus::AtomicOp::Cmpxchg: break;
  }
  throw ModelError("xchg and cmpxchg have no arithmetic operation");
}

Val apply(Op op, const Val& a, const Val& b) {
  const bool ints = a.kind == Val::Kind::Int && b.kind == Val::Kind::Int;
  switch (op) {
    case Op::Add:
    case Op::Or:
      if (a.is_zero()) return b;
      if (b.is_zero()) return a;
      if (ints) return integer_op(op, a.integer, b.integer);
      if (op == Op::Add && a.kind != b.kind) {
        const Val& addr = a.kind == Val::Kind::Addr ? a : b;
        const Val& delta = a.kind == Val::Kind::Addr ? b : a;
        return Val::of_addr(addr.symbol, wrap(bits(addr.offset) + bits(delta.integer)));
      }
      illegal(op);
    case Op::Sub:
      if (ints) return integer_op(op, a.integer, b.integer);
      if (a.kind == Val::Kind::Addr && b.kind == Val::Kind::Addr) return Val::of_int(compare(a, b));
      if (a.kind == Val::Kind::Addr) {
        return Val::of_addr(a.symbol, wrap(bits(a.offset) - bits(b.integer)));
      }
      illegal(op);
    case Op::Xor:
      if (a == b) return Val::of_int(0);
      if (ints) return integer_op(op, a.integer, b.integer);
      illegal(op);
    case Op::Eq:
    case Op::Ne: {
      const bool equal = a == b;
      return Val::of_int((op == Op::Eq) == equal ? 1 : 0);
    }
    case Op::Lt:
      if (ints) return integer_op(op, a.integer, b.integer);
      // herd7 compares addresses with 0 only: an address is above 0.
      if (a.kind == Val::Kind::Addr && b.is_zero()) return Val::of_int(0);
      if (a.is_zero() && b.kind == Val::Kind::Addr) return Val::of_int(1);
      illegal(op);
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
    case Op::And:
    case Op::Lsh:
    case Op::Rsh:
    case Op::Ge:
      if (ints) return integer_op(op, a.integer, b.integer);
      illegal(op);
  }
  illegal(op);
}

LocationTable LocationTable::of(const litmus::Test& test) {
  LocationTable table;
  for (const litmus::Location& location : test.locations) table.names.push_back(location.name);
  std::sort(table.names.begin(), table.names.end());
  table.names.erase(std::unique(table.names.begin(), table.names.end()), table.names.end());
  table.initial.assign(table.names.size(), Val::of_int(0));
  for (const litmus::Location& location : test.locations) {
    table.initial[table.index(location.name)] = table.value_of(location.init);
  }
  return table;
}

std::uint32_t LocationTable::index(const std::string& name) const {
  const auto it = std::lower_bound(names.begin(), names.end(), name);
  if (it == names.end() || *it != name) throw ModelError("unknown location " + name);
  return static_cast<std::uint32_t>(it - names.begin());
}

Val LocationTable::value_of(const litmus::Value& v) const {
  return v.is_address ? Val::of_addr(index(v.location)) : Val::of_int(v.integer);
}

litmus::Value LocationTable::to_value(const Val& v) const {
  litmus::Value out;
  if (v.kind == Val::Kind::Int) {
    out.integer = v.integer;
  } else {
    out.is_address = true;
    out.location = format(v);
  }
  return out;
}

std::string LocationTable::format(const Val& v) const {
  if (v.kind == Val::Kind::Int) return std::to_string(v.integer);
  std::string s = names.at(v.symbol);
  if (v.offset != 0) s += "+" + std::to_string(v.offset);
  return s;
}

}  // namespace bpf_litmus::model
