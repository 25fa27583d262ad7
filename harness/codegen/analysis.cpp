#include "codegen/analysis.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <type_traits>

namespace bpf_litmus::codegen {
namespace {

using litmus::Reg;
using RegSet = std::uint16_t;  // bit r: test register r
constexpr RegSet kAllRegs = (1u << litmus::kNumRegs) - 1;
constexpr RegSet bit(Reg r) { return static_cast<RegSet>(1u << r); }

struct Effects {
  RegSet reads = 0;
  RegSet writes = 0;
  RegSet value_reads = 0;  // read for their value, not only as an access's base
};

Effects effects_of(const litmus::Instruction& instruction) {
  Effects e;
  auto read_value = [&e](Reg r) {
    e.reads |= bit(r);
    e.value_reads |= bit(r);
  };
  auto read_operand = [&](const litmus::Operand& operand) {
    if (operand.is_reg) read_value(operand.reg);
  };
  std::visit(
      [&](const auto& i) {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, litmus::Mov>) {
          read_operand(i.src);
          e.writes |= bit(i.dst);
        } else if constexpr (std::is_same_v<T, litmus::Alu>) {
          read_value(i.dst);
          read_operand(i.src);
          e.writes |= bit(i.dst);
        } else if constexpr (std::is_same_v<T, litmus::Load>) {
          e.reads |= bit(i.base);
          e.writes |= bit(i.dst);
        } else if constexpr (std::is_same_v<T, litmus::Store>) {
          e.reads |= bit(i.base);
          read_operand(i.src);
        } else if constexpr (std::is_same_v<T, litmus::Atomic>) {
          e.reads |= bit(i.base);
          read_value(i.src);
          if (i.op == litmus::AtomicOp::Cmpxchg) {
            read_value(0);
            e.writes |= bit(0);
          } else if (i.fetch || i.op == litmus::AtomicOp::Xchg) {
            e.writes |= bit(i.src);
          }
        } else if constexpr (std::is_same_v<T, litmus::CondJump>) {
          read_value(i.lhs);
          read_operand(i.rhs);
        }
      },
      instruction);
  return e;
}

const std::string* jump_label(const litmus::Statement& statement) {
  if (!statement.instruction) return nullptr;
  if (const auto* go = std::get_if<litmus::Goto>(&*statement.instruction)) return &go->label;
  if (const auto* cond = std::get_if<litmus::CondJump>(&*statement.instruction)) return &cond->label;
  return nullptr;
}

bool is_unconditional_jump(const litmus::Statement& statement) {
  return statement.instruction && std::holds_alternative<litmus::Goto>(*statement.instruction);
}

std::optional<litmus::Width> declared_width(const std::string& type) {
  static const std::map<std::string, litmus::Width> kTypes = {
      {"u8", litmus::Width::U8},        {"char", litmus::Width::U8},       {"uint8_t", litmus::Width::U8},
      {"int8_t", litmus::Width::U8},    {"__u8", litmus::Width::U8},       {"u16", litmus::Width::U16},
      {"short", litmus::Width::U16},    {"uint16_t", litmus::Width::U16},  {"int16_t", litmus::Width::U16},
      {"__u16", litmus::Width::U16},    {"u32", litmus::Width::U32},       {"int", litmus::Width::U32},
      {"uint32_t", litmus::Width::U32}, {"int32_t", litmus::Width::U32},   {"__u32", litmus::Width::U32},
      {"unsigned", litmus::Width::U32}, {"u64", litmus::Width::U64},       {"long", litmus::Width::U64},
      {"uint64_t", litmus::Width::U64}, {"int64_t", litmus::Width::U64},   {"__u64", litmus::Width::U64},
  };
  const auto it = kTypes.find(type);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

void collect_atoms(const litmus::Condition& condition, std::vector<litmus::Observable>& out) {
  if (condition.kind == litmus::Condition::Kind::Atom) out.push_back(condition.atom.target);
  for (const auto& operand : condition.operands) collect_atoms(operand, out);
}

}  // namespace

bool resolve_jumps(const litmus::Thread& thread, std::vector<std::optional<std::size_t>>& targets,
                   std::string& unknown_label) {
  std::map<std::string, std::size_t> labels;
  for (std::size_t s = 0; s < thread.code.size(); ++s) {
    for (const auto& label : thread.code[s].labels) labels.emplace(label, s);  // first definition wins
  }
  targets.assign(thread.code.size(), std::nullopt);
  for (std::size_t s = 0; s < thread.code.size(); ++s) {
    const std::string* label = jump_label(thread.code[s]);
    if (label == nullptr) continue;
    const auto it = labels.find(*label);
    if (it == labels.end()) {
      unknown_label = *label;
      return false;
    }
    // A label on an empty cell at the end means "after the last instruction".
    std::size_t target = it->second;
    while (target < thread.code.size() && !thread.code[target].instruction) ++target;
    targets[s] = target;
  }
  return true;
}

ThreadFacts analyse_thread(const litmus::Thread& thread, const std::vector<std::optional<std::size_t>>& targets,
                           const std::vector<Reg>& observed) {
  ThreadFacts facts;
  facts.observed = observed;
  const std::size_t n = thread.code.size();
  std::vector<Effects> effects(n);
  for (std::size_t s = 0; s < n; ++s) {
    if (!thread.code[s].instruction) continue;
    const auto& instruction = *thread.code[s].instruction;
    effects[s] = effects_of(instruction);
    for (Reg r = 0; r < litmus::kNumRegs; ++r) {
      facts.uses[r] += ((effects[s].reads & bit(r)) ? 1u : 0u) + ((effects[s].writes & bit(r)) ? 1u : 0u);
    }
    if (const auto* atomic = std::get_if<litmus::Atomic>(&instruction)) {
      facts.cmpxchg = facts.cmpxchg || atomic->op == litmus::AtomicOp::Cmpxchg;
    }
  }
  for (Reg r : observed) ++facts.uses[r];
  RegSet written = 0, valued = 0;
  for (const Effects& e : effects) {
    written |= e.writes;
    valued |= e.value_reads;
  }
  for (Reg r : observed) valued |= bit(r);
  for (Reg r = 0; r < litmus::kNumRegs; ++r) facts.base_only[r] = facts.uses[r] > 0 && !((written | valued) & bit(r));

  // Registers written on every path to each statement (node n: the end).
  // Start from "all" everywhere but the entry and intersect to a fixpoint;
  // a statement still unreached keeps "all" and demands nothing.
  std::vector<RegSet> defined(n + 1, kAllRegs);
  std::vector<bool> reached(n + 1, false);
  defined[0] = 0;
  reached[0] = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t s = 0; s < n; ++s) {
      if (!reached[s]) continue;
      const RegSet out = static_cast<RegSet>(defined[s] | effects[s].writes);
      auto flow = [&](std::size_t to) {
        const RegSet merged = static_cast<RegSet>(defined[to] & out);
        if (!reached[to] || merged != defined[to]) {
          defined[to] = merged;
          reached[to] = true;
          changed = true;
        }
      };
      if (!is_unconditional_jump(thread.code[s])) flow(s + 1);
      if (targets[s]) {
        flow(*targets[s]);
        // A backward jump is guarded by may_goto, which may leave for the end.
        if (*targets[s] <= s) flow(n);
      }
    }
  }
  for (std::size_t s = 0; s < n; ++s) {
    if (!reached[s]) continue;
    for (Reg r = 0; r < litmus::kNumRegs; ++r) {
      if ((effects[s].reads & bit(r)) && !(defined[s] & bit(r))) facts.needs_init[r] = true;
    }
  }
  for (Reg r : observed) {
    if (!reached[n] || !(defined[n] & bit(r))) facts.needs_init[r] = true;
  }
  facts.reachable.assign(reached.begin(), reached.end() - 1);
  return facts;
}

