#include "model/thread_paths.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <type_traits>

#include "litmus/printer.hpp"

namespace bpf_litmus::model {
namespace {

using Flow = std::vector<std::uint32_t>;  // reading events, sorted

void merge_into(Flow& into, const Flow& from) {
  Flow merged;
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(merged));
  into = std::move(merged);
}

// The state of one path under construction.
struct PathState {
  std::size_t pc = 0;
  std::array<Flow, litmus::kNumRegs> flow{};  // reads whose value reaches each register
  Flow ctrl_from;                             // reads that some earlier branch depends on
  std::map<std::size_t, std::uint32_t> back_jumps;  // per target statement
  std::uint32_t steps = 0;
  ThreadPath path;
};

class PathBuilder {
 public:
  PathBuilder(const litmus::Test& test, std::size_t thread, const LocationTable& locations,
              const Limits& limits)
      : thread_(test.threads.at(thread)), locations_(locations), limits_(limits) {
    for (std::size_t i = 0; i < thread_.code.size(); ++i) {
      for (const std::string& label : thread_.code[i].labels) {
        if (!labels_.emplace(label, i).second) fail("label " + label + " is defined twice");
      }
    }
    PathState start;
    start.path.registers.fill(SymVal::of(Val::of_int(0)));
    for (const litmus::RegisterInit& init : test.register_inits) {
      if (init.thread != thread_.id) continue;
      start.path.registers.at(init.reg) = SymVal::of(locations_.value_of(init.value));
    }
    pending_.push_back(std::move(start));
  }

  std::vector<ThreadPath> run() {
    while (!pending_.empty()) {
      PathState state = std::move(pending_.back());
      pending_.pop_back();
      finish(run_path(state));
    }
    return std::move(done_);
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw ModelError("P" + std::to_string(thread_.id) + ": " + why);
  }

  [[noreturn]] void fail_at(std::size_t statement, const std::string& why) const {
    const auto& instruction = thread_.code[statement].instruction;
    fail("`" + litmus::print_instruction(*instruction) + "`: " + why);
  }

  void finish(PathState& state) {
    if (done_.size() >= limits_.max_paths) {
      throw LimitExceeded("P" + std::to_string(thread_.id) + " has more than " +
                          std::to_string(limits_.max_paths) +
                          " control-flow paths (Limits::max_paths)");
    }
    done_.push_back(std::move(state.path));
  }

  // Runs state to the end of its path, queueing the other side of each fork.
  PathState& run_path(PathState& state) {
    while (state.pc < thread_.code.size() && !state.path.cut_off) {
      const auto& instruction = thread_.code[state.pc].instruction;
      if (!instruction) {
        ++state.pc;
        continue;
      }
      if (++state.steps > limits_.max_steps) {
        throw LimitExceeded("P" + std::to_string(thread_.id) + " runs more than " +
                            std::to_string(limits_.max_steps) +
                            " instructions on one path (Limits::max_steps)");
      }
      std::visit([&](const auto& insn) { step(state, insn); }, *instruction);
    }
    return state;
  }

  // ------------------------------------------------------------ values

  SymVal& reg(PathState& state, litmus::Reg r) const { return state.path.registers.at(r); }

  SymVal operand(PathState& state, const litmus::Operand& op) const {
    return op.is_reg ? reg(state, op.reg) : SymVal::of(Val::of_int(op.imm));
  }

  Flow operand_flow(const PathState& state, const litmus::Operand& op) const {
    return op.is_reg ? state.flow.at(op.reg) : Flow{};
  }

  SymVal new_unknown(PathState& state, VarDef def) const {
    state.path.vars.push_back(def);
    return SymVal::unknown(static_cast<std::uint32_t>(state.path.vars.size() - 1));
  }

  // lhs op rhs, simplified as herd7 does before any value is known
  // (lib/symbValue.ml): only known operands compute; x+0, x|0 are x; x^x is 0;
  // x==x is 1 and x!=x is 0 for one unknown x.
  SymVal apply_sym(PathState& state, std::size_t statement, Op op, const SymVal& lhs,
                   const SymVal& rhs) const {
    if (lhs.known && rhs.known) {
      try {
        return SymVal::of(apply(op, lhs.val, rhs.val));
      } catch (const ModelError& e) {
        fail_at(statement, e.what());
      }
    }
    if (op == Op::Add || op == Op::Or) {
      if (lhs.known && lhs.val.is_zero()) return rhs;
      if (rhs.known && rhs.val.is_zero()) return lhs;
    }
    const bool same_unknown = !lhs.known && !rhs.known && lhs.var == rhs.var;
    if (same_unknown && op == Op::Xor) return SymVal::of(Val::of_int(0));
    if (same_unknown && op == Op::Eq) return SymVal::of(Val::of_int(1));
    if (same_unknown && op == Op::Ne) return SymVal::of(Val::of_int(0));
    return new_unknown(state, VarDef{false, 0, op, lhs, rhs});
  }

