#include "litmus/printer.hpp"

#include <algorithm>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bpf_litmus::litmus {
namespace {

std::string reg_name(Reg reg) { return "r" + std::to_string(reg); }

std::string_view width_name(Width width) {
  switch (width) {
    case Width::U8: return "u8";
    case Width::U16: return "u16";
    case Width::U32: return "u32";
    case Width::U64: return "u64";
  }
  return "u?";
}

std::string_view alu_spelling(AluOp op) {
  switch (op) {
    case AluOp::Add: return "+=";
    case AluOp::Sub: return "-=";
    case AluOp::Mul: return "*=";
    case AluOp::Div: return "/=";
    case AluOp::Mod: return "%=";
    case AluOp::And: return "&=";
    case AluOp::Or: return "|=";
    case AluOp::Xor: return "^=";
    case AluOp::Lsh: return "<<=";
    case AluOp::Rsh: return ">>=";
    case AluOp::Arsh: return "s>>=";
  }
  return "?=";
}

std::string_view cond_spelling(CondOp op) {
  switch (op) {
    case CondOp::Eq: return "==";
    case CondOp::Ne: return "!=";
    case CondOp::Lt: return "<";
    case CondOp::Ge: return ">=";
  }
  return "?";
}

// `r1 + 0`, `r10 - 8`
std::string address(Reg base, std::int16_t off) {
  const int value = off;
  return reg_name(base) + (value < 0 ? " - " : " + ") + std::to_string(value < 0 ? -value : value);
}

// `(u32 *)(r1 + 0)`
std::string memory(Width width, Reg base, std::int16_t off) {
  return "(" + std::string(width_name(width)) + " *)(" + address(base, off) + ")";
}

std::string operand(const Operand& op) {
  return op.is_reg ? reg_name(op.reg) : std::to_string(op.imm);
}

std::string print_atomic(const Atomic& a) {
  const std::string dst = reg_name(a.written_dst);
  const std::string src = reg_name(a.src);
  const bool wide = a.width == Width::U64;
  std::string_view fetch_name;
  AluOp lock_op = AluOp::Add;
  switch (a.op) {
    case AtomicOp::Xchg:
      return dst + (wide ? " = xchg_64(" : " = xchg_32_32(") + address(a.base, a.off) + ", " +
             src + ")";
    case AtomicOp::Cmpxchg:
      return dst + (wide ? " = cmpxchg_64(" : " = cmpxchg32_32(") + address(a.base, a.off) +
             ", " + reg_name(a.written_expected) + ", " + src + ")";
    case AtomicOp::Add: fetch_name = "atomic_fetch_add"; lock_op = AluOp::Add; break;
    case AtomicOp::And: fetch_name = "atomic_fetch_and"; lock_op = AluOp::And; break;
    case AtomicOp::Or: fetch_name = "atomic_fetch_or"; lock_op = AluOp::Or; break;
    case AtomicOp::Xor: fetch_name = "atomic_fetch_xor"; lock_op = AluOp::Xor; break;
  }
  const std::string mem = memory(a.width, a.base, a.off);
  if (!a.fetch) return "lock *" + mem + " " + std::string(alu_spelling(lock_op)) + " " + src;
  return dst + " = " + std::string(fetch_name) + "(" + mem + ", " + src + ")";
}

enum class Context { Top, And, Or };

std::string print_prop(const Condition& c, Context above) {
  switch (c.kind) {
    case Condition::Kind::Const:
      return c.constant ? "true" : "false";
    case Condition::Kind::Atom:
      return print_observable(c.atom.target) + "=" + print_value(c.atom.value);
    case Condition::Kind::Not:
      return "not (" + print_prop(c.operands.front(), Context::Top) + ")";
    case Condition::Kind::And:
    case Condition::Kind::Or:
      break;
  }
  const bool is_and = c.kind == Condition::Kind::And;
  std::string text;
  for (const Condition& operand : c.operands) {
    if (!text.empty()) text += is_and ? " /\\ " : " \\/ ";
    text += print_prop(operand, is_and ? Context::And : Context::Or);
  }
  // herd: only a disjunction inside a conjunction needs parentheses.
  return above == Context::And && !is_and ? "(" + text + ")" : text;
}

// An entry of `locations [...]`: herd writes locations there without brackets.
std::string locations_entry(const Observable& observable) {
  return observable.is_register ? print_observable(observable) : observable.location;
}

void print_init(const Test& test, std::string& out) {
  out += "{\n";
  for (const Location& location : test.locations) {
    out += " ";
    if (location.type) {
      // `int*` prints as `int* p`, which reads back as the pointer type.
      out += *location.type + " ";
    }
    out += location.name + "=" + print_value(location.init) + ";\n";
  }
  for (std::size_t i = 0; i < test.register_inits.size(); ++i) {
    const RegisterInit& init = test.register_inits[i];
    out += " " + std::to_string(init.thread) + ":" + reg_name(init.reg) + "=" + print_value(init.value) +
           ";";
    const bool last_of_thread =
        i + 1 == test.register_inits.size() || test.register_inits[i + 1].thread != init.thread;
    if (last_of_thread) out += "\n";
  }
  out += "}\n";
}

void print_threads(const Test& test, std::string& out) {
  std::vector<std::vector<std::string>> columns;
  std::vector<std::size_t> widths;
  std::size_t rows = 0;
  for (const Thread& thread : test.threads) {
    std::vector<std::string>& column = columns.emplace_back();
    column.push_back("P" + std::to_string(thread.id));
    for (const Statement& statement : thread.code) column.push_back(print_statement(statement));
    std::size_t width = 0;
    for (const std::string& cell : column) width = std::max(width, cell.size());
    widths.push_back(width);
    rows = std::max(rows, column.size());
  }
  for (std::size_t row = 0; row < rows; ++row) {
    std::string line;
    for (std::size_t t = 0; t < columns.size(); ++t) {
      const std::string cell = row < columns[t].size() ? columns[t][row] : std::string();
      line += (t == 0 ? " " : " | ") + cell + std::string(widths[t] - cell.size(), ' ');
    }
    out += line + " ;\n";
  }
}

}  // namespace

