#include "codegen/codegen.hpp"

#include <algorithm>
#include <type_traits>

#include "codegen/analysis.hpp"
#include "codegen/layout.hpp"
#include "codegen/thread_compiler.hpp"
#include "codegen/uapi_compat.hpp"

namespace bpf_litmus::codegen {
namespace {

CodegenError invalid(std::string construct, std::string reason, int thread = -1, litmus::SourcePos pos = {}) {
  return CodegenError{CodegenError::Kind::Invalid, std::move(construct), std::move(reason), thread, pos};
}

bool valid_reg(litmus::Reg r) { return r < litmus::kNumRegs; }

bool registers_valid(const litmus::Instruction& instruction) {
  auto operand_ok = [](const litmus::Operand& o) { return !o.is_reg || valid_reg(o.reg); };
  return std::visit(
      [&](const auto& i) {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, litmus::Mov> || std::is_same_v<T, litmus::Alu>) {
          return valid_reg(i.dst) && operand_ok(i.src);
        } else if constexpr (std::is_same_v<T, litmus::Load>) {
          return valid_reg(i.dst) && valid_reg(i.base);
        } else if constexpr (std::is_same_v<T, litmus::Store>) {
          return valid_reg(i.base) && operand_ok(i.src);
        } else if constexpr (std::is_same_v<T, litmus::Atomic>) {
          return valid_reg(i.base) && valid_reg(i.src);
        } else if constexpr (std::is_same_v<T, litmus::CondJump>) {
          return valid_reg(i.lhs) && operand_ok(i.rhs);
        } else {
          return true;
        }
      },
      instruction);
}

// The AST's own contract: what the parser guarantees and code generation relies on.
std::optional<CodegenError> check_contract(const litmus::Test& test) {
  if (test.threads.empty()) return invalid("test " + test.name, "it has no threads");
  if (test.threads.size() > static_cast<std::size_t>(kMaxThreads)) {
    return CodegenError{CodegenError::Kind::Unsupported, std::to_string(test.threads.size()) + " threads",
                        "the control block has room for " + std::to_string(kMaxThreads), -1, {}};
  }
  for (std::size_t t = 0; t < test.threads.size(); ++t) {
    const auto& thread = test.threads[t];
    if (thread.id != static_cast<int>(t)) return invalid("thread P" + std::to_string(thread.id), "threads must be P0, P1, ... in order");
    for (const auto& statement : thread.code) {
      if (statement.instruction && !registers_valid(*statement.instruction)) {
        return invalid("register", "registers are r0 to r10", thread.id, statement.pos);
      }
    }
  }
  for (const auto& init : test.register_inits) {
    if (!valid_reg(init.reg) || init.thread < 0 || init.thread >= static_cast<int>(test.threads.size())) {
      return invalid("initialisation of " + std::to_string(init.thread) + ":r" + std::to_string(init.reg),
                     "no such thread or register", init.thread, init.pos);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string to_string(const CodegenError& error) {
  std::string text = error.kind == CodegenError::Kind::Unsupported ? "Unsupported: " : "Invalid: ";
  text += error.construct + ": " + error.reason;
  if (error.thread >= 0) {
    text += " (P" + std::to_string(error.thread);
    if (error.pos.line > 0) text += ", line " + std::to_string(error.pos.line) + ":" + std::to_string(error.pos.col);
    text += ")";
  }
  return text;
}

CodegenResult compile(const litmus::Test& test, const CodegenOptions& options) {
  if (auto error = check_contract(test)) return *error;

  CompiledTest compiled;
  compiled.name = test.name;
  compiled.sync = options.sync;
  compiled.loop = options.loop;

  // Observed registers go to their thread's result record, in state order.
  const std::vector<litmus::Observable> places = observed_places(test);
  std::vector<std::vector<litmus::Reg>> observed_regs(test.threads.size());
  std::uint32_t results_per_instance = 0;
  for (const auto& place : places) {
    if (!place.is_register) continue;
    if (place.thread < 0 || place.thread >= static_cast<int>(test.threads.size()) || !valid_reg(place.reg)) {
      return invalid("observed " + std::to_string(place.thread) + ":r" + std::to_string(place.reg),
                     "no such thread or register");
    }
    auto& regs = observed_regs[static_cast<std::size_t>(place.thread)];
    regs.push_back(place.reg);
    results_per_instance = std::max(results_per_instance, static_cast<std::uint32_t>(regs.size()));
  }

  const std::vector<litmus::Width> widths = location_widths(test);
  auto layout = plan_layout(test, options, results_per_instance, widths);
  if (const auto* why = std::get_if<std::string>(&layout)) {
    return CodegenError{CodegenError::Kind::Unsupported, "test memory", *why, -1, {}};
  }
  compiled.layout = std::move(std::get<MemoryLayout>(layout));

  std::vector<std::uint32_t> next_result(test.threads.size(), 0);
  for (const auto& place : places) {
    ObservedSlot slot;
    slot.what = place;
    if (place.is_register) {
      slot.thread = place.thread;
      slot.result_index = next_result[static_cast<std::size_t>(place.thread)]++;
    } else {
      const auto j = find_location(test, place.location);
      if (!j) return invalid("observed [" + place.location + "]", "no such location");
      slot.from_result = false;
      slot.location_offset = compiled.layout.location_offsets[*j];
      slot.width = widths[*j];
    }
    compiled.observed.push_back(slot);
  }

  for (const auto& thread : test.threads) {
    std::vector<std::optional<std::size_t>> targets;
    std::string unknown;
    if (!resolve_jumps(thread, targets, unknown)) {
      return invalid("goto " + unknown, "no such label", thread.id);
    }
    const ThreadFacts facts = analyse_thread(thread, targets, observed_regs[static_cast<std::size_t>(thread.id)]);
    auto program = compile_thread(ThreadInput{test, thread, targets, facts, compiled.layout, options.sync, options.loop});
    if (auto* error = std::get_if<CodegenError>(&program)) return std::move(*error);
    compiled.programs.push_back(std::move(std::get<ThreadProgram>(program)));
  }

  auto& features = compiled.required_features;
  features = {KernelFeature::SyscallTestRun, KernelFeature::MmapableArray};
  for (const auto& program : compiled.programs) {
    for (const auto& insn : program.insns) {
      if (auto feature = feature_of(insn)) features.push_back(*feature);
    }
  }
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  return compiled;
}

std::optional<std::size_t> decode_address(const MemoryLayout& layout, std::uint64_t instance, std::uint64_t value) {
  if (instance >= layout.capacity) return std::nullopt;
  const std::uint64_t base = layout.instances_offset + instance * layout.instance_stride;
  for (std::size_t j = 0; j < layout.location_offsets.size(); ++j) {
    if (value == base + layout.location_offsets[j]) return j;
  }
  return std::nullopt;
}

std::string_view loop_strategy_name(LoopStrategy loop) {
  return loop == LoopStrategy::BpfLoop ? "bpf_loop" : "may_goto";
}

std::optional<KernelFeature> feature_of(const bpf_insn& insn) {
  if (insn.code == (BPF_JMP | BPF_CALL) && insn.src_reg == 0 && insn.imm == BPF_FUNC_loop) return KernelFeature::BpfLoop;
  if (insn.code == (BPF_JMP | BPF_JCOND) && insn.src_reg == BPF_MAY_GOTO) return KernelFeature::MayGoto;
  if (BPF_CLASS(insn.code) != BPF_STX || BPF_MODE(insn.code) != BPF_ATOMIC) return std::nullopt;
  const unsigned size = BPF_SIZE(insn.code);
  const int by_width = size == BPF_B ? 0 : size == BPF_H ? 1 : size == BPF_W ? 2 : 3;
  auto pick = [&](KernelFeature narrow, KernelFeature wide) { return size == BPF_DW ? wide : narrow; };
  switch (insn.imm) {
    case BPF_LOAD_ACQ: return static_cast<KernelFeature>(static_cast<int>(KernelFeature::LoadAcquire8) + by_width);
    case BPF_STORE_REL: return static_cast<KernelFeature>(static_cast<int>(KernelFeature::StoreRelease8) + by_width);
    case BPF_ADD: case BPF_AND: case BPF_OR: case BPF_XOR:
      return pick(KernelFeature::Atomic32, KernelFeature::Atomic64);
    case BPF_ADD | BPF_FETCH: case BPF_AND | BPF_FETCH: case BPF_OR | BPF_FETCH: case BPF_XOR | BPF_FETCH:
      return pick(KernelFeature::AtomicFetch32, KernelFeature::AtomicFetch64);
    case BPF_XCHG: return pick(KernelFeature::Xchg32, KernelFeature::Xchg64);
    case BPF_CMPXCHG: return pick(KernelFeature::Cmpxchg32, KernelFeature::Cmpxchg64);
    default: return std::nullopt;
  }
}

}  // namespace bpf_litmus::codegen