  // The address rB + off; an access through a known non-address, or beyond the
  // start of a location, is an error herd7 reports too.
  SymVal address(PathState& state, std::size_t statement, litmus::Reg base, std::int16_t off) const {
    const SymVal a = apply_sym(state, statement, Op::Add, reg(state, base), SymVal::of(Val::of_int(off)));
    if (a.known && a.val.kind == Val::Kind::Int) {
      fail_at(statement, "access through " + locations_.format(a.val) + ", which is not an address");
    }
    if (a.known && a.val.offset != 0) {
      fail_at(statement, "access to " + locations_.format(a.val) + ", inside a location (herd7 " +
                             "accesses whole locations only)");
    }
    return a;
  }

  // ------------------------------------------------------------ events

  std::uint32_t add_event(PathState& state, PathEvent event) const {
    const auto index = static_cast<std::uint32_t>(state.path.events.size());
    event.statement = static_cast<std::uint32_t>(state.pc);
    if (event.reads) {
      event.read_var = new_unknown(state, VarDef{true, index, Op::Add, {}, {}}).var;
    }
    state.path.events.push_back(event);
    for (const std::uint32_t from : state.ctrl_from) state.path.ctrl.emplace_back(from, index);
    return index;
  }

  static void depend(EventPairs& into, const Flow& from, std::uint32_t to) {
    for (const std::uint32_t r : from) into.emplace_back(r, to);
  }

  SymVal read_value(const PathState& state, std::uint32_t event) const {
    return SymVal::unknown(state.path.events[event].read_var);
  }

  // ------------------------------------------------------------ instructions

  void step(PathState& state, const litmus::Mov& mov) const {
    reg(state, mov.dst) = operand(state, mov.src);
    state.flow.at(mov.dst) = operand_flow(state, mov.src);
    ++state.pc;
  }

  void step(PathState& state, const litmus::Alu& alu) const {
    Op op = Op::Add;
    try {
      op = to_op(alu.op);
    } catch (const ModelError& e) {
      fail_at(state.pc, e.what());
    }
    reg(state, alu.dst) = apply_sym(state, state.pc, op, reg(state, alu.dst), operand(state, alu.src));
    merge_into(state.flow.at(alu.dst), operand_flow(state, alu.src));
    ++state.pc;
  }

  void step(PathState& state, const litmus::Load& load) const {
    PathEvent event;
    event.reads = true;
    event.annotation = load.acquire ? Annotation::Acquire : Annotation::Plain;
    event.primitive = load.acquire ? Primitive::LoadAcquire : Primitive::Load;
    event.address = address(state, state.pc, load.base, load.off);
    const std::uint32_t e = add_event(state, event);
    depend(state.path.addr, state.flow.at(load.base), e);
    reg(state, load.dst) = read_value(state, e);
    state.flow.at(load.dst) = Flow{e};
    ++state.pc;
  }

  void step(PathState& state, const litmus::Store& store) const {
    PathEvent event;
    event.writes = true;
    event.annotation = store.release ? Annotation::Release : Annotation::Plain;
    event.primitive = store.release ? Primitive::StoreRelease : Primitive::Store;
    event.address = address(state, state.pc, store.base, store.off);
    event.written = operand(state, store.src);
    const std::uint32_t e = add_event(state, event);
    depend(state.path.addr, state.flow.at(store.base), e);
    depend(state.path.data, operand_flow(state, store.src), e);
    ++state.pc;
  }

  void step(PathState& state, const litmus::Atomic& atomic) {
    if (atomic.op == litmus::AtomicOp::Cmpxchg) {
      cmpxchg(state, atomic);
      return;
    }
    const bool xchg = atomic.op == litmus::AtomicOp::Xchg;
    PathEvent event;
    event.reads = true;
    event.writes = true;
    event.annotation = atomic.fetch ? Annotation::SeqCst : Annotation::Atomic;
    event.primitive = xchg ? Primitive::Xchg
                           : (atomic.fetch ? Primitive::AtomicFetch : Primitive::AtomicNoFetch);
    event.address = address(state, state.pc, atomic.base, atomic.off);
    const SymVal operand_value = reg(state, atomic.src);
    const std::uint32_t e = add_event(state, event);
    // The stored value: the operand for xchg, else `old op operand`, computed
    // once the value read is known (herd7 never simplifies it beforehand).
    state.path.events[e].written =
        xchg ? operand_value
             : new_unknown(state, VarDef{false, 0, to_op(atomic.op), read_value(state, e), operand_value});
    // The event reads (the operand is an input: addr) and writes (the operand
    // is the stored data: data).
    depend(state.path.addr, state.flow.at(atomic.base), e);
    depend(state.path.addr, state.flow.at(atomic.src), e);
    depend(state.path.data, state.flow.at(atomic.src), e);
    if (atomic.fetch) {
      reg(state, atomic.src) = read_value(state, e);
      state.flow.at(atomic.src) = Flow{e};
    }
    ++state.pc;
  }

