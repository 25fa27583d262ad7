// Many machines' results side by side: rows are tests, columns machines,
// each cell `weak/iterations` with what the machine showed (Never, Sometimes,
// Always) next to what the model predicts, forbidden observations standing out.
// Rendered as Markdown, CSV or a self-contained HTML report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/result_file.hpp"

namespace bpf_litmus::results {

struct MachineColumn {
  std::string label;        // short and unique among the columns: the hostname, then more if needed
  std::string description;  // describe_machine()
  MachineFingerprint fingerprint;
  std::string campaign_id;
  std::string campaign_status;  // ResultFile::campaign_status()
  std::string options;          // "2 s per test, sync spin, layout separate"
};

struct ComparisonRow {
  std::string test;
  std::vector<std::optional<TestRecord>> cells;  // one per machine; none: not in that file
  std::string model;          // "bpf: Sometimes", "Sometimes" when every file used one model; "" when none
  bool sources_differ = false;  // the machines ran different versions of the file
};

struct Comparison {
  std::vector<MachineColumn> machines;
  std::vector<ComparisonRow> rows;  // sorted by test name
  std::string model_name;          // the one model every file judged against, "" if several or none
};

// Merges result files, one column each (a file's latest record per test).
[[nodiscard]] Comparison compare_results(const std::vector<ResultFile>& files);

// What one cell says, the same in every format.
struct CellSummary {
  std::string text;         // "46/1.52M Sometimes", "skipped", "-"
  std::string detail;       // exact figures and messages, for a tooltip
  bool forbidden = false;   // a state the model forbids was observed
  bool oversubscribed = false;  // threads time-shared CPUs: text ends with " °"
};
// exact: iterations as digits (CSV) rather than 1.53M.
[[nodiscard]] CellSummary summarize_cell(const std::optional<TestRecord>& record, bool exact);

// 1234 -> "1234", 12345 -> "12.3k", 1526016 -> "1.52M" (truncated: never more than was counted).
[[nodiscard]] std::string compact_count(std::uint64_t count);

// Text made safe for a Markdown table cell, a CSV field, HTML.
[[nodiscard]] std::string markdown_escaped(const std::string& text);
[[nodiscard]] std::string csv_field(const std::string& text);
[[nodiscard]] std::string html_escaped(const std::string& text);

[[nodiscard]] std::string render_markdown(const Comparison& comparison);
[[nodiscard]] std::string render_csv(const Comparison& comparison);
// One HTML file without external resources: the table, the machines, and an
// inline SVG bar chart per test of each machine's histogram.
[[nodiscard]] std::string render_html(const Comparison& comparison);

}  // namespace bpf_litmus::results
