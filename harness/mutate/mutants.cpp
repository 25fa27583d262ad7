#include "mutate/mutants.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "litmus/printer.hpp"
#include "model/model.hpp"

namespace bpf_litmus::mutate {
namespace {

using litmus::Instruction;
using litmus::Reg;
using litmus::Statement;

// Every register thread `t` names: in its code, its init, the condition and `locations`.
std::set<Reg> registers_named(const litmus::Test& test, int t) {
  std::set<Reg> named;
  const auto operand = [&named](const litmus::Operand& o) {
    if (o.is_reg) named.insert(o.reg);
  };
  for (const Statement& s : test.threads[static_cast<std::size_t>(t)].code) {
    if (!s.instruction) continue;
    std::visit(
        [&](const auto& insn) {
          using T = std::decay_t<decltype(insn)>;
          if constexpr (std::is_same_v<T, litmus::Mov>) {
            named.insert(insn.dst);
            operand(insn.src);
          } else if constexpr (std::is_same_v<T, litmus::Alu>) {
            named.insert(insn.dst);
            operand(insn.src);
          } else if constexpr (std::is_same_v<T, litmus::Load>) {
            named.insert({insn.dst, insn.base});
          } else if constexpr (std::is_same_v<T, litmus::Store>) {
            named.insert(insn.base);
            operand(insn.src);
          } else if constexpr (std::is_same_v<T, litmus::Atomic>) {
            named.insert({insn.base, insn.src, insn.written_dst, insn.written_expected});
            if (insn.op == litmus::AtomicOp::Cmpxchg) named.insert(0);
          } else if constexpr (std::is_same_v<T, litmus::CondJump>) {
            named.insert(insn.lhs);
            operand(insn.rhs);
          }
        },
        *s.instruction);
  }
  for (const auto& init : test.register_inits) {
    if (init.thread == t) named.insert(init.reg);
  }
  const auto observed = [&](const litmus::Observable& o) {
    if (o.is_register && o.thread == t) named.insert(o.reg);
  };
  for (const auto& o : test.extra_observed) observed(o);
  std::vector<const litmus::Condition*> todo{&test.condition};
  while (!todo.empty()) {
    const litmus::Condition* c = todo.back();
    todo.pop_back();
    if (c->kind == litmus::Condition::Kind::Atom) observed(c->atom.target);
    for (const auto& sub : c->operands) todo.push_back(&sub);
  }
  return named;
}

// A register thread t never names, r9 down to r1, for a replacement's temporary.
std::optional<Reg> scratch_register(const litmus::Test& test, int t) {
  const std::set<Reg> named = registers_named(test, t);
  for (Reg r = 9; r >= 1; --r) {
    if (!named.contains(r)) return r;
  }
  return std::nullopt;
}

// A label not used in thread t.
std::string fresh_label(const litmus::Thread& thread) {
  std::set<std::string> used;
  for (const Statement& s : thread.code) {
    used.insert(s.labels.begin(), s.labels.end());
    if (!s.instruction) continue;
    if (const auto* j = std::get_if<litmus::CondJump>(&*s.instruction)) used.insert(j->label);
    if (const auto* g = std::get_if<litmus::Goto>(&*s.instruction)) used.insert(g->label);
  }
  std::string label = "Lweak";
  for (int n = 1; used.contains(label); ++n) label = "Lweak" + std::to_string(n);
  return label;
}

litmus::AluOp alu_of(litmus::AtomicOp op) {
  switch (op) {
    case litmus::AtomicOp::And: return litmus::AluOp::And;
    case litmus::AtomicOp::Or: return litmus::AluOp::Or;
    case litmus::AtomicOp::Xor: return litmus::AluOp::Xor;
    default: return litmus::AluOp::Add;
  }
}

litmus::Operand reg(Reg r) { return {true, r, 0}; }

// The plain code computing what `a` computes, with `tmp` as scratch:
// tmp = *p; then the operation's store, and the old value where the atomic puts it.
std::vector<Statement> plain_equivalent(const litmus::Atomic& a, Reg tmp, const Statement& origin,
                                        const std::string& label) {
  const auto statement = [&origin](Instruction insn) {
    Statement s;
    s.instruction = std::move(insn);
    s.pos = origin.pos;
    return s;
  };
  const litmus::Load load{a.width, tmp, a.base, a.off, false};
  const auto store = [&](Reg value) { return litmus::Store{a.width, a.base, a.off, reg(value), false}; };
  std::vector<Statement> code{statement(load)};
  switch (a.op) {
    case litmus::AtomicOp::Xchg:  // *p = src; src = old
      code.push_back(statement(store(a.src)));
      code.push_back(statement(litmus::Mov{a.src, reg(tmp)}));
      break;
    case litmus::AtomicOp::Cmpxchg: {  // if (old == r0) *p = src; r0 = old
      code.push_back(statement(litmus::CondJump{litmus::CondOp::Ne, tmp, reg(0), label}));
      code.push_back(statement(store(a.src)));
      Statement join = statement(litmus::Mov{0, reg(tmp)});
      join.labels = {label};
      code.push_back(std::move(join));
      break;
    }
    default:
      if (a.fetch) {  // src = src op old, stored; then src = old
        code.push_back(statement(litmus::Alu{alu_of(a.op), a.src, reg(tmp)}));
        code.push_back(statement(store(a.src)));
        code.push_back(statement(litmus::Mov{a.src, reg(tmp)}));
      } else {  // tmp op= src, stored
        code.push_back(statement(litmus::Alu{alu_of(a.op), tmp, reg(a.src)}));
        code.push_back(statement(store(tmp)));
      }
  }
  return code;
}

// `rX -= rX`, `rX ^= rX`, `rX &= 0`, `rX *= 0`: zero, but dependent on rX.
bool is_zeroing_idiom(const litmus::Alu& alu) {
  const bool self = alu.src.is_reg && alu.src.reg == alu.dst;
  const bool zero_imm = !alu.src.is_reg && alu.src.imm == 0;
  return (self && (alu.op == litmus::AluOp::Sub || alu.op == litmus::AluOp::Xor)) ||
         (zero_imm && (alu.op == litmus::AluOp::And || alu.op == litmus::AluOp::Mul));
}

// Whether statement `from` on of `code` may write register r.
bool written_from(const std::vector<Statement>& code, std::size_t from, Reg r) {
  for (std::size_t i = from; i < code.size(); ++i) {
    if (!code[i].instruction) continue;
    const bool writes = std::visit(
        [r](const auto& insn) {
          using T = std::decay_t<decltype(insn)>;
          if constexpr (std::is_same_v<T, litmus::Mov> || std::is_same_v<T, litmus::Alu> ||
                        std::is_same_v<T, litmus::Load>) {
            return insn.dst == r;
          } else if constexpr (std::is_same_v<T, litmus::Atomic>) {
            return insn.op == litmus::AtomicOp::Cmpxchg ? r == 0 : insn.fetch && insn.src == r;
          } else {
            return false;
          }
        },
        *code[i].instruction);
    if (writes) return true;
  }
  return false;
}

// The fall-through condition of `jump` in thread t, as a proposition on the
// final state, when it can be one: `rX == imm` or `rX != imm`, rX observed and
// not written after the branch.
std::optional<litmus::Condition> fall_through(const litmus::Test& test, int t, std::size_t i,
                                              const litmus::CondJump& jump) {
  if (jump.rhs.is_reg || (jump.op != litmus::CondOp::Eq && jump.op != litmus::CondOp::Ne)) return std::nullopt;
  const litmus::Observable place{true, t, jump.lhs, {}};
  const auto places = model::observables(test);
  if (std::find(places.begin(), places.end(), place) == places.end()) return std::nullopt;
  if (written_from(test.threads[static_cast<std::size_t>(t)].code, i + 1, jump.lhs)) return std::nullopt;
  litmus::Condition equal;
  equal.kind = litmus::Condition::Kind::Atom;
  equal.atom = {place, litmus::Value{false, jump.rhs.imm, {}}};
  if (jump.op == litmus::CondOp::Ne) return equal;  // falls through when lhs == imm
  litmus::Condition differ;
  differ.kind = litmus::Condition::Kind::Not;
  differ.operands.push_back(std::move(equal));
  return differ;
}

std::string printed(const std::vector<Statement>& code) {
  std::string text;
  for (const Statement& s : code) text += (text.empty() ? "" : "; ") + litmus::print_statement(s);
  return text;
}

}  // namespace

bool state_counts(const Mutant& mutant, const std::vector<std::pair<litmus::Observable, litmus::Value>>& state) {
  if (!mutant.counts_only_when) return true;
  litmus::Test only_when;
  only_when.condition = *mutant.counts_only_when;
  return model::condition_holds(only_when, state);
}

std::string_view mutation_name(Mutation mutation) {
  static constexpr std::array<std::string_view, kMutationCount> kNames = {
      "fetch->nofetch", "atomic->plain", "acquire->plain", "release->plain", "dep-cut", "branch-removed"};
  return kNames[static_cast<std::size_t>(mutation)];
}

std::vector<Mutant> make_mutants(const litmus::Test& original) {
  std::vector<Mutant> mutants;
  for (std::size_t t = 0; t < original.threads.size(); ++t) {
    const int thread = static_cast<int>(t);
    const auto& code = original.threads[t].code;
    for (std::size_t i = 0; i < code.size(); ++i) {
      if (!code[i].instruction) continue;
      const Instruction& insn = *code[i].instruction;
      // Replaces statement i by `replacement` (the labels of statement i stay on its first one).
      const auto add = [&](Mutation mutation, std::vector<Statement> replacement) {
        Mutant m;
        m.mutation = mutation;
        m.thread = thread;
        m.statement = i;
        m.id = "P" + std::to_string(thread) + ":" + std::to_string(i) + ":" + std::string(mutation_name(mutation));
        m.before = litmus::print_statement(code[i]);
        if (replacement.empty()) replacement.emplace_back();  // an empty cell keeps the labels
        replacement.front().labels.insert(replacement.front().labels.begin(), code[i].labels.begin(),
                                          code[i].labels.end());
        m.after = printed(replacement);
        m.test = original;
        auto& mutated = m.test.threads[t].code;
        mutated.erase(mutated.begin() + static_cast<std::ptrdiff_t>(i));
        mutated.insert(mutated.begin() + static_cast<std::ptrdiff_t>(i), replacement.begin(), replacement.end());
        m.test.comments.push_back("(* Deliberately weakened: mutant " + m.id + " of " + original.name +
                                  ", modelling a JIT that drops ordering. *)");
        mutants.push_back(std::move(m));
      };
      const auto with = [&](Instruction replaced) {
        Statement s = code[i];
        s.labels.clear();
        s.instruction = std::move(replaced);
        return std::vector<Statement>{std::move(s)};
      };
      if (const auto* a = std::get_if<litmus::Atomic>(&insn)) {
        const bool alu = a->op != litmus::AtomicOp::Xchg && a->op != litmus::AtomicOp::Cmpxchg;
        if (alu && a->fetch) {
          litmus::Atomic nofetch = *a;
          nofetch.fetch = false;
          nofetch.written_dst = 0;
          add(Mutation::FetchToNonFetch, with(nofetch));
        }
        if (const auto tmp = scratch_register(original, thread)) {
          add(Mutation::AtomicToPlain, plain_equivalent(*a, *tmp, code[i], fresh_label(original.threads[t])));
        }
      } else if (const auto* load = std::get_if<litmus::Load>(&insn); load && load->acquire) {
        litmus::Load plain = *load;
        plain.acquire = false;
        add(Mutation::AcquireToPlain, with(plain));
      } else if (const auto* store = std::get_if<litmus::Store>(&insn); store && store->release) {
        litmus::Store plain = *store;
        plain.release = false;
        add(Mutation::ReleaseToPlain, with(plain));
      } else if (const auto* alu = std::get_if<litmus::Alu>(&insn); alu && is_zeroing_idiom(*alu)) {
        add(Mutation::DependencyCut, with(litmus::Mov{alu->dst, {false, 0, 0}}));
      } else if (const auto* jump = std::get_if<litmus::CondJump>(&insn)) {
        if (auto condition = fall_through(original, thread, i, *jump)) {
          add(Mutation::BranchRemoved, {});
          mutants.back().counts_only_when = std::move(condition);
        }
      }
    }
  }
  return mutants;
}

}  // namespace bpf_litmus::mutate
