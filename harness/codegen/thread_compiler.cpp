#include "codegen/thread_compiler.hpp"

#include <bit>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>

#include "codegen/emitter.hpp"
#include "codegen/insn.hpp"
#include "codegen/regalloc.hpp"

namespace bpf_litmus::codegen {
namespace {

using litmus::Reg;

constexpr std::int16_t control_offset(std::size_t offset) { return static_cast<std::int16_t>(offset); }
constexpr std::int16_t kAbortOff = control_offset(offsetof(ControlBlock, abort));
constexpr std::int16_t kNInstancesOff = control_offset(offsetof(ControlBlock, n_instances));
constexpr std::int16_t kSpinLimitOff = control_offset(offsetof(ControlBlock, spin_limit));
constexpr std::int16_t kGiveUpModeOff = control_offset(offsetof(ControlBlock, give_up_mode));
constexpr std::int16_t kT0Off = control_offset(offsetof(ControlBlock, t0_ns));
// bpf_loop runs at most this many rounds per call (BPF_MAX_LOOPS).
constexpr std::int32_t kMaxBpfLoops = 1 << 23;
// Spin-barrier checks per wait round: per wait callback call with BpfLoop (a
// loop the verifier unrolls), so that 2^23 calls cover spin limits up to
// 2^26; per may_goto with MayGoto (unrolled), so that a long wait spends the
// kernel's loop budget, which the instance loop shares, 8x slower (a launch
// of 2^20 instances on a slow host ran out of it at 948,778).
constexpr std::int32_t kChecksPerWaitRound = 8;
static_assert(std::has_single_bit(static_cast<std::uint32_t>(kChecksPerWaitRound)));
// BpfLoop: where a wait callback finds its context (two words); free during sync.
constexpr std::int16_t kWaitCtxSlot = kSyncSlot - 8;
// BpfLoop: times an instance may take its backward jumps in all (nothing
// else bounds them without may_goto; the verifier walks every round).
constexpr std::int32_t kBackwardJumpBudget = 64;
constexpr std::int16_t kSlotOff = control_offset(offsetof(ControlBlock, slot_ns));
static_assert(sizeof(ControlBlock) < std::numeric_limits<std::int16_t>::max(), "control fields are insn offsets");

constexpr bool fits_s32(std::int64_t v) {
  return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max();
}

unsigned bytes(litmus::Width width) { return static_cast<unsigned>(width); }
bool aligned(std::int16_t off, litmus::Width width) { return off % static_cast<int>(bytes(width)) == 0; }

std::string width_name(litmus::Width width) { return "u" + std::to_string(bytes(width) * 8); }

std::uint8_t alu_op(litmus::AluOp op) {
  switch (op) {
    case litmus::AluOp::Add: return BPF_ADD;
    case litmus::AluOp::Sub: return BPF_SUB;
    case litmus::AluOp::Mul: return BPF_MUL;
    case litmus::AluOp::Div: return BPF_DIV;
    case litmus::AluOp::Mod: return BPF_MOD;
    case litmus::AluOp::And: return BPF_AND;
    case litmus::AluOp::Or: return BPF_OR;
    case litmus::AluOp::Xor: return BPF_XOR;
    case litmus::AluOp::Lsh: return BPF_LSH;
    case litmus::AluOp::Rsh: return BPF_RSH;
    case litmus::AluOp::Arsh: return BPF_ARSH;
  }
  return BPF_ADD;
}

// herd7 compares its values as signed integers.
std::uint8_t jump_op(litmus::CondOp op) {
  switch (op) {
    case litmus::CondOp::Eq: return BPF_JEQ;
    case litmus::CondOp::Ne: return BPF_JNE;
    case litmus::CondOp::Lt: return BPF_JSLT;
    case litmus::CondOp::Ge: return BPF_JSGE;
  }
  return BPF_JEQ;
}

std::int32_t atomic_imm(const litmus::Atomic& a) {
  switch (a.op) {
    case litmus::AtomicOp::Add: return BPF_ADD | (a.fetch ? BPF_FETCH : 0);
    case litmus::AtomicOp::And: return BPF_AND | (a.fetch ? BPF_FETCH : 0);
    case litmus::AtomicOp::Or: return BPF_OR | (a.fetch ? BPF_FETCH : 0);
    case litmus::AtomicOp::Xor: return BPF_XOR | (a.fetch ? BPF_FETCH : 0);
    case litmus::AtomicOp::Xchg: return BPF_XCHG;
    case litmus::AtomicOp::Cmpxchg: return BPF_CMPXCHG;
  }
  return BPF_ADD;
}

std::string atomic_name(const litmus::Atomic& a) {
  static constexpr const char* kOps[] = {"add", "and", "or", "xor"};
  switch (a.op) {
    case litmus::AtomicOp::Xchg: return "xchg";
    case litmus::AtomicOp::Cmpxchg: return "cmpxchg";
    default: {
      const std::string op = kOps[static_cast<int>(a.op)];
      return a.fetch ? "atomic_fetch_" + op : "lock " + op;
    }
  }
}

class ThreadCompiler {
 public:
  explicit ThreadCompiler(const ThreadInput& in)
      : in_(in), code_(in.thread.code), alloc_(allocate_registers(demand())) {
    // Address registers used only as bases become pointers: three
    // instructions less per access (no copy, mask and add of the arena base).
    for (Reg r = 0; r < litmus::kNumRegs; ++r) {
      auto& home = alloc_.homes[r];
      if (home) home->pointer = home->in_machine_reg && in_.facts.base_only[r] && init_value(r).is_address;
    }
  }

