#include "litmus/parser.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <utility>

#include "litmus/lexer.hpp"

namespace bpf_litmus::litmus {

ParseError::ParseError(std::string file_name, std::uint32_t line_no, std::uint32_t col_no,
                       std::string text)
    : std::runtime_error(file_name + ":" + std::to_string(line_no) + ":" + std::to_string(col_no) +
                         ": " + text),
      file(std::move(file_name)),
      line(line_no),
      col(col_no),
      message(std::move(text)) {}

namespace {

// Words of the thread table that cannot be labels (lib/BPFLexer.mll).
constexpr std::array<std::string_view, 17> kInstructionWords{
    "if", "goto", "lock", "u8", "u16", "u32", "u64", "atomic_fetch_add", "atomic_fetch_and",
    "atomic_fetch_or", "atomic_fetch_xor", "xchg_64", "xchg_32_32", "cmpxchg_64", "cmpxchg32_32",
    "load_acquire", "store_release"};
// Words that end the thread table (lib/splitter.mll) or have a meaning in the
// condition (lib/stateLexer.mll).
constexpr std::array<std::string_view, 8> kProgramEndWords{
    "exists", "forall", "final", "locations", "filter", "observed", "Observed", "cases"};
constexpr std::array<std::string_view, 4> kConditionWords{"true", "false", "not", "with"};

template <std::size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// `P0`, `P12`: herd lexes these as thread names wherever they appear.
bool is_thread_name(std::string_view word) {
  return word.size() > 1 && word[0] == 'P' &&
         std::all_of(word.begin() + 1, word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `r11`, `R42`: meant as a register, but not one BPF has.
bool looks_like_register(std::string_view word) {
  return word.size() > 1 && (word[0] == 'r' || word[0] == 'R') &&
         std::all_of(word.begin() + 1, word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_label_name(const Token& token) {
  return token.kind == TokenKind::Ident && !register_named(token.text) &&
         !is_one_of(token.text, kInstructionWords) && !is_one_of(token.text, kProgramEndWords) &&
         !is_thread_name(token.text);
}

bool is_location_name(const Token& token) {
  return token.kind == TokenKind::Ident && !is_one_of(token.text, kProgramEndWords) &&
         !is_one_of(token.text, kConditionWords) && !is_thread_name(token.text);
}

std::string pos_text(SourcePos pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

std::string range_text(std::int64_t min, std::int64_t max) {
  return std::to_string(min) + ".." + std::to_string(max);
}

// Builds an n-ary And/Or, splicing operands of the same kind so that the tree
// is canonical: an And never has an And operand, nor an Or an Or operand.
Condition make_nary(Condition::Kind kind, std::vector<Condition> operands) {
  Condition node;
  node.kind = kind;
  node.pos = operands.front().pos;
  for (Condition& operand : operands) {
    if (operand.kind == kind) {
      std::move(operand.operands.begin(), operand.operands.end(),
                std::back_inserter(node.operands));
    } else {
      node.operands.push_back(std::move(operand));
    }
  }
  return node;
}

Condition make_not(Condition operand, SourcePos pos) {
  Condition node;
  node.kind = Condition::Kind::Not;
  node.pos = pos;
  node.operands.push_back(std::move(operand));
  return node;
}

struct MemoryOperand {
  Width width = Width::U32;
  Reg base = 0;
  std::int16_t off = 0;
};

// One item of the init block, kept until the block ends so that locations can
// be collected category by category.
struct InitItem {
  bool is_register = false;
  int thread = 0;
  Reg reg = 0;
  std::string location;
  std::optional<std::string> type;
  Value value;
  SourcePos pos;        // of the register's thread or of the location
  SourcePos value_pos;  // of the value
};

struct PendingJump {
  std::size_t thread = 0;
  Token label;
};

class Parser {
 public:
  Parser(std::string_view text, std::string file_name)
      : lexer_(text, file_name), file_(std::move(file_name)) {}

  Test parse();

 private:
  // Sections of a test, in file order.
  void parse_header();
  void parse_init();
  void parse_program();
  void parse_constraints();
  void parse_final_condition();

  // Init block.
  InitItem parse_init_item();
  void add_init_items(const std::vector<InitItem>& items);
  Value parse_value();

  // Thread table.
  bool at_program_end();
  void parse_row(std::vector<std::map<std::string, SourcePos, std::less<>>>& labels);
  Statement parse_cell(std::size_t thread, std::map<std::string, SourcePos, std::less<>>& labels);
  Instruction parse_instruction(std::size_t thread);
  Instruction parse_register_instruction();
  Instruction parse_fetch(Reg dst, AtomicOp op);
  Instruction parse_xchg(Reg dst, Width width);
  Instruction parse_cmpxchg(Reg dst, Width width);
  Instruction parse_store();
  Instruction parse_lock();
  Instruction parse_store_release();
  Instruction parse_cond_jump(std::size_t thread);
  std::string parse_label_ref(std::size_t thread);
  Reg parse_register();
  Operand parse_operand(std::int64_t min, std::int64_t max);
  Width parse_cast(bool atomic);
  MemoryOperand parse_memory_operand(bool atomic);
  std::int16_t parse_offset();
  void check_jumps(const std::vector<std::map<std::string, SourcePos, std::less<>>>& labels);

  // Condition.
  Observable parse_observable(bool in_condition);
  int parse_thread_ref();
  Condition parse_or();
  Condition parse_and();
  Condition parse_implies();
  Condition parse_unary();
  Condition parse_primary();
  Condition parse_atom();

  // Shared helpers.
  std::int64_t parse_integer(std::int64_t min, std::int64_t max, std::string_view what);
  Location& mention_location(std::string_view name, SourcePos pos);
  bool at_thread_ref();
  const Token& peek(std::size_t ahead = 0) { return lexer_.peek(ahead); }
  Token take() { return lexer_.take(); }
  bool at(TokenKind kind) { return peek().kind == kind; }
  bool at_word(std::string_view word) {
    return peek().kind == TokenKind::Ident && peek().text == word;
  }
  Token expect(TokenKind kind, std::string_view expected) {
    if (!at(kind)) fail_here(expected);
    return take();
  }
  [[noreturn]] void fail(SourcePos pos, std::string_view expected, const std::string& got) const {
    throw ParseError(file_, pos.line, pos.col,
                     "expected " + std::string(expected) + ", got " + got);
  }
  [[noreturn]] void fail_here(std::string_view expected) {
    const Token& token = peek();
    fail(token.pos, expected, describe(token));
  }

  // Counts one level of condition nesting for as long as it lives.
  class NestingGuard {
   public:
    NestingGuard(Parser& parser, SourcePos opening) : parser_(parser) {
      if (++parser_.condition_depth_ > kMaxNesting) {
        parser_.fail(opening,
                     "conditions nested at most " + std::to_string(kMaxNesting) + " deep",
                     "deeper nesting");
      }
    }
    ~NestingGuard() { --parser_.condition_depth_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  Lexer lexer_;
  std::string file_;
  Test test_;
  int condition_depth_ = 0;
  std::vector<PendingJump> jumps_;
  std::map<std::string, std::size_t, std::less<>> location_index_;  // into test_.locations
};

Test Parser::parse() {
  test_.file = file_;
  parse_header();
  parse_init();
  parse_program();
  for (const RegisterInit& init : test_.register_inits) {
    if (static_cast<std::size_t>(init.thread) >= test_.threads.size()) {
      fail(init.pos, "a thread number " + range_text(0, std::ssize(test_.threads) - 1),
           "'" + std::to_string(init.thread) + "'");
    }
  }
  parse_constraints();
  test_.comments = lexer_.take_comments();
  return std::move(test_);
}

// ---------------------------------------------------------------- header

void Parser::parse_header() {
  if (!at_word("BPF")) fail_here("'BPF'");
  take();
  SourcePos name_pos;
  const std::string_view name = lexer_.take_test_name(&name_pos);
  if (name.empty()) {
    fail(name_pos, "a test name", peek().pos.line == name_pos.line ? describe(peek()) : "end of line");
  }
  test_.name = name;
  if (at(TokenKind::LParen)) {  // herd's optional (texname): accepted, not kept
    take();
    expect(TokenKind::Ident, "a name");
    expect(TokenKind::RParen, "')'");
  }
  if (at(TokenKind::String)) test_.doc = std::string(take().text);
  if (at(TokenKind::Semi)) take();
  // Info lines `key = value` (Hash=..., Cycle=...): accepted, not kept.
  while (at(TokenKind::Ident) && peek(1).kind == TokenKind::Assign) {
    take();
    take();
    lexer_.skip_line();
  }
}

// ---------------------------------------------------------------- init block

void Parser::parse_init() {
  expect(TokenKind::LBrace, "'{' starting the initial state");
  std::vector<InitItem> items;
  while (!at(TokenKind::RBrace)) {
    if (at(TokenKind::Semi)) {
      take();
      continue;
    }
    items.push_back(parse_init_item());
    if (!at(TokenKind::RBrace)) expect(TokenKind::Semi, "';' or '}'");
  }
  take();
  add_init_items(items);
}

bool Parser::at_thread_ref() {
  const Token& first = peek();
  return (first.kind == TokenKind::Number || is_thread_name(first.text)) &&
         peek(1).kind == TokenKind::Colon;
}

InitItem Parser::parse_init_item() {
  InitItem item;
  // `int x`, `u64 0:r1`, `int* p`: a type name, then what it types.
  const TokenKind after = peek(1).kind;
  if (at(TokenKind::Ident) && !at_thread_ref() &&
      (after == TokenKind::Ident || after == TokenKind::Number || after == TokenKind::Star ||
       after == TokenKind::LBracket)) {
    item.type = std::string(take().text);
    if (at(TokenKind::Star)) {
      take();
      *item.type += "*";
    }
  }
  item.pos = peek().pos;
  if (at_thread_ref()) {
    item.is_register = true;
    item.thread = parse_thread_ref();
    take();  // ':'
    item.reg = parse_register();
  } else if (at(TokenKind::LBracket)) {
    take();
    if (!is_location_name(peek())) fail_here("a location name");
    item.pos = peek().pos;
    item.location = take().text;
    expect(TokenKind::RBracket, "']'");
  } else if (is_location_name(peek())) {
    item.location = take().text;
  } else {
    fail_here("a location or a register such as 0:r1");
  }
  if (at(TokenKind::Assign)) {
    take();
    if (at(TokenKind::Amp)) take();  // herd's `int *p = &x`
    item.value_pos = peek().pos;
    item.value = parse_value();
  }
  return item;
}

Value Parser::parse_value() {
  Value value;
  if (is_location_name(peek())) {
    value.is_address = true;
    value.location = take().text;
  } else if (at(TokenKind::Number) || at(TokenKind::Minus) || at(TokenKind::Plus)) {
    value.integer = parse_integer(std::numeric_limits<std::int64_t>::min(),
                                  std::numeric_limits<std::int64_t>::max(), "a value");
  } else {
    fail_here("a number or a location name");
  }
  return value;
}

void Parser::add_init_items(const std::vector<InitItem>& items) {
  std::map<std::string, SourcePos, std::less<>> declared;
  std::map<std::pair<int, Reg>, SourcePos> registers;
  for (const InitItem& item : items) {
    if (item.is_register) {
      const auto [it, fresh] = registers.emplace(std::pair{item.thread, item.reg}, item.pos);
      if (!fresh) {
        fail(item.pos,
             "one initial value per register (this one is set at " + pos_text(it->second) + ")",
             "a second");
      }
      test_.register_inits.push_back({item.thread, item.reg, item.value, item.pos});
      continue;
    }
    const auto [it, fresh] = declared.emplace(item.location, item.pos);
    if (!fresh) {
      fail(item.pos,
           "one declaration per location (" + item.location + " is declared at " +
               pos_text(it->second) + ")",
           "a second");
    }
    Location& location = mention_location(item.location, item.pos);
    location.type = item.type;
    location.init = item.value;
  }
  for (const bool registers_first : {true, false}) {
    for (const InitItem& item : items) {
      if (item.is_register == registers_first && item.value.is_address) {
        mention_location(item.value.location, item.value_pos);
      }
    }
  }
}

Location& Parser::mention_location(std::string_view name, SourcePos pos) {
  const auto [it, fresh] = location_index_.emplace(name, test_.locations.size());
  if (!fresh) return test_.locations[it->second];
  Location& location = test_.locations.emplace_back();
  location.name = name;
  location.pos = pos;
  return location;
}

// ---------------------------------------------------------------- thread table

bool Parser::at_program_end() {
  return at(TokenKind::End) || at(TokenKind::Tilde) ||
         (at(TokenKind::Ident) && is_one_of(peek().text, kProgramEndWords));
}

void Parser::parse_program() {
  if (at(TokenKind::Semi)) take();
  while (true) {
    const std::string expected = "P" + std::to_string(test_.threads.size());
    if (!at_word(expected)) fail_here("'" + expected + "'");
    take();
    test_.threads.push_back({static_cast<int>(test_.threads.size()), {}});
    if (!at(TokenKind::Pipe)) break;
    take();
  }
  expect(TokenKind::Semi, "'|' or ';'");
  std::vector<std::map<std::string, SourcePos, std::less<>>> labels(test_.threads.size());
  if (at_program_end()) fail_here("a row of instructions");
  do {
    parse_row(labels);
  } while (!at_program_end());
  check_jumps(labels);
}

void Parser::parse_row(std::vector<std::map<std::string, SourcePos, std::less<>>>& labels) {
  const std::size_t n_threads = test_.threads.size();
  for (std::size_t cell = 0;; ++cell) {
    test_.threads[cell].code.push_back(parse_cell(cell, labels[cell]));
    if (at(TokenKind::Semi)) {
      if (cell + 1 < n_threads) {
        fail(peek().pos, std::to_string(n_threads) + " cells in this row (one per thread)",
             std::to_string(cell + 1));
      }
      take();
      return;
    }
    if (!at(TokenKind::Pipe)) fail_here("'|' or ';'");
    if (cell + 1 == n_threads) {
      fail_here("';' ending this row of " + std::to_string(n_threads) +
                " cells (one per thread)");
    }
    take();
  }
}

Statement Parser::parse_cell(std::size_t thread,
                             std::map<std::string, SourcePos, std::less<>>& labels) {
  Statement statement;
  statement.pos = peek().pos;
  while (is_label_name(peek()) && peek(1).kind == TokenKind::Colon) {
    const Token label = take();
    take();
    const auto [it, fresh] = labels.emplace(label.text, label.pos);
    if (!fresh) {
      fail(label.pos,
           "a new label (" + it->first + " is already defined at " + pos_text(it->second) + ")",
           describe(label));
    }
    statement.labels.emplace_back(label.text);
  }
  if (!at(TokenKind::Pipe) && !at(TokenKind::Semi)) {
    statement.instruction = parse_instruction(thread);
  }
  return statement;
}

Instruction Parser::parse_instruction(std::size_t thread) {
  if (at(TokenKind::Star)) return parse_store();
  if (at(TokenKind::Ident)) {
    const std::string_view word = peek().text;
    if (register_named(word) || looks_like_register(word)) return parse_register_instruction();
    if (word == "lock") return parse_lock();
    if (word == "store_release") return parse_store_release();
    if (word == "if") return parse_cond_jump(thread);
    if (word == "goto") {
      take();
      return Goto{parse_label_ref(thread)};
    }
  }
  fail_here("an instruction or a label");
}

Instruction Parser::parse_register_instruction() {
  const Reg dst = parse_register();
  if (at(TokenKind::AluAssign)) {
    const AluOp op = take().alu_op;
    return Alu{op, dst, parse_operand(INT32_MIN, INT32_MAX)};
  }
  expect(TokenKind::Assign, "'=' or an ALU operator such as '+='");
  if (at(TokenKind::Star)) {
    take();
    const MemoryOperand mem = parse_memory_operand(false);
    return Load{mem.width, dst, mem.base, mem.off, false};
  }
  if (at(TokenKind::Ident)) {
    const std::string_view word = peek().text;
    if (word == "atomic_fetch_add") return parse_fetch(dst, AtomicOp::Add);
    if (word == "atomic_fetch_and") return parse_fetch(dst, AtomicOp::And);
    if (word == "atomic_fetch_or") return parse_fetch(dst, AtomicOp::Or);
    if (word == "atomic_fetch_xor") return parse_fetch(dst, AtomicOp::Xor);
    if (word == "xchg_64") return parse_xchg(dst, Width::U64);
    if (word == "xchg_32_32") return parse_xchg(dst, Width::U32);
    if (word == "cmpxchg_64") return parse_cmpxchg(dst, Width::U64);
    if (word == "cmpxchg32_32") return parse_cmpxchg(dst, Width::U32);
    if (word == "load_acquire") {
      take();
      expect(TokenKind::LParen, "'('");
      const MemoryOperand mem = parse_memory_operand(false);
      expect(TokenKind::RParen, "')'");
      return Load{mem.width, dst, mem.base, mem.off, true};
    }
    if (register_named(word) || looks_like_register(word)) {
      return Mov{dst, Operand{true, parse_register(), 0}};
    }
  }
  if (at(TokenKind::Number) || at(TokenKind::Minus) || at(TokenKind::Plus)) {
    // `rD = imm` is BPF_LD_IMM64 when the value does not fit in 32 bits.
    return Mov{dst, parse_operand(INT64_MIN, INT64_MAX)};
  }
  fail_here("a register, a number, a load or an atomic operation");
}

Instruction Parser::parse_fetch(Reg dst, AtomicOp op) {
  take();
  expect(TokenKind::LParen, "'('");
  const MemoryOperand mem = parse_memory_operand(true);
  expect(TokenKind::Comma, "','");
  const Reg src = parse_register();
  expect(TokenKind::RParen, "')'");
  return Atomic{op, mem.width, mem.base, mem.off, src, true, dst, 0};
}

Instruction Parser::parse_xchg(Reg dst, Width width) {
  take();
  expect(TokenKind::LParen, "'('");
  const Reg base = parse_register();
  const std::int16_t off = parse_offset();
  expect(TokenKind::Comma, "','");
  const Reg src = parse_register();
  expect(TokenKind::RParen, "')'");
  return Atomic{AtomicOp::Xchg, width, base, off, src, true, dst, 0};
}

Instruction Parser::parse_cmpxchg(Reg dst, Width width) {
  take();
  expect(TokenKind::LParen, "'('");
  const Reg base = parse_register();
  const std::int16_t off = parse_offset();
  expect(TokenKind::Comma, "','");
  const Reg expected = parse_register();
  expect(TokenKind::Comma, "','");
  const Reg src = parse_register();
  expect(TokenKind::RParen, "')'");
  return Atomic{AtomicOp::Cmpxchg, width, base, off, src, true, dst, expected};
}

Instruction Parser::parse_store() {
  take();  // '*'
  const MemoryOperand mem = parse_memory_operand(false);
  expect(TokenKind::Assign, "'='");
  return Store{mem.width, mem.base, mem.off, parse_operand(INT32_MIN, INT32_MAX), false};
}

Instruction Parser::parse_lock() {
  take();
  expect(TokenKind::Star, "'*'");
  const MemoryOperand mem = parse_memory_operand(true);
  const Token& op = peek();
  AtomicOp atomic_op = AtomicOp::Add;
  if (op.kind == TokenKind::AluAssign && op.alu_op == AluOp::Add) {
    atomic_op = AtomicOp::Add;
  } else if (op.kind == TokenKind::AluAssign && op.alu_op == AluOp::And) {
    atomic_op = AtomicOp::And;
  } else if (op.kind == TokenKind::AluAssign && op.alu_op == AluOp::Or) {
    atomic_op = AtomicOp::Or;
  } else if (op.kind == TokenKind::AluAssign && op.alu_op == AluOp::Xor) {
    atomic_op = AtomicOp::Xor;
  } else {
    fail_here("'+=', '&=', '|=' or '^=' (the atomic operations)");
  }
  take();
  return Atomic{atomic_op, mem.width, mem.base, mem.off, parse_register(), false, 0, 0};
}

Instruction Parser::parse_store_release() {
  take();
  expect(TokenKind::LParen, "'('");
  const MemoryOperand mem = parse_memory_operand(false);
  expect(TokenKind::Comma, "','");
  const Reg src = parse_register();
  expect(TokenKind::RParen, "')'");
  return Store{mem.width, mem.base, mem.off, Operand{true, src, 0}, true};
}

Instruction Parser::parse_cond_jump(std::size_t thread) {
  take();  // if
  CondJump jump;
  jump.lhs = parse_register();
  switch (peek().kind) {
    case TokenKind::EqEq: jump.op = CondOp::Eq; break;
    case TokenKind::NotEq: jump.op = CondOp::Ne; break;
    case TokenKind::Lt: jump.op = CondOp::Lt; break;
    case TokenKind::Ge: jump.op = CondOp::Ge; break;
    default: fail_here("a comparison '==', '!=', '<' or '>='");
  }
  take();
  jump.rhs = parse_operand(INT32_MIN, INT32_MAX);
  if (!at_word("goto")) fail_here("'goto'");
  take();
  jump.label = parse_label_ref(thread);
  return jump;
}

std::string Parser::parse_label_ref(std::size_t thread) {
  if (!is_label_name(peek())) fail_here("a label");
  jumps_.push_back({thread, peek()});
  return std::string(take().text);
}

void Parser::check_jumps(
    const std::vector<std::map<std::string, SourcePos, std::less<>>>& labels) {
  for (const PendingJump& jump : jumps_) {
    if (!labels[jump.thread].contains(jump.label.text)) {
      fail(jump.label.pos, "a label defined in P" + std::to_string(jump.thread),
           describe(jump.label));
    }
  }
}

Reg Parser::parse_register() {
  if (at(TokenKind::Ident)) {
    if (const std::optional<Reg> reg = register_named(peek().text)) {
      take();
      return *reg;
    }
  }
  fail_here("a register r0..r10 or fp");
}

Operand Parser::parse_operand(std::int64_t min, std::int64_t max) {
  if (at(TokenKind::Ident) && (register_named(peek().text) || looks_like_register(peek().text))) {
    return Operand{true, parse_register(), 0};
  }
  if (!at(TokenKind::Number) && !at(TokenKind::Minus) && !at(TokenKind::Plus)) {
    fail_here("a register or a number");
  }
  return Operand{false, 0, parse_integer(min, max, "an immediate")};
}

// `(uN *)`
Width Parser::parse_cast(bool atomic) {
  expect(TokenKind::LParen, "'('");
  const Token token = peek();
  Width width = Width::U8;
  if (at_word("u8")) {
    width = Width::U8;
  } else if (at_word("u16")) {
    width = Width::U16;
  } else if (at_word("u32")) {
    width = Width::U32;
  } else if (at_word("u64")) {
    width = Width::U64;
  } else {
    fail_here("a width u8, u16, u32 or u64");
  }
  if (atomic && (width == Width::U8 || width == Width::U16)) {
    fail(token.pos, "u32 or u64 (the widths of BPF atomics)", describe(token));
  }
  take();
  expect(TokenKind::Star, "'*'");
  expect(TokenKind::RParen, "')'");
  return width;
}

// `(uN *)(rB + off)`
MemoryOperand Parser::parse_memory_operand(bool atomic) {
  MemoryOperand mem;
  mem.width = parse_cast(atomic);
  expect(TokenKind::LParen, "'('");
  mem.base = parse_register();
  mem.off = parse_offset();
  expect(TokenKind::RParen, "')'");
  return mem;
}

std::int16_t Parser::parse_offset() {
  if (!at(TokenKind::Plus) && !at(TokenKind::Minus) && !at(TokenKind::Number)) {
    fail_here("'+' or '-' and an offset");
  }
  return static_cast<std::int16_t>(parse_integer(INT16_MIN, INT16_MAX, "an offset"));
}

std::int64_t Parser::parse_integer(std::int64_t min, std::int64_t max, std::string_view what) {
  const SourcePos pos = peek().pos;
  std::string written;
  bool negative = false;
  if (at(TokenKind::Minus) || at(TokenKind::Plus)) {
    negative = at(TokenKind::Minus);
    written = take().text;
  }
  if (!at(TokenKind::Number) || peek().number_status == NumberStatus::Malformed) {
    fail_here(what);
  }
  const Token number = take();
  written += number.text;
  const std::uint64_t magnitude = number.number;
  // The largest magnitude each sign allows, computed without overflow.
  const std::uint64_t limit = negative ? static_cast<std::uint64_t>(-(min + 1)) + 1u
                                       : static_cast<std::uint64_t>(max);
  const bool in_range = number.number_status == NumberStatus::Ok && magnitude <= limit;
  if (!in_range) {
    fail(pos, std::string(what) + " in " + range_text(min, max), "'" + written + "'");
  }
  return negative ? static_cast<std::int64_t>(0u - magnitude) : static_cast<std::int64_t>(magnitude);
}

// ---------------------------------------------------------------- condition

void Parser::parse_constraints() {
  std::vector<SourcePos> listed_at;
  if (at_word("locations")) {
    take();
    expect(TokenKind::LBracket, "'['");
    while (!at(TokenKind::RBracket)) {
      listed_at.push_back(peek().pos);
      test_.extra_observed.push_back(parse_observable(false));
      if (!at(TokenKind::RBracket)) expect(TokenKind::Semi, "';' or ']'");
    }
    take();
  }
  parse_final_condition();
  // The list is written first, but its locations come after the condition's.
  for (std::size_t i = 0; i < listed_at.size(); ++i) {
    const Observable& observable = test_.extra_observed[i];
    if (!observable.is_register) mention_location(observable.location, listed_at[i]);
  }
}

void Parser::parse_final_condition() {
  if (at(TokenKind::End)) {  // herd: no condition means `forall (true)`
    test_.quantifier = Quantifier::Forall;
    test_.condition = Condition{};
    test_.condition.pos = peek().pos;
    return;
  }
  if (at_word("exists") || at_word("final")) {
    test_.quantifier = Quantifier::Exists;
  } else if (at_word("forall")) {
    test_.quantifier = Quantifier::Forall;
  } else if (at(TokenKind::Tilde) && peek(1).kind == TokenKind::Ident &&
             peek(1).text == "exists") {
    take();
    test_.quantifier = Quantifier::NotExists;
  } else {
    fail_here("'exists', '~exists', 'forall' or end of file");
  }
  take();
  test_.condition = parse_or();
  if (at(TokenKind::Semi)) take();
  if (!at(TokenKind::End)) fail_here("end of file");
}

int Parser::parse_thread_ref() {
  const Token token = take();
  const std::string_view digits = token.kind == TokenKind::Number ? token.text : token.text.substr(1);
  const bool decimal = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (!decimal || digits.size() > 9) fail(token.pos, "a thread number", describe(token));
  int thread = 0;
  for (const char c : digits) thread = thread * 10 + (c - '0');
  if (!test_.threads.empty() && static_cast<std::size_t>(thread) >= test_.threads.size()) {
    fail(token.pos, "a thread number " + range_text(0, std::ssize(test_.threads) - 1),
         describe(token));
  }
  return thread;
}

// `0:r1`, `P0:r1`, `x`, and in a condition also `[x]`.
Observable Parser::parse_observable(bool in_condition) {
  Observable observable;
  if (at_thread_ref()) {
    observable.is_register = true;
    observable.thread = parse_thread_ref();
    take();  // ':'
    observable.reg = parse_register();
    return observable;
  }
  const bool bracketed = in_condition && at(TokenKind::LBracket);
  if (bracketed) take();
  if (!is_location_name(peek())) fail_here("a register such as 0:r1 or a location name");
  observable.location = take().text;
  if (bracketed) expect(TokenKind::RBracket, "']'");
  return observable;
}

Condition Parser::parse_or() {
  std::vector<Condition> operands;
  operands.push_back(parse_and());
  while (at(TokenKind::OrOp)) {
    take();
    operands.push_back(parse_and());
  }
  if (operands.size() == 1) return std::move(operands.front());
  return make_nary(Condition::Kind::Or, std::move(operands));
}

Condition Parser::parse_and() {
  std::vector<Condition> operands;
  operands.push_back(parse_implies());
  while (at(TokenKind::AndOp)) {
    take();
    operands.push_back(parse_implies());
  }
  if (operands.size() == 1) return std::move(operands.front());
  return make_nary(Condition::Kind::And, std::move(operands));
}

// herd gives `=>` a higher precedence than `/\` and makes it right-associative.
Condition Parser::parse_implies() {
  Condition premise = parse_unary();
  if (!at(TokenKind::Implies)) return premise;
  const NestingGuard guard(*this, take().pos);
  const SourcePos pos = premise.pos;
  std::vector<Condition> operands;
  operands.push_back(make_not(std::move(premise), pos));
  operands.push_back(parse_implies());
  return make_nary(Condition::Kind::Or, std::move(operands));
}

Condition Parser::parse_unary() {
  if (at(TokenKind::Tilde) || at_word("not")) {
    const SourcePos pos = take().pos;
    const NestingGuard guard(*this, pos);
    return make_not(parse_unary(), pos);
  }
  return parse_primary();
}

Condition Parser::parse_primary() {
  if (at_word("true") || at_word("false")) {
    Condition constant;
    constant.pos = peek().pos;
    constant.constant = take().text == "true";
    return constant;
  }
  if (at(TokenKind::LParen)) {
    const NestingGuard guard(*this, take().pos);
    Condition inner = parse_or();
    expect(TokenKind::RParen, "')'");
    return inner;
  }
  return parse_atom();
}

Condition Parser::parse_atom() {
  Condition atom;
  atom.kind = Condition::Kind::Atom;
  atom.pos = peek().pos;
  if (!at_thread_ref() && !at(TokenKind::LBracket) && !is_location_name(peek())) {
    fail_here("a register such as 0:r1, a location, 'true', 'false', '~' or '('");
  }
  atom.atom.target = parse_observable(true);
  if (!atom.atom.target.is_register) mention_location(atom.atom.target.location, atom.pos);
  bool negated = false;
  if (at(TokenKind::NotEq)) {
    negated = true;
  } else if (!at(TokenKind::Assign) && !at(TokenKind::EqEq)) {
    fail_here("'=' or '!='");
  }
  take();
  const SourcePos value_pos = peek().pos;
  atom.atom.value = parse_value();
  if (atom.atom.value.is_address) mention_location(atom.atom.value.location, value_pos);
  if (!negated) return atom;
  const SourcePos pos = atom.pos;
  return make_not(std::move(atom), pos);
}

}  // namespace

Test parse_text(std::string_view text, std::string file_name) {
  if (text.size() > kMaxInputBytes) {
    throw ParseError(std::move(file_name), 1, 1,
                     "expected at most " + std::to_string(kMaxInputBytes) + " bytes, got " +
                         std::to_string(text.size()));
  }
  return Parser(text, std::move(file_name)).parse();
}

Test parse_file(const std::string& path) {
  const auto unreadable = [&path](int error) {
    return ParseError(path, 0, 0, std::string("expected a readable file, got ") + std::strerror(error));
  };
  struct Closer {
    void operator()(std::FILE* stream) const { std::fclose(stream); }
  };
  const std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw unreadable(errno);
  std::string text;
  std::array<char, 65536> buffer{};
  while (true) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (std::ferror(file.get())) throw unreadable(errno);
    text.append(buffer.data(), n);
    if (text.size() > kMaxInputBytes) {
      throw ParseError(path, 0, 0,
                       "expected a file of at most " + std::to_string(kMaxInputBytes) +
                           " bytes, got a larger one");
    }
    if (n < buffer.size()) break;
  }
  return parse_text(text, path);
}

}  // namespace bpf_litmus::litmus
