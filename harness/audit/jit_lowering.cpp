#include "audit/jit_lowering.hpp"

#include <array>

namespace bpf_litmus::audit {
namespace {

constexpr std::array<BpfPrimitive, 36> kAudited = [] {
  std::array<BpfPrimitive, 36> list{};
  std::size_t n = 0;
  for (const BpfOp op : {BpfOp::Load, BpfOp::Store, BpfOp::LoadAcquire, BpfOp::StoreRelease}) {
    for (const unsigned bytes : {1u, 2u, 4u, 8u}) list[n++] = {op, bytes, false};
  }
  for (const BpfOp op : {BpfOp::Add, BpfOp::And, BpfOp::Or, BpfOp::Xor}) {
    for (const bool fetch : {false, true}) {
      for (const unsigned bytes : {4u, 8u}) list[n++] = {op, bytes, fetch};
    }
  }
  for (const BpfOp op : {BpfOp::Xchg, BpfOp::Cmpxchg}) {
    for (const unsigned bytes : {4u, 8u}) list[n++] = {op, bytes, true};
  }
  return list;
}();

std::string_view alu_name(BpfOp op) {
  switch (op) {
    case BpfOp::Add: return "add";
    case BpfOp::And: return "and";
    case BpfOp::Or: return "or";
    case BpfOp::Xor: return "xor";
    default: return "?";
  }
}

}  // namespace

std::string primitive_name(BpfPrimitive primitive) {
  const std::string width = " u" + std::to_string(primitive.bytes * 8);
  const bool wide = primitive.bytes == 8;
  switch (primitive.op) {
    case BpfOp::Load: return "load" + width;
    case BpfOp::Store: return "store" + width;
    case BpfOp::LoadAcquire: return "load_acquire" + width;
    case BpfOp::StoreRelease: return "store_release" + width;
    case BpfOp::Xchg: return wide ? "xchg_64" : "xchg_32_32";
    case BpfOp::Cmpxchg: return wide ? "cmpxchg_64" : "cmpxchg32_32";
    case BpfOp::Add:
    case BpfOp::And:
    case BpfOp::Or:
    case BpfOp::Xor: break;
  }
  return (primitive.fetch ? "atomic_fetch_" : "lock ") + std::string(alu_name(primitive.op)) + width;
}

std::span<const BpfPrimitive> audited_primitives() { return kAudited; }

std::vector<const IsaOrderingRow*> expected_x86_64_lowering(BpfPrimitive primitive) {
  const auto row = [](std::string_view id) { return &isa_ordering_row(id); };
  switch (primitive.op) {
    case BpfOp::Load:
    case BpfOp::LoadAcquire: return {row("x86.load")};  // mov, movzx below 32 bits
    case BpfOp::Store:
    case BpfOp::StoreRelease: return {row("x86.store")};
    case BpfOp::Xchg: return {row("x86.xchg")};
    case BpfOp::Cmpxchg: return {row("x86.lock-cmpxchg")};
    case BpfOp::Add: return {row("x86.lock-rmw")};  // lock add, or lock xadd with fetch
    case BpfOp::And:
    case BpfOp::Or:
    case BpfOp::Xor:
      // x86 has no fetching and/or/xor: a load, then a lock cmpxchg loop.
      if (primitive.fetch) return {row("x86.load"), row("x86.lock-cmpxchg")};
      return {row("x86.lock-rmw")};
  }
  return {};
}

}  // namespace bpf_litmus::audit
