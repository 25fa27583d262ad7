// The JIT audits of many kernels side by side (`bpf-litmus compare` on
// result files holding audit records, e.g. results/xarch/): rows are BPF
// primitives, columns (architecture, kernel, CPU model), each cell the native
// sequence the JIT emitted and its verdict against the BPF model; WEAKER cells
// stand out. Also writes such a result file (`bpf-litmus audit --record`).
#pragma once

#include <string>
#include <vector>

#include "results/result_file.hpp"

namespace bpf_litmus::results {

struct AuditColumn {
  std::string label;  // "arm64 · 6.1.0-50-arm64 · max"
  MachineFingerprint fingerprint;
};

struct AuditCell {
  bool present = false;  // the column's audit has this primitive
  std::string native;    // "ldaddal x2, x2, [x1]", instructions joined by "; "
  std::string verdict;   // "stronger", "equal", "WEAKER", "UNKNOWN", "not run"
  std::string gives;
  std::string needs;
  std::string note;      // why not run

  [[nodiscard]] bool alarming() const { return verdict == "WEAKER" || verdict == "UNKNOWN"; }
};

struct AuditTable {
  std::vector<AuditColumn> columns;            // x86-64 first, then by architecture, kernel, CPU model
  std::vector<std::string> primitives;         // in the audits' order
  std::vector<std::vector<AuditCell>> cells;   // [primitive][column]
  std::vector<std::string> citations;          // "id [instructions]: ordering. citation", each table row once
};

// The latest audit record of each file that has one, one column each.
[[nodiscard]] AuditTable audit_table(const std::vector<ResultFile>& files);

[[nodiscard]] std::string render_audit_markdown(const AuditTable& table);
[[nodiscard]] std::string render_audit_csv(const AuditTable& table);
[[nodiscard]] std::string render_audit_html(const AuditTable& table);

// Writes DIR/<campaign id>.jsonl: a campaign header (fingerprint, command,
// inputs), the audit record, an end record. Returns the path; throws
// ResultFileError when it cannot be written.
std::string write_audit_result(const std::string& directory, const MachineFingerprint& fingerprint,
                               const std::vector<std::string>& command, const std::vector<std::string>& inputs,
                               const AuditRecord& audit);

}  // namespace bpf_litmus::results