  // r0 = cmpxchg(rB + off, r0, rS): forks into success and failure.
  void cmpxchg(PathState& state, const litmus::Atomic& atomic) {
    const SymVal where = address(state, state.pc, atomic.base, atomic.off);
    const SymVal expected = reg(state, 0);
    const SymVal replacement = reg(state, atomic.src);
    const Flow base_flow = state.flow.at(atomic.base);
    const Flow src_flow = state.flow.at(atomic.src);

    PathState failure = state;
    {
      PathEvent read;
      read.reads = true;
      read.primitive = Primitive::CmpxchgFailure;
      read.address = where;
      const std::uint32_t r = add_event(failure, read);
      depend(failure.path.addr, base_flow, r);
      failure.path.constraints.push_back(Constraint{Op::Eq, expected, read_value(failure, r), false});
      reg(failure, 0) = read_value(failure, r);
      failure.flow.at(0) = Flow{r};
      ++failure.pc;
    }
    pending_.push_back(std::move(failure));

    PathEvent read;
    read.reads = true;
    read.annotation = Annotation::SeqCst;
    read.primitive = Primitive::CmpxchgSuccess;
    read.address = where;
    const std::uint32_t r = add_event(state, read);
    PathEvent write = read;
    write.reads = false;
    write.writes = true;
    write.written = replacement;
    const std::uint32_t w = add_event(state, write);
    state.path.rmw.emplace_back(r, w);
    depend(state.path.addr, base_flow, r);
    depend(state.path.addr, base_flow, w);
    depend(state.path.data, src_flow, w);
    state.path.constraints.push_back(Constraint{Op::Eq, expected, read_value(state, r), true});
    reg(state, 0) = read_value(state, r);
    state.flow.at(0) = Flow{r};
    ++state.pc;
  }

  void step(PathState& state, const litmus::Goto& jump) const { take_jump(state, jump.label, true); }

  void step(PathState& state, const litmus::CondJump& jump) {
    Op op = to_op(jump.op);
    const SymVal lhs = reg(state, jump.lhs);
    const SymVal rhs = operand(state, jump.rhs);
    merge_into(state.ctrl_from, state.flow.at(jump.lhs));
    merge_into(state.ctrl_from, operand_flow(state, jump.rhs));
    const SymVal outcome = apply_sym(state, state.pc, op, lhs, rhs);
    if (outcome.known) {
      // A decided branch: herd7 does not count it towards unrolling.
      if (outcome.val.is_zero()) {
        ++state.pc;
      } else {
        take_jump(state, jump.label, false);
      }
      return;
    }
    PathState fall = state;
    fall.path.constraints.push_back(Constraint{op, lhs, rhs, false});
    ++fall.pc;
    pending_.push_back(std::move(fall));
    state.path.constraints.push_back(Constraint{op, lhs, rhs, true});
    take_jump(state, jump.label, true);
  }

  void take_jump(PathState& state, const std::string& label, bool counts_for_unrolling) const {
    const auto it = labels_.find(label);
    if (it == labels_.end()) fail_at(state.pc, "no label " + label + " in this thread");
    const std::size_t target = it->second;
    if (counts_for_unrolling && target <= state.pc && ++state.back_jumps[target] > limits_.unroll) {
      state.path.cut_off = true;
      return;
    }
    state.pc = target;
  }

  const litmus::Thread& thread_;
  const LocationTable& locations_;
  const Limits& limits_;
  std::map<std::string, std::size_t> labels_;
  std::vector<PathState> pending_;
  std::vector<ThreadPath> done_;
};

}  // namespace

std::vector<ThreadPath> thread_paths(const litmus::Test& test, std::size_t thread,
                                     const LocationTable& locations, const Limits& limits) {
  return PathBuilder(test, thread, locations, limits).run();
}

}  // namespace bpf_litmus::model