  std::variant<ThreadProgram, CodegenError> run() {
    if (in_.thread.id < 0 || in_.thread.id >= kMaxThreads) {
      return fail("thread P" + std::to_string(in_.thread.id),
                  "the control block has room for " + std::to_string(kMaxThreads) + " threads", {});
    }
    emit_program();
    if (error_) return *error_;
    ThreadProgram program;
    program.thread = in_.thread.id;
    std::string why;
    if (!e_.finish(program, why)) return fail("thread P" + std::to_string(in_.thread.id), why, {});
    for (const auto& home : alloc_.homes) {
      if (home) program.homes.push_back(*home);
    }
    return program;
  }

 private:
  RegisterDemand demand() const {
    RegisterDemand d;
    d.uses = in_.facts.uses;
    d.cmpxchg = in_.facts.cmpxchg;
    d.wide_immediate = has_wide_immediate();
    return d;
  }

  // Immediates that need ld_imm64 into a scratch register (a wide `rD = imm`
  // needs none unless rD is spilled, which then provides the second scratch).
  bool has_wide_immediate() const {
    for (const auto& statement : code_) {
      if (!statement.instruction) continue;
      const auto* op = std::visit(
          [](const auto& i) -> const litmus::Operand* {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, litmus::Alu> || std::is_same_v<T, litmus::Store>) return &i.src;
            if constexpr (std::is_same_v<T, litmus::CondJump>) return &i.rhs;
            return nullptr;
          },
          *statement.instruction);
      if (op && !op->is_reg && !fits_s32(op->imm)) return true;
    }
    return false;
  }

  CodegenError fail(std::string construct, std::string reason, litmus::SourcePos pos) const {
    return CodegenError{CodegenError::Kind::Unsupported, std::move(construct), std::move(reason), in_.thread.id, pos};
  }
  void unsupported(const litmus::Statement& s, std::string construct, std::string reason) {
    if (!error_) error_ = fail(std::move(construct), std::move(reason), s.pos);
  }
  void invalid(const litmus::Statement& s, std::string construct, std::string reason) {
    unsupported(s, std::move(construct), std::move(reason));
    error_->kind = CodegenError::Kind::Invalid;
  }

  // ---- harness code --------------------------------------------------------

  // This thread's words in the arena's per-thread loop state.
  std::int16_t thread_word(ThreadStateWord word) const {
    return static_cast<std::int16_t>(in_.layout.thread_state_offset +
                                     static_cast<std::uint64_t>(in_.thread.id) * kThreadStateBytes +
                                     8 * static_cast<std::uint32_t>(word));
  }
  std::int16_t counter_off() const { return thread_word(ThreadStateWord::Counter); }
  std::int16_t limit_off() const { return thread_word(ThreadStateWord::Limit); }
  std::int16_t clock_off() const { return thread_word(ThreadStateWord::Clock); }
  bool may_goto_loop() const { return in_.loop == LoopStrategy::MayGoto; }
  // MayGoto with the index in kSyncIndexReg through the body: the index is
  // carried round the loop in its register and stored to the counter word
  // only on the way out.
  bool index_carried() const { return may_goto_loop() && alloc_.index == kSyncIndexReg; }

  // MayGoto: one function, a may_goto loop over the launch's instances,
  // instances_per_may_goto of them per round (one may_goto and abort check per
  // round; each instance checks the limit). The index must look unknown to
  // the verifier at the loop head (bounded by masking), or it would walk every
  // index instead of pruning: carried, it starts as a value read back from
  // the counter word (0, unknown to the verifier) and is stepped by 1, so the
  // loop head repeats from the second round; else it is read back from the
  // counter word before each instance. Carrying it saves a load and a store
  // per instance (SB+pos none: 0.58-0.72 -> 0.95-1.00 of the native mirror).
  // BpfLoop: the entry runs bpf_loop over an instance callback (index in r1);
  // waits run bpf_loop over a wait callback (Linux 5.17 has no other way to
  // bound them). Both return the instances completed, from the counter word.
  void emit_program() {
    done_ = e_.new_label();
    wait_callback_ = e_.new_label();
    emit_entry();
    if (may_goto_loop()) {
      const auto loop = e_.new_label();
      e_.begin_harness("instance loop: next round (may_goto), abort check");
      e_.bind(loop);
      // Again (and before each instance) only when the body keeps the base
      // elsewhere: it may have reused the register.
      const bool reload_base = alloc_.base != kSyncBaseReg;
      if (reload_base) e_.emit_map_value(kSyncBaseReg, in_.layout.guard_bytes);
      e_.emit_jump(insn::may_goto(0), done_);
      emit_abort_check(BPF_REG_1);
      for (int k = 0; k < instances_per_may_goto(in_.sync); ++k) {
        e_.begin_harness("instance loop: next index, limit check");
        if (reload_base && k > 0) e_.emit_map_value(kSyncBaseReg, in_.layout.guard_bytes);
        if (!index_carried()) e_.emit(insn::load(8, kSyncIndexReg, kSyncBaseReg, counter_off()));
        e_.emit(insn::load(8, BPF_REG_1, kSyncBaseReg, limit_off()));
        e_.emit_jump(insn::jmp_reg(BPF_JGE, kSyncIndexReg, BPF_REG_1, 0), done_);
        emit_instance();
      }
      e_.emit_jump(insn::ja(0), loop);
      emit_cold_paths();
      e_.begin_harness("done: note the end time, return the instances completed");
      e_.bind(done_);
      if (index_carried()) e_.emit(insn::store_reg(8, kSyncBaseReg, counter_off(), kSyncIndexReg));
      emit_return_counter();
      return;
    }
    const auto instance = e_.new_label();
    e_.begin_harness("run the instance callback over the launch with bpf_loop, return the instances completed");
    emit_bpf_loop_call(instance, 0);
    emit_return_counter();
    e_.begin_harness("instance callback (bpf_loop): index in r1, abort check");
    e_.bind(instance);
    e_.emit_map_value(kSyncBaseReg, in_.layout.guard_bytes);
    e_.emit(insn::mov64_reg(kSyncIndexReg, BPF_REG_1));
    emit_instance();
    e_.emit(insn::mov64_imm(BPF_REG_0, 0));  // go on with the next instance
    e_.emit(insn::exit());
    emit_cold_paths();
    e_.begin_harness("stop: end bpf_loop without completing this instance");
    e_.bind(done_);
    e_.emit(insn::mov64_imm(BPF_REG_0, 1));
    e_.emit(insn::exit());
    emit_wait_callback();
  }