std::string print_instruction(const Instruction& instruction) {
  return std::visit(
      [](const auto& i) -> std::string {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, Mov>) {
          return reg_name(i.dst) + " = " + operand(i.src);
        } else if constexpr (std::is_same_v<T, Alu>) {
          return reg_name(i.dst) + " " + std::string(alu_spelling(i.op)) + " " + operand(i.src);
        } else if constexpr (std::is_same_v<T, Load>) {
          const std::string mem = memory(i.width, i.base, i.off);
          return reg_name(i.dst) + (i.acquire ? " = load_acquire(" + mem + ")" : " = *" + mem);
        } else if constexpr (std::is_same_v<T, Store>) {
          const std::string mem = memory(i.width, i.base, i.off);
          return i.release ? "store_release(" + mem + ", " + operand(i.src) + ")"
                           : "*" + mem + " = " + operand(i.src);
        } else if constexpr (std::is_same_v<T, Atomic>) {
          return print_atomic(i);
        } else if constexpr (std::is_same_v<T, Goto>) {
          return "goto " + i.label;
        } else {
          static_assert(std::is_same_v<T, CondJump>);
          return "if " + reg_name(i.lhs) + " " + std::string(cond_spelling(i.op)) + " " +
                 operand(i.rhs) + " goto " + i.label;
        }
      },
      instruction);
}

std::string print_statement(const Statement& statement) {
  std::string text;
  for (const std::string& label : statement.labels) text += (text.empty() ? "" : " ") + label + ":";
  if (statement.instruction) {
    text += (text.empty() ? "" : " ") + print_instruction(*statement.instruction);
  }
  return text;
}

std::string print_observable(const Observable& observable) {
  if (observable.is_register) {
    return std::to_string(observable.thread) + ":" + reg_name(observable.reg);
  }
  return "[" + observable.location + "]";
}

std::string print_value(const Value& value) {
  return value.is_address ? value.location : std::to_string(value.integer);
}

std::string print_condition(const Condition& condition) {
  return print_prop(condition, Context::Top);
}

std::string print_final_condition(Quantifier quantifier, const Condition& condition) {
  std::string_view word = "exists";
  if (quantifier == Quantifier::NotExists) word = "~exists";
  if (quantifier == Quantifier::Forall) word = "forall";
  return std::string(word) + " (" + print_condition(condition) + ")";
}

std::string print_test(const Test& test) {
  std::string out = "BPF " + test.name;
  if (test.doc) out += " \"" + *test.doc + "\"";
  out += "\n";
  for (const std::string& comment : test.comments) out += comment + "\n";
  print_init(test, out);
  print_threads(test, out);
  if (!test.extra_observed.empty()) {
    out += "locations [";
    for (const Observable& observable : test.extra_observed) {
      out += locations_entry(observable) + (&observable == &test.extra_observed.back() ? ";" : "; ");
    }
    out += "]\n";
  }
  out += print_final_condition(test.quantifier, test.condition) + "\n";
  return out;
}

}  // namespace bpf_litmus::litmus
