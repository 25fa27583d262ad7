// The parsed form of a litmus test in herd7's BPF dialect.
//
// This header is the contract between the parser and every later stage (model,
// codegen, report). It records what the file says, with source positions, and
// nothing that depends on how a stage interprets it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bpf_litmus::litmus {

struct SourcePos {
  std::uint32_t line = 0;  // 1-based
  std::uint32_t col = 0;   // 1-based
};

// Machine register number 0..10 as written (r10 and fp both parse to 10).
using Reg = std::uint8_t;
inline constexpr Reg kNumRegs = 11;

// Access width in bytes, as written in the file. herd7 treats every access as
// 32 bits; real BPF does not (see docs/dialect.md).
enum class Width : std::uint8_t { U8 = 1, U16 = 2, U32 = 4, U64 = 8 };

enum class AluOp : std::uint8_t { Add, Sub, Mul, Div, Mod, And, Or, Xor, Lsh, Rsh, Arsh };

// The conditions herd7's BPF dialect accepts.
enum class CondOp : std::uint8_t { Eq, Ne, Lt, Ge };

// A register or an immediate operand.
struct Operand {
  bool is_reg = false;
  Reg reg = 0;
  std::int64_t imm = 0;
};

// A value in the init block or the final condition: an integer, or the
// address of a shared location.
struct Value {
  bool is_address = false;
  std::int64_t integer = 0;
  std::string location;  // when is_address

  friend bool operator==(const Value&, const Value&) = default;
};

// rD = rS | rD = imm
struct Mov {
  Reg dst = 0;
  Operand src;
};

// rD op= rS | rD op= imm
struct Alu {
  AluOp op = AluOp::Add;
  Reg dst = 0;
  Operand src;
};

// rD = *(uN *)(rB + off)  |  rD = load_acquire((uN *)(rB + off))
struct Load {
  Width width = Width::U32;
  Reg dst = 0;
  Reg base = 0;
  std::int16_t off = 0;
  bool acquire = false;
};

// *(uN *)(rB + off) = rS | imm  |  store_release((uN *)(rB + off), rS)
struct Store {
  Width width = Width::U32;
  Reg base = 0;
  std::int16_t off = 0;
  Operand src;  // an immediate only when !release
  bool release = false;
};

enum class AtomicOp : std::uint8_t { Add, And, Or, Xor, Xchg, Cmpxchg };

// One BPF_ATOMIC instruction:
//   lock *(uN *)(rB + off) op= rS                      (fetch = false)
//   rX = atomic_fetch_op((uN *)(rB + off), rS)        (fetch = true)
//   rX = xchg_64(rB + off, rS) | xchg_32_32(...)      (op Xchg, fetch = true)
//   r0 = cmpxchg_64(rB + off, r0, rS) | cmpxchg32_32   (op Cmpxchg, fetch = true)
// As in real BPF and in herd7, a fetch writes the old value into src (for
// cmpxchg into r0), whatever register the left-hand side names; written_dst
// keeps what the file wrote so that printing round-trips.
struct Atomic {
  AtomicOp op = AtomicOp::Add;
  Width width = Width::U64;
  Reg base = 0;
  std::int16_t off = 0;
  Reg src = 0;
  bool fetch = false;
  Reg written_dst = 0;       // left-hand side as written (fetch forms)
  Reg written_expected = 0;  // cmpxchg's middle argument as written
};

struct Goto {
  std::string label;
};

// if rA op rB|imm goto L
struct CondJump {
  CondOp op = CondOp::Eq;
  Reg lhs = 0;
  Operand rhs;
  std::string label;
};

using Instruction = std::variant<Mov, Alu, Load, Store, Atomic, Goto, CondJump>;

// One cell of the thread table: zero or more labels, then an instruction or
// nothing (an empty cell, or a label on its own).
struct Statement {
  std::vector<std::string> labels;
  std::optional<Instruction> instruction;
  SourcePos pos;
};

struct Thread {
  int id = 0;  // the N of "PN"
  std::vector<Statement> code;
};

// A shared location: declared in the init block or named by a register
// initialisation or a condition.
struct Location {
  std::string name;
  std::optional<std::string> type;  // "int", "u64", ... as written
  Value init;                       // 0 unless initialised
  SourcePos pos;
};

struct RegisterInit {
  int thread = 0;
  Reg reg = 0;
  Value value;
  SourcePos pos;
};

// A place whose final value is observed: a thread's register or a location.
struct Observable {
  bool is_register = false;
  int thread = 0;
  Reg reg = 0;
  std::string location;

  friend bool operator==(const Observable&, const Observable&) = default;
};

// `1:r2=0` or `x=1` (also written `[x]=1`).
struct CondAtom {
  Observable target;
  Value value;
};

// Final-condition expression tree.
struct Condition {
  enum class Kind : std::uint8_t { Const, Atom, Not, And, Or } kind = Kind::Const;
  bool constant = true;               // Kind::Const
  CondAtom atom;                      // Kind::Atom
  std::vector<Condition> operands;    // Not: 1, And/Or: 2 or more
  SourcePos pos;
};

enum class Quantifier : std::uint8_t { Exists, NotExists, Forall };

struct Test {
  std::string arch = "BPF";
  std::string name;
  std::optional<std::string> doc;          // the quoted string after the name
  std::vector<std::string> comments;       // (* ... *) blocks, verbatim
  std::vector<Location> locations;         // in order of first mention
  std::vector<RegisterInit> register_inits;
  std::vector<Thread> threads;             // ordered by id: threads[i].id == i
  std::vector<Observable> extra_observed;  // the `locations [...]` list
  Quantifier quantifier = Quantifier::Exists;
  Condition condition;
  std::string file;                        // path given to the parser
};

}  // namespace bpf_litmus::litmus