  // Clamps n_instances to capacity (left in r1) and zeroes the instance counter.
  void emit_entry() {
    e_.begin_harness("entry: note the start time, clamp the launch to capacity, zero the instance counter");
    e_.emit_map_value(kSyncBaseReg, in_.layout.guard_bytes);
    e_.emit(insn::call_helper(BPF_FUNC_ktime_get_ns));
    e_.emit(insn::store_reg(8, kSyncBaseReg, thread_word(ThreadStateWord::LaunchStart), BPF_REG_0));
    e_.emit(insn::load(8, BPF_REG_1, kSyncBaseReg, kNInstancesOff));
    e_.emit(insn::jmp_imm(BPF_JLE, BPF_REG_1, static_cast<std::int32_t>(in_.layout.capacity), 1));
    e_.emit(insn::mov64_imm(BPF_REG_1, static_cast<std::int32_t>(in_.layout.capacity)));
    if (may_goto_loop()) e_.emit(insn::store_reg(8, kSyncBaseReg, limit_off(), BPF_REG_1));
    e_.emit(insn::store_imm(8, kSyncBaseReg, counter_off(), 0));
    // Carried: 0, read back so that the verifier sees an unknown index.
    if (index_carried()) e_.emit(insn::load(8, kSyncIndexReg, kSyncBaseReg, counter_off()));
  }

  // Notes the end time, returns the instances completed. Every way here keeps
  // the entry's (or the loop head's) arena base in kSyncBaseReg.
  void emit_return_counter() {
    e_.emit(insn::call_helper(BPF_FUNC_ktime_get_ns));
    e_.emit(insn::store_reg(8, kSyncBaseReg, thread_word(ThreadStateWord::LaunchEnd), BPF_REG_0));
    e_.emit(insn::load(8, BPF_REG_0, kSyncBaseReg, counter_off()));
    e_.emit(insn::exit());
  }

  // bpf_loop(r1, callback, fp + ctx_slot or NULL, 0); r1 is set by the caller.
  void emit_bpf_loop_call(Emitter::Label callback, std::int16_t ctx_slot) {
    e_.emit_func_address(BPF_REG_2, callback);
    if (ctx_slot == 0) {
      e_.emit(insn::mov64_imm(BPF_REG_3, 0));
    } else {
      e_.emit(insn::mov64_reg(BPF_REG_3, BPF_REG_10));
      e_.emit(insn::alu64_imm(BPF_ADD, BPF_REG_3, ctx_slot));
    }
    e_.emit(insn::mov64_imm(BPF_REG_4, 0));
    e_.emit(insn::call_helper(BPF_FUNC_loop));
  }

  // One instance, index in kSyncIndexReg and arena base in kSyncBaseReg:
  // abort check (MayGoto: once per round instead), sync, the test, capture,
  // count it complete.
  void emit_instance() {
    waits_.push_back({e_.new_label(), e_.new_label()});
    if (!may_goto_loop()) emit_abort_check(BPF_REG_1);  // MayGoto: once per round
    e_.emit(insn::alu64_imm(BPF_AND, kSyncIndexReg, static_cast<std::int32_t>(in_.layout.capacity - 1)));
    switch (in_.sync) {
      case SyncMode::None: break;
      case SyncMode::Spin: emit_spin(); break;
      case SyncMode::Timebase: emit_timebase(); break;
    }
    e_.bind(synced());
    emit_setup();
    emit_body();
    emit_capture();
    emit_count();
  }

  // The instance is complete: counter = index + 1.
  void emit_count() {
    e_.begin_harness("count the instance complete");
    if (index_carried()) {
      e_.emit(insn::alu64_imm(BPF_ADD, kSyncIndexReg, 1));
      return;
    }
    std::uint8_t index = alloc_.scratch;
    if (alloc_.index) {
      index = *alloc_.index;
    } else {
      e_.emit(insn::load(8, index, BPF_REG_10, alloc_.index_slot));
    }
    e_.emit(insn::alu64_imm(BPF_ADD, index, 1));
    e_.emit(insn::store_reg(8, alloc_.base, counter_off(), index));
  }

  // dst = index * factor, by shift when factor is a power of two.
  void emit_scale(std::uint8_t dst, std::uint64_t factor) {
    if (factor == 1) return;
    if (std::has_single_bit(factor)) {
      e_.emit(insn::alu64_imm(BPF_LSH, dst, std::countr_zero(factor)));
    } else {
      e_.emit(insn::alu64_imm(BPF_MUL, dst, static_cast<std::int32_t>(factor)));
    }
  }

  // dst = base + index * stride (+ region_offset); returns the insn offset
  // that reaches the region's element, keeping `room` more bytes reachable.
  std::int16_t emit_element_pointer(std::uint8_t dst, std::uint8_t index, std::uint8_t base, std::uint64_t stride,
                                    std::uint64_t region_offset, std::uint64_t room) {
    if (dst != index) e_.emit(insn::mov64_reg(dst, index));
    emit_scale(dst, stride);
    e_.emit(insn::alu64_reg(BPF_ADD, dst, base));
    if (region_offset + room <= static_cast<std::uint64_t>(std::numeric_limits<std::int16_t>::max())) {
      return static_cast<std::int16_t>(region_offset);
    }
    e_.emit(insn::alu64_imm(BPF_ADD, dst, static_cast<std::int32_t>(region_offset)));
    return 0;
  }