std::vector<litmus::Observable> observed_places(const litmus::Test& test) {
  std::vector<litmus::Observable> places;
  collect_atoms(test.condition, places);
  places.insert(places.end(), test.extra_observed.begin(), test.extra_observed.end());
  auto key = [](const litmus::Observable& o) {
    return std::make_tuple(!o.is_register, o.is_register ? o.thread : 0, o.is_register ? o.reg : 0,
                           o.is_register ? std::string() : o.location);
  };
  std::sort(places.begin(), places.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  places.erase(std::unique(places.begin(), places.end(), [&](const auto& a, const auto& b) { return key(a) == key(b); }),
               places.end());
  return places;
}

std::optional<std::size_t> find_location(const litmus::Test& test, const std::string& name) {
  for (std::size_t j = 0; j < test.locations.size(); ++j) {
    if (test.locations[j].name == name) return j;
  }
  return std::nullopt;
}

std::vector<litmus::Width> location_widths(const litmus::Test& test) {
  std::vector<std::optional<litmus::Width>> widest(test.locations.size());
  for (const auto& thread : test.threads) {
    // Registers whose init-block address survives the whole thread.
    std::array<std::optional<std::size_t>, litmus::kNumRegs> points_to{};
    for (const auto& init : test.register_inits) {
      if (init.thread == thread.id && init.value.is_address && init.reg < litmus::kNumRegs) {
        points_to[init.reg] = find_location(test, init.value.location);
      }
    }
    for (const auto& statement : thread.code) {
      if (statement.instruction) {
        const RegSet writes = effects_of(*statement.instruction).writes;
        for (Reg r = 0; r < litmus::kNumRegs; ++r) {
          if (writes & bit(r)) points_to[r].reset();
        }
      }
    }
    auto note = [&](Reg base, litmus::Width width) {
      if (base >= litmus::kNumRegs || !points_to[base]) return;
      auto& w = widest[*points_to[base]];
      if (!w || *w < width) w = width;
    };
    for (const auto& statement : thread.code) {
      if (!statement.instruction) continue;
      std::visit(
          [&](const auto& i) {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, litmus::Load> || std::is_same_v<T, litmus::Store> ||
                          std::is_same_v<T, litmus::Atomic>) {
              note(i.base, i.width);
            }
          },
          *statement.instruction);
    }
  }
  std::vector<litmus::Width> widths(test.locations.size(), litmus::Width::U32);
  for (std::size_t j = 0; j < widths.size(); ++j) {
    const auto& type = test.locations[j].type;
    if (auto declared = type ? declared_width(*type) : std::nullopt) {
      widths[j] = *declared;
    } else if (widest[j]) {
      widths[j] = *widest[j];
    }
  }
  return widths;
}

}  // namespace bpf_litmus::codegen
