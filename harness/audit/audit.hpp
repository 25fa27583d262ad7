// The JIT audit's judgement (host side): find each primitive's native
// instructions in a captured image, say what ordering they give (ISA
// ordering table), what the BPF model requires of the primitive, and whether
// the code is stronger, equal, or WEAKER.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audit/isa_ordering.hpp"
#include "audit/jit_capture.hpp"
#include "audit/native_disasm.hpp"

namespace bpf_litmus::audit {

// What bpf.cat asks of a primitive, from herd7's annotation of its events
// (model/thread_paths.cpp): a plain access nothing; AQ ([AQ];po;[M]) ordered
// before later accesses; RL ([M];po;[RL]) after earlier ones; X (a non-fetch
// atomic) atomicity only; SC (fetch atomics, xchg, cmpxchg) po_amo_fetch:
// ordered both ways, and atomic.
[[nodiscard]] Ordering required_ordering(BpfPrimitive primitive);

enum class AuditVerdict : std::uint8_t {
  Stronger,  // the native code orders more than the model requires
  Equal,
  Weaker,    // it lacks an ordering or the atomicity the model requires: a JIT bug
  Unknown,   // it uses an instruction the ordering table has no row for
  NotRun,    // not captured (e.g. the kernel rejects the primitive); see note
};
[[nodiscard]] std::string_view verdict_name(AuditVerdict verdict);  // "stronger", "equal", "WEAKER", ...

struct AuditRow {
  BpfPrimitive primitive;
  Isa isa = Isa::X86_64;
  std::vector<NativeInsn> native;            // the primitive's own instructions
  std::vector<const IsaOrderingRow*> rows;   // table rows of its accesses and fences, in order
  std::vector<std::string> unknown;          // accesses or barriers no row covers
  Ordering given;
  Ordering required;
  AuditVerdict verdict = AuditVerdict::NotRun;
  std::string note;                          // why NotRun
};

// The instructions of `with` that `without` lacks: from the first to the last
// instruction outside their longest common subsequence of identical
// instructions (relative branches count as identical when only their targets
// differ), less padding nops at either end.
[[nodiscard]] std::vector<NativeInsn> primitive_instructions(Isa isa, std::span<const std::uint8_t> with,
                                                             std::span<const std::uint8_t> without);

// Judges one capture taken on a machine of `isa`.
[[nodiscard]] AuditRow judge_capture(Isa isa, const JitCapture& capture);

// Whether the row's table rows are what expected_x86_64_lowering says.
[[nodiscard]] bool matches_expected_x86_64_lowering(const AuditRow& row);

// One line per primitive, then the table rows used with their citations.
[[nodiscard]] std::string format_audit(std::span<const AuditRow> rows);
[[nodiscard]] nlohmann::json audit_json(std::span<const AuditRow> rows);

}  // namespace bpf_litmus::audit