  // MayGoto's bounded wait: `counter` iterations, each also checking abort;
  // may_goto lets the verifier accept the loop and ends it if the kernel's own
  // budget runs out first.
  void emit_wait_tail(std::uint8_t counter, std::uint8_t scratch, Emitter::Label loop) {
    emit_abort_check(scratch);
    e_.emit_jump(insn::jmp_imm(BPF_JEQ, counter, 0, 0), gave_up());
    e_.emit(insn::alu64_imm(BPF_SUB, counter, 1));
    e_.emit_jump(insn::may_goto(0), gave_up());
    e_.emit_jump(insn::ja(0), loop);
  }

  void emit_abort_check(std::uint8_t scratch) {
    e_.emit(insn::load(8, scratch, kSyncBaseReg, kAbortOff));
    e_.emit_jump(insn::jmp_imm(BPF_JNE, scratch, 0, 0), done_);
  }

  // BpfLoop's bounded wait: bpf_loop(min(spin_limit / checks + 1, 2^23),
  // wait callback, fp + ctx_slot): about spin_limit checks, as MayGoto's wait
  // makes; the callback stops once the condition holds or abort is set. The
  // caller checks the condition once more afterwards.
  void emit_wait_through_bpf_loop(std::int16_t ctx_slot) {
    e_.emit(insn::load(8, BPF_REG_1, kSyncBaseReg, kSpinLimitOff));
    e_.emit(insn::alu64_imm(BPF_RSH, BPF_REG_1, std::countr_zero(static_cast<std::uint32_t>(kChecksPerWaitRound))));
    e_.emit(insn::alu64_imm(BPF_ADD, BPF_REG_1, 1));
    e_.emit(insn::jmp_imm(BPF_JLE, BPF_REG_1, kMaxBpfLoops, 1));
    e_.emit(insn::mov64_imm(BPF_REG_1, kMaxBpfLoops));
    emit_bpf_loop_call(wait_callback_, ctx_slot);
  }

  // old = the next multiple of the thread count above old: the barrier word's
  // value once every thread of this round has added its 1.
  void emit_round_target(std::uint8_t old, std::uint8_t scratch) {
    const auto threads = static_cast<std::int32_t>(in_.test.threads.size());
    if (std::has_single_bit(static_cast<std::uint32_t>(threads))) {
      e_.emit(insn::alu64_imm(BPF_AND, old, ~(threads - 1)));
    } else {
      e_.emit(insn::mov64_reg(scratch, old));
      e_.emit(insn::alu64_imm(BPF_MOD, scratch, threads));
      e_.emit(insn::alu64_reg(BPF_SUB, old, scratch));
    }
    e_.emit(insn::alu64_imm(BPF_ADD, old, threads));
  }

