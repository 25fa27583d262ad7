#include "audit/audit.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "audit/jit_lowering.hpp"

namespace bpf_litmus::audit {
namespace {

// A relative branch or call, or a PC-relative literal load: the same
// instruction in two images may name different absolute targets (the x86 JIT
// ends with `jmp` to a return thunk; the arm64 JIT loads its exit address
// from a literal pool, `ldr x10, #0x58`).
bool relative_branch(Isa isa, const NativeInsn& insn) {
  const std::string_view m = insn.mnemonic;
  if (isa == Isa::Arm64 && m == "ldr" && insn.operands.find('[') == std::string::npos) return true;
  switch (isa) {
    case Isa::X86_64: return m.starts_with('j') || m == "call";
    case Isa::Arm64:
      return m == "b" || m == "bl" || m.starts_with("b.") || m == "cbz" || m == "cbnz" || m == "tbz" || m == "tbnz";
    case Isa::Riscv64: return m.starts_with('b') || m == "j" || m == "jal";  // beq..bgeu, beqz, bnez
    case Isa::Ppc64: return m.starts_with('b');                             // b, bl, bne, bdnz, ...
    case Isa::S390x: return m.starts_with('j') || m.starts_with("br");
  }
  return false;
}

bool same_instruction(Isa isa, const NativeInsn& a, const NativeInsn& b) {
  if (a.bytes == b.bytes) return true;
  return a.mnemonic == b.mnemonic && a.bytes.size() == b.bytes.size() && relative_branch(isa, a);
}

std::string joined_text(std::span<const NativeInsn> insns) {
  std::string text;
  for (const NativeInsn& insn : insns) text += (text.empty() ? "" : "; ") + insn.text();
  return text.empty() ? "(none)" : text;
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (const std::uint8_t byte : bytes) {
    if (!text.empty()) text += ' ';
    text += kDigits[byte >> 4];
    text += kDigits[byte & 15];
  }
  return text;
}

// The rows used by `rows`, each once, in table order.
std::vector<const IsaOrderingRow*> rows_used(std::span<const AuditRow> rows) {
  std::set<const IsaOrderingRow*> used;
  for (const AuditRow& row : rows) used.insert(row.rows.begin(), row.rows.end());
  std::vector<const IsaOrderingRow*> ordered;
  for (const IsaOrderingRow& row : isa_ordering_table()) {
    if (used.contains(&row)) ordered.push_back(&row);
  }
  return ordered;
}

}  // namespace

Ordering required_ordering(BpfPrimitive primitive) {
  switch (primitive.op) {
    case BpfOp::Load:
    case BpfOp::Store: return kPlain;                 // N
    case BpfOp::LoadAcquire: return kAcquire;         // AQ
    case BpfOp::StoreRelease: return kRelease;        // RL
    case BpfOp::Xchg:
    case BpfOp::Cmpxchg: return {true, true, true};   // SC
    case BpfOp::Add:
    case BpfOp::And:
    case BpfOp::Or:
    case BpfOp::Xor: break;
  }
  return primitive.fetch ? Ordering{true, true, true} : Ordering{false, false, true};  // SC : X
}

std::string_view verdict_name(AuditVerdict verdict) {
  switch (verdict) {
    case AuditVerdict::Stronger: return "stronger";
    case AuditVerdict::Equal: return "equal";
    case AuditVerdict::Weaker: return "WEAKER";
    case AuditVerdict::Unknown: return "UNKNOWN";
    case AuditVerdict::NotRun: return "not run";
  }
  return "?";
}

std::vector<NativeInsn> primitive_instructions(Isa isa, std::span<const std::uint8_t> with,
                                               std::span<const std::uint8_t> without) {
  const std::vector<NativeInsn> a = disassemble_native(isa, with);
  const std::vector<NativeInsn> b = disassemble_native(isa, without);
  // Longest common subsequence (images are a few dozen instructions): the
  // JIT may also pad differently after the primitive (the arm64 JIT aligns
  // its literal pool with a nop), which a common prefix and suffix miss.
  std::vector<std::vector<std::uint16_t>> common(a.size() + 1, std::vector<std::uint16_t>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      common[i][j] = same_instruction(isa, a[i], b[j]) ? static_cast<std::uint16_t>(common[i + 1][j + 1] + 1)
                                                       : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::vector<bool> matched(a.size(), false);
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (same_instruction(isa, a[i], b[j]) && common[i][j] == common[i + 1][j + 1] + 1) {
      matched[i++] = true;
      ++j;
    } else if (common[i + 1][j] >= common[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  // From the first instruction `without` lacks to the last, less padding nops at either end.
  const auto padding = [&](std::size_t i) { return matched[i] || a[i].mnemonic.starts_with("nop"); };
  std::size_t first = 0;
  while (first < a.size() && padding(first)) ++first;
  std::size_t last = a.size();
  while (last > first && padding(last - 1)) --last;
  return {a.begin() + static_cast<std::ptrdiff_t>(first), a.begin() + static_cast<std::ptrdiff_t>(last)};
}

AuditRow judge_capture(Isa isa, const JitCapture& capture) {
  AuditRow row;
  row.primitive = capture.primitive;
  row.isa = isa;
  row.required = required_ordering(capture.primitive);
  if (!capture.error.empty()) {
    row.note = capture.error;
    return row;
  }
  row.native = primitive_instructions(isa, capture.with_primitive, capture.without_primitive);
  for (const NativeInsn& insn : row.native) {
    if (const IsaOrderingRow* found = find_isa_ordering_row(isa, insn.mnemonic, insn.operands, insn.memory)) {
      row.rows.push_back(found);
    } else if (insn.memory != MemoryOperand::None || !insn.decoded) {
      row.unknown.push_back(insn.text());
    }
  }
  row.given = compose(row.rows);
  if (!row.unknown.empty()) {
    row.verdict = AuditVerdict::Unknown;
  } else if (!row.given.covers(row.required)) {
    row.verdict = AuditVerdict::Weaker;
  } else {
    row.verdict = row.given == row.required ? AuditVerdict::Equal : AuditVerdict::Stronger;
  }
  return row;
}

bool matches_expected_x86_64_lowering(const AuditRow& row) {
  return row.isa == Isa::X86_64 && row.unknown.empty() && row.rows == expected_x86_64_lowering(row.primitive);
}

std::string format_audit(std::span<const AuditRow> rows) {
  constexpr std::size_t kOrderingWidth = 17;  // "unordered, atomic"
  std::size_t name_width = 9;
  std::size_t code_width = 11;
  for (const AuditRow& row : rows) {
    name_width = std::max(name_width, primitive_name(row.primitive).size());
    code_width = std::max(code_width, joined_text(row.native).size());
  }
  const auto pad = [](std::string text, std::size_t width) {
    if (text.size() < width) text.resize(width, ' ');
    return text;
  };
  std::string text = pad("primitive", name_width) + "  " + pad("native code", code_width) + "  " +
                     pad("gives", kOrderingWidth) + "  " + pad("model needs", kOrderingWidth) + "  verdict\n";
  for (const AuditRow& row : rows) {
    if (row.verdict == AuditVerdict::NotRun) {
      text += pad(primitive_name(row.primitive), name_width) + "  not run: " + row.note + "\n";
      continue;
    }
    text += pad(primitive_name(row.primitive), name_width) + "  " + pad(joined_text(row.native), code_width) + "  " +
            pad(describe(row.given), kOrderingWidth) + "  " + pad(describe(row.required), kOrderingWidth) + "  " +
            std::string(verdict_name(row.verdict));
    if (!row.unknown.empty()) {
      text += " (no table row for:";
      for (const std::string& insn : row.unknown) text += " `" + insn + "`";
      text += ")";
    }
    text += "\n";
  }
  text += "\nOrdering table rows used (audit/isa_ordering.cpp):\n";
  for (const IsaOrderingRow* used : rows_used(rows)) {
    text += "  " + std::string(used->id) + " [" + std::string(used->mnemonics) + "]: " + describe(used->ordering) +
            "\n    " + std::string(used->citation) + "\n";
  }
  return text;
}

nlohmann::json audit_json(std::span<const AuditRow> rows) {
  nlohmann::json primitives = nlohmann::json::array();
  for (const AuditRow& row : rows) {
    nlohmann::json native = nlohmann::json::array();
    for (const NativeInsn& insn : row.native) {
      native.push_back({{"offset", insn.offset}, {"bytes", hex(insn.bytes)}, {"text", insn.text()}});
    }
    nlohmann::json ids = nlohmann::json::array();
    for (const IsaOrderingRow* used : row.rows) ids.push_back(used->id);
    primitives.push_back({{"primitive", primitive_name(row.primitive)},
                          {"isa", isa_name(row.isa)},
                          {"native", native},
                          {"table_rows", ids},
                          {"unknown", row.unknown},
                          {"gives", describe(row.given)},
                          {"model_needs", describe(row.required)},
                          {"verdict", verdict_name(row.verdict)},
                          {"note", row.note}});
  }
  nlohmann::json table = nlohmann::json::array();
  for (const IsaOrderingRow* used : rows_used(rows)) {
    table.push_back({{"id", used->id},
                     {"isa", isa_name(used->isa)},
                     {"instructions", used->mnemonics},
                     {"ordering", describe(used->ordering)},
                     {"citation", used->citation}});
  }
  return {{"primitives", primitives}, {"ordering_table", table}};
}

}  // namespace bpf_litmus::audit