  // Fetch-add (a full barrier under every JIT, unlike a plain lock add on
  // arm64) of 1 to instance i's word, then wait for the round's target.
  void emit_spin() {
    e_.begin_harness("sync: spin barrier (fetch-add, wait for every thread of the round)");
    if (may_goto_loop()) {
      const std::int16_t off = emit_element_pointer(BPF_REG_1, kSyncIndexReg, kSyncBaseReg, in_.layout.barrier_stride,
                                                    in_.layout.barriers_offset, 8);
      e_.emit(insn::mov64_imm(BPF_REG_2, 1));
      e_.emit(insn::atomic(8, BPF_ADD | BPF_FETCH, BPF_REG_1, BPF_REG_2, off));
      emit_round_target(BPF_REG_2, BPF_REG_3);
      e_.emit(insn::load(8, BPF_REG_4, kSyncBaseReg, kSpinLimitOff));
      const auto loop = e_.new_label();
      e_.bind(loop);
      for (int check = 0; check < kChecksPerWaitRound; ++check) {
        e_.emit(insn::load(8, BPF_REG_3, BPF_REG_1, off));
        e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_3, BPF_REG_2, 0), synced());
      }
      emit_wait_tail(BPF_REG_4, BPF_REG_3, loop);
      return;
    }
    // The wait callback reads [word's arena offset, target] at fp + kWaitCtxSlot.
    e_.emit(insn::mov64_reg(BPF_REG_1, kSyncIndexReg));
    emit_scale(BPF_REG_1, in_.layout.barrier_stride);
    e_.emit(insn::alu64_imm(BPF_ADD, BPF_REG_1, static_cast<std::int32_t>(in_.layout.barriers_offset)));
    e_.emit(insn::store_reg(8, BPF_REG_10, kWaitCtxSlot, BPF_REG_1));
    e_.emit(insn::alu64_reg(BPF_ADD, BPF_REG_1, kSyncBaseReg));
    e_.emit(insn::mov64_imm(BPF_REG_2, 1));
    e_.emit(insn::atomic(8, BPF_ADD | BPF_FETCH, BPF_REG_1, BPF_REG_2, 0));
    emit_round_target(BPF_REG_2, BPF_REG_3);
    e_.emit(insn::store_reg(8, BPF_REG_10, kWaitCtxSlot + 8, BPF_REG_2));
    emit_wait_through_bpf_loop(kWaitCtxSlot);
    e_.emit(insn::load(8, BPF_REG_1, BPF_REG_10, kWaitCtxSlot));
    emit_barrier_word(BPF_REG_1, kSyncBaseReg);
    e_.emit(insn::load(8, BPF_REG_2, BPF_REG_10, kWaitCtxSlot + 8));
    e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_1, BPF_REG_2, 0), synced());
    emit_abort_check(BPF_REG_1);
    e_.emit_jump(insn::ja(0), gave_up());
  }

  // reg = the barrier word at arena offset reg (masked: the verifier bounds it).
  void emit_barrier_word(std::uint8_t reg, std::uint8_t base) {
    e_.emit(insn::alu64_imm(BPF_AND, reg, static_cast<std::int32_t>(in_.layout.address_mask & ~std::uint64_t{7})));
    e_.emit(insn::alu64_reg(BPF_ADD, reg, base));
    e_.emit(insn::load(8, reg, reg, 0));
  }

  // Reads the clock into r0 and keeps the reading in this thread's clock word.
  void emit_read_clock(std::uint8_t base) {
    e_.emit(insn::call_helper(BPF_FUNC_ktime_get_ns));
    e_.emit(insn::store_reg(8, base, clock_off(), BPF_REG_0));
  }

  // An instance whose start time an earlier clock reading already passed
  // starts without reading the clock again: a thread that fell behind
  // catches up at the speed of its instances, not of bpf_ktime_get_ns().
  void emit_timebase() {
    e_.begin_harness("sync: wait for this thread's t0 + index * slot_ns");
    const auto t0 = static_cast<std::int16_t>(kT0Off + in_.thread.id * static_cast<int>(sizeof(ControlLine)));
    e_.emit(insn::load(8, BPF_REG_1, kSyncBaseReg, kSlotOff));
    e_.emit(insn::alu64_reg(BPF_MUL, BPF_REG_1, kSyncIndexReg));
    e_.emit(insn::load(8, BPF_REG_2, kSyncBaseReg, t0));
    e_.emit(insn::alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_2));
    e_.emit(insn::load(8, BPF_REG_2, kSyncBaseReg, clock_off()));
    e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_2, BPF_REG_1, 0), synced());
    // Helper calls clobber r0-r5: the start time waits on the stack.
    e_.emit(insn::store_reg(8, BPF_REG_10, kSyncSlot, BPF_REG_1));
    if (!may_goto_loop()) {
      emit_wait_through_bpf_loop(kSyncSlot);
      emit_read_clock(kSyncBaseReg);
      e_.emit(insn::load(8, BPF_REG_1, BPF_REG_10, kSyncSlot));
      e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_0, BPF_REG_1, 0), synced());
      emit_abort_check(BPF_REG_1);
      e_.emit_jump(insn::ja(0), gave_up());
      return;
    }
    e_.emit(insn::load(8, kSyncCountReg, kSyncBaseReg, kSpinLimitOff));
    const auto loop = e_.new_label();
    e_.bind(loop);
    emit_read_clock(kSyncBaseReg);
    e_.emit(insn::load(8, BPF_REG_1, BPF_REG_10, kSyncSlot));
    e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_0, BPF_REG_1, 0), synced());
    emit_wait_tail(kSyncCountReg, BPF_REG_1, loop);
  }

  // BpfLoop: the wait callback (index r1, ctx r2): checks the sync condition
  // up to kChecksPerWaitRound times; returns 1 (stop) once it holds or abort
  // is set, else 0.
  void emit_wait_callback() {
    if (in_.sync == SyncMode::None) return;
    e_.begin_harness("wait callback (bpf_loop): stop when synchronised or aborted");
    e_.bind(wait_callback_);
    const auto check = e_.new_label();
    const auto stop = e_.new_label();
    e_.emit(insn::mov64_reg(BPF_REG_6, BPF_REG_2));
    e_.emit_map_value(BPF_REG_7, in_.layout.guard_bytes);
    e_.emit(insn::mov64_imm(BPF_REG_8, kChecksPerWaitRound));
    e_.bind(check);
    if (in_.sync == SyncMode::Spin) {
      e_.emit(insn::load(8, BPF_REG_4, BPF_REG_6, 0));
      emit_barrier_word(BPF_REG_4, BPF_REG_7);
      e_.emit(insn::load(8, BPF_REG_5, BPF_REG_6, 8));
      e_.emit(insn::mov64_imm(BPF_REG_0, 1));
      e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_4, BPF_REG_5, 0), stop);
    } else {
      emit_read_clock(BPF_REG_7);
      e_.emit(insn::load(8, BPF_REG_1, BPF_REG_6, 0));
      e_.emit(insn::mov64_reg(BPF_REG_2, BPF_REG_0));
      e_.emit(insn::mov64_imm(BPF_REG_0, 1));
      e_.emit_jump(insn::jmp_reg(BPF_JGE, BPF_REG_2, BPF_REG_1, 0), stop);
    }
    e_.emit(insn::load(8, BPF_REG_4, BPF_REG_7, kAbortOff));
    e_.emit_jump(insn::jmp_imm(BPF_JNE, BPF_REG_4, 0, 0), stop);
    e_.emit(insn::alu64_imm(BPF_SUB, BPF_REG_8, 1));
    e_.emit_jump(insn::jmp_imm(BPF_JNE, BPF_REG_8, 0, 0), check);
    e_.emit(insn::mov64_imm(BPF_REG_0, 0));
    e_.bind(stop);
    e_.emit(insn::exit());
  }

  // A wait ran out: give_up_mode 0 aborts the launch, 1 counts the instance
  // as unsynchronised and runs it. One path per instance copy of the round,
  // each going back to its own copy.
  void emit_cold_paths() {
    if (in_.sync == SyncMode::None) return;
    const auto unsynced = static_cast<std::int16_t>(offsetof(ControlBlock, unsynced) +
                                                    static_cast<std::size_t>(in_.thread.id) * sizeof(ControlLine));
    for (const Wait& wait : waits_) {
      e_.begin_harness("a wait timed out: abort the launch, or go on unsynchronised");
      e_.bind(wait.gave_up);
      const auto go_on = e_.new_label();
      e_.emit(insn::load(8, BPF_REG_1, kSyncBaseReg, kGiveUpModeOff));
      e_.emit_jump(insn::jmp_imm(BPF_JNE, BPF_REG_1, 0, 0), go_on);
      e_.emit(insn::store_imm(8, kSyncBaseReg, kAbortOff, 1));
      e_.emit_jump(insn::ja(0), done_);
      e_.bind(go_on);
      e_.emit(insn::load(8, BPF_REG_1, kSyncBaseReg, unsynced));
      e_.emit(insn::alu64_imm(BPF_ADD, BPF_REG_1, 1));
      e_.emit(insn::store_reg(8, kSyncBaseReg, unsynced, BPF_REG_1));
      e_.emit_jump(insn::ja(0), wait.synced);
    }
  }

  // s1 = arena offset of this instance's memory: index i's own, or perm[i]'s.
  void emit_instance_offset(std::uint8_t s1) {
    if (in_.layout.permutation_offset != 0) {
      const std::int16_t off =
          emit_element_pointer(s1, kSyncIndexReg, kSyncBaseReg, sizeof(std::uint32_t), in_.layout.permutation_offset, 4);
      e_.emit(insn::load(4, s1, s1, off));
      e_.emit(insn::alu64_imm(BPF_AND, s1, static_cast<std::int32_t>(in_.layout.capacity - 1)));
    } else if (s1 != kSyncIndexReg) {
      e_.emit(insn::mov64_reg(s1, kSyncIndexReg));
    }
    emit_scale(s1, in_.layout.instance_stride);
    e_.emit(insn::alu64_imm(BPF_ADD, s1, static_cast<std::int32_t>(in_.layout.instances_offset)));
  }

  // Moves the index and base to their body registers (the order matters: see
  // allocate_registers' preferences) and initialises the test registers.
  void emit_setup() {
    e_.begin_harness("set up test registers");
    const std::uint8_t s1 = alloc_.scratch;
    if (!alloc_.index) e_.emit(insn::store_reg(8, BPF_REG_10, alloc_.index_slot, kSyncIndexReg));
    bool any_address = false;
    for (const auto& init : in_.test.register_inits) {
      any_address = any_address || (init.thread == in_.thread.id && init.value.is_address &&
                                    init.reg < litmus::kNumRegs && in_.facts.needs_init[init.reg]);
    }
    if (any_address) emit_instance_offset(s1);  // kept in s1 through the inits
    if (alloc_.index && *alloc_.index != kSyncIndexReg) e_.emit(insn::mov64_reg(*alloc_.index, kSyncIndexReg));
    if (alloc_.base != kSyncBaseReg) e_.emit(insn::mov64_reg(alloc_.base, kSyncBaseReg));

    for (Reg r = 0; r < litmus::kNumRegs; ++r) {
      if (!in_.facts.needs_init[r]) continue;
      const litmus::Value value = init_value(r);
      const RegisterHome& home = *alloc_.homes[r];
      if (value.is_address) {
        const auto j = find_location(in_.test, value.location);
        if (!j) {
          error_ = fail("P" + std::to_string(in_.thread.id) + ":r" + std::to_string(r) + "=" + value.location,
                        "no such location", {});
          error_->kind = CodegenError::Kind::Invalid;
          return;
        }
        const std::uint8_t t = home.in_machine_reg ? home.machine_reg : *alloc_.scratch2;
        if (home.pointer) {  // arena base + instance offset (bounded: the index is masked)
          e_.emit(insn::mov64_reg(t, alloc_.base));
          e_.emit(insn::alu64_reg(BPF_ADD, t, s1));
        } else {
          e_.emit(insn::mov64_reg(t, s1));
        }
        if (in_.layout.location_offsets[*j] != 0) {
          e_.emit(insn::alu64_imm(BPF_ADD, t, static_cast<std::int32_t>(in_.layout.location_offsets[*j])));
        }
        commit(r, t);
      } else if (!home.in_machine_reg && fits_s32(value.integer)) {
        e_.emit(insn::store_imm(8, BPF_REG_10, home.stack_off, static_cast<std::int32_t>(value.integer)));
      } else {
        const std::uint8_t t = home.in_machine_reg ? home.machine_reg : *alloc_.scratch2;
        emit_load_imm(t, value.integer);
        commit(r, t);
      }
    }
    emit_jump_budget();
  }

  void emit_jump_budget() {
    if (may_goto_loop() || !has_backward_jump()) return;
    e_.emit(insn::store_imm(8, BPF_REG_10, jump_budget_slot(), kBackwardJumpBudget));
  }

  litmus::Value init_value(Reg r) const {
    for (const auto& init : in_.test.register_inits) {
      if (init.thread == in_.thread.id && init.reg == r) return init.value;
    }
    return litmus::Value{};  // herd7 starts unset registers at 0
  }

  void emit_capture() {
    if (in_.facts.observed.empty()) return;
    e_.begin_harness("capture observed registers");
    const std::uint8_t s1 = alloc_.scratch;
    std::uint8_t index = s1;
    if (alloc_.index) {
      index = *alloc_.index;
    } else {
      e_.emit(insn::load(8, s1, BPF_REG_10, alloc_.index_slot));
    }
    const std::uint64_t record = std::uint64_t{in_.layout.results_per_instance} * 8;
    const std::uint64_t region = in_.layout.results_offset +
                                 static_cast<std::uint64_t>(in_.thread.id) * in_.layout.results_thread_stride;
    const std::int16_t off = emit_element_pointer(s1, index, alloc_.base, record, region, record);
    for (std::size_t k = 0; k < in_.facts.observed.size(); ++k) {
      const std::uint8_t v = value_of(in_.facts.observed[k], alloc_.scratch2.value_or(s1));
      e_.emit(insn::store_reg(8, s1, static_cast<std::int16_t>(off + 8 * static_cast<int>(k)), v));
    }
  }

  // ---- test statements -----------------------------------------------------

  void emit_body() {
    const std::size_t n = code_.size();
    statement_labels_.clear();
    for (std::size_t s = 0; s <= n; ++s) statement_labels_.push_back(e_.new_label());
    for (std::size_t s = 0; s < n && !error_; ++s) {
      e_.bind(statement_labels_[s]);
      if (!code_[s].instruction || !in_.facts.reachable[s]) continue;
      e_.begin_statement(static_cast<int>(s));
      std::visit([&](const auto& i) { emit(code_[s], s, i); }, *code_[s].instruction);
    }
    e_.bind(statement_labels_[n]);
  }

  // Machine register holding test register r's value: its home, or `scratch`
  // loaded from its stack slot.
  std::uint8_t value_of(Reg r, std::uint8_t scratch) {
    const RegisterHome& home = *alloc_.homes[r];
    if (home.in_machine_reg) return home.machine_reg;
    e_.emit(insn::load(8, scratch, BPF_REG_10, home.stack_off));
    return scratch;
  }
  // Machine register to compute r's new value in.
  std::uint8_t target_of(Reg r, std::uint8_t scratch) const {
    const RegisterHome& home = *alloc_.homes[r];
    return home.in_machine_reg ? home.machine_reg : scratch;
  }
  // Stores a value computed in `from` to r's stack slot, if r lives there.
  void commit(Reg r, std::uint8_t from) {
    const RegisterHome& home = *alloc_.homes[r];
    if (!home.in_machine_reg) e_.emit(insn::store_reg(8, BPF_REG_10, home.stack_off, from));
  }
  void emit_load_imm(std::uint8_t dst, std::int64_t value) {
    if (fits_s32(value)) {
      e_.emit(insn::mov64_imm(dst, static_cast<std::int32_t>(value)));
    } else {
      e_.emit(insn::ld_imm64(dst, static_cast<std::uint64_t>(value)));
    }
  }
  // A scratch register other than `busy`. The second scratch register exists
  // whenever a value can need it (a spilled register, a wide immediate).
  std::uint8_t other_scratch(std::uint8_t busy) const {
    return busy == alloc_.scratch ? alloc_.scratch2.value_or(kNoRegister) : alloc_.scratch;
  }
  static constexpr std::uint8_t kNoRegister = 0xff;

  // scratch = arena base + (r & address_mask), aligned down to the access
  // width: masking, not a bounds check, so that no branch adds a control
  // dependency; aligned because the verifier wants atomics (and any access
  // on strict-alignment machines) provably aligned.
  std::uint8_t emit_address(Reg r, litmus::Width width) {
    if (alloc_.homes[r] && alloc_.homes[r]->pointer) return alloc_.homes[r]->machine_reg;
    const std::uint8_t s1 = alloc_.scratch;
    const std::uint8_t v = value_of(r, s1);
    if (v != s1) e_.emit(insn::mov64_reg(s1, v));
    const std::uint64_t mask = in_.layout.address_mask & ~std::uint64_t{bytes(width) - 1};
    e_.emit(insn::alu64_imm(BPF_AND, s1, static_cast<std::int32_t>(mask)));
    e_.emit(insn::alu64_reg(BPF_ADD, s1, alloc_.base));
    return s1;
  }

  void emit(const litmus::Statement&, std::size_t, const litmus::Mov& mov) {
    const std::uint8_t t = target_of(mov.dst, alloc_.scratch);
    if (mov.src.is_reg) {
      const std::uint8_t v = value_of(mov.src.reg, t);
      if (v != t) e_.emit(insn::mov64_reg(t, v));
    } else {
      emit_load_imm(t, mov.src.imm);
    }
    commit(mov.dst, t);
  }

  void emit(const litmus::Statement& s, std::size_t, const litmus::Alu& alu) {
    if (!alu.src.is_reg) {
      if ((alu.op == litmus::AluOp::Div || alu.op == litmus::AluOp::Mod) && alu.src.imm == 0) {
        return unsupported(s, "division by the constant 0", "the verifier rejects it");
      }
      const bool shift = alu.op == litmus::AluOp::Lsh || alu.op == litmus::AluOp::Rsh || alu.op == litmus::AluOp::Arsh;
      if (shift && (alu.src.imm < 0 || alu.src.imm > 63)) {
        return unsupported(s, "shift by " + std::to_string(alu.src.imm), "the verifier accepts shifts of 0 to 63");
      }
    }
    const std::uint8_t t = target_of(alu.dst, alloc_.scratch);
    const std::uint8_t d = value_of(alu.dst, t);
    const std::uint8_t op = alu_op(alu.op);
    if (alu.src.is_reg) {
      e_.emit(insn::alu64_reg(op, d, value_of(alu.src.reg, other_scratch(t))));
    } else if (fits_s32(alu.src.imm)) {
      e_.emit(insn::alu64_imm(op, d, static_cast<std::int32_t>(alu.src.imm)));
    } else {
      const std::uint8_t k = other_scratch(t);
      emit_load_imm(k, alu.src.imm);
      e_.emit(insn::alu64_reg(op, d, k));
    }
    commit(alu.dst, t);
  }

  void emit(const litmus::Statement& s, std::size_t, const litmus::Load& load) {
    if (load.acquire && !aligned(load.off, load.width)) {
      return unsupported(s, "load_acquire at offset " + std::to_string(load.off),
                         "the verifier wants it aligned to " + std::to_string(bytes(load.width)) + " bytes");
    }
    const std::uint8_t a = emit_address(load.base, load.width);
    const std::uint8_t t = target_of(load.dst, a);
    e_.emit(load.acquire ? insn::load_acquire(bytes(load.width), t, a, load.off)
                         : insn::load(bytes(load.width), t, a, load.off));
    commit(load.dst, t);
  }

  void emit(const litmus::Statement& s, std::size_t, const litmus::Store& store) {
    if (store.release && !store.src.is_reg) {
      return invalid(s, "store_release of an immediate", "store_release takes a register");
    }
    if (store.release && !aligned(store.off, store.width)) {
      return unsupported(s, "store_release at offset " + std::to_string(store.off),
                         "the verifier wants it aligned to " + std::to_string(bytes(store.width)) + " bytes");
    }
    const std::uint8_t a = emit_address(store.base, store.width);
    const unsigned size = bytes(store.width);
    if (!store.src.is_reg && fits_s32(store.src.imm)) {
      e_.emit(insn::store_imm(size, a, store.off, static_cast<std::int32_t>(store.src.imm)));
      return;
    }
    std::uint8_t v = other_scratch(a);
    if (store.src.is_reg) {
      v = value_of(store.src.reg, v);
    } else {
      emit_load_imm(v, store.src.imm);
    }
    e_.emit(store.release ? insn::store_release(size, a, store.off, v) : insn::store_reg(size, a, store.off, v));
  }

  void emit(const litmus::Statement& s, std::size_t, const litmus::Atomic& atomic) {
    const std::string name = atomic_name(atomic);
    if (atomic.width != litmus::Width::U32 && atomic.width != litmus::Width::U64) {
      return unsupported(s, name + " at " + width_name(atomic.width), "BPF_ATOMIC exists only for u32 and u64");
    }
    if (!atomic.fetch && (atomic.op == litmus::AtomicOp::Xchg || atomic.op == litmus::AtomicOp::Cmpxchg)) {
      return invalid(s, name + " without fetch", "xchg and cmpxchg always return the old value");
    }
    if (!aligned(atomic.off, atomic.width)) {
      return unsupported(s, name + " at offset " + std::to_string(atomic.off),
                         "the verifier wants atomics aligned to their width");
    }
    const std::uint8_t a = emit_address(atomic.base, atomic.width);
    // Fetch forms write the old value into the source (cmpxchg into r0, which
    // allocation keeps in machine r0).
    const std::uint8_t v = value_of(atomic.src, other_scratch(a));
    e_.emit(insn::atomic(bytes(atomic.width), atomic_imm(atomic), a, v, atomic.off));
    if (atomic.fetch && atomic.op != litmus::AtomicOp::Cmpxchg) commit(atomic.src, v);
  }

  // may_goto before every backward jump: the verifier needs it to accept a
  // loop, and the kernel may end the loop through it (then the instance ends).
  // BpfLoop has no may_goto: a budget on the stack, counted down, bounds them.
  void guard_backward(std::size_t s) {
    if (*in_.jump_targets[s] > s) return;
    const auto leave = statement_labels_[code_.size()];
    if (may_goto_loop()) {
      e_.emit_jump(insn::may_goto(0), leave);
      return;
    }
    const std::uint8_t budget = alloc_.scratch;
    e_.emit(insn::load(8, budget, BPF_REG_10, jump_budget_slot()));
    e_.emit_jump(insn::jmp_imm(BPF_JEQ, budget, 0, 0), leave);
    e_.emit(insn::alu64_imm(BPF_SUB, budget, 1));
    e_.emit(insn::store_reg(8, BPF_REG_10, jump_budget_slot(), budget));
  }

  bool has_backward_jump() const {
    for (std::size_t s = 0; s < code_.size(); ++s) {
      if (in_.facts.reachable[s] && in_.jump_targets[s] && *in_.jump_targets[s] <= s) return true;
    }
    return false;
  }
  // Below the allocation's slots (a wait's context is dead by then).
  std::int16_t jump_budget_slot() const { return static_cast<std::int16_t>(-alloc_.stack_bytes - 8); }

  void emit(const litmus::Statement&, std::size_t s, const litmus::Goto&) {
    guard_backward(s);
    e_.emit_jump(insn::ja(0), statement_labels_[*in_.jump_targets[s]]);
  }

  void emit(const litmus::Statement&, std::size_t s, const litmus::CondJump& jump) {
    guard_backward(s);
    const std::uint8_t l = value_of(jump.lhs, alloc_.scratch);
    const std::uint8_t op = jump_op(jump.op);
    const auto target = statement_labels_[*in_.jump_targets[s]];
    if (jump.rhs.is_reg) {
      e_.emit_jump(insn::jmp_reg(op, l, value_of(jump.rhs.reg, other_scratch(l)), 0), target);
    } else if (fits_s32(jump.rhs.imm)) {
      e_.emit_jump(insn::jmp_imm(op, l, static_cast<std::int32_t>(jump.rhs.imm), 0), target);
    } else {
      const std::uint8_t k = other_scratch(l);
      emit_load_imm(k, jump.rhs.imm);
      e_.emit_jump(insn::jmp_reg(op, l, k, 0), target);
    }
  }

  const ThreadInput& in_;
  const std::vector<litmus::Statement>& code_;
  Allocation alloc_;
  Emitter e_;
  Emitter::Label done_, wait_callback_;
  // Per instance copy: where a timed-out wait goes, where its sync goes on.
  struct Wait {
    Emitter::Label gave_up, synced;
  };
  std::vector<Wait> waits_;  // the last is the copy being emitted
  Emitter::Label gave_up() const { return waits_.back().gave_up; }
  Emitter::Label synced() const { return waits_.back().synced; }
  std::vector<Emitter::Label> statement_labels_;
  std::optional<CodegenError> error_;
};

}  // namespace

std::variant<ThreadProgram, CodegenError> compile_thread(const ThreadInput& input) {
  return ThreadCompiler(input).run();
}

}  // namespace bpf_litmus::codegen
