#include "results/audit_table.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "results/compare.hpp"

namespace bpf_litmus::results {
namespace {

// "6.12.117" before "7.2.13" and "6.1.0-50" before "6.12.95": digits compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t end_i = i;
      std::size_t end_j = j;
      while (end_i < a.size() && std::isdigit(static_cast<unsigned char>(a[end_i]))) ++end_i;
      while (end_j < b.size() && std::isdigit(static_cast<unsigned char>(b[end_j]))) ++end_j;
      const std::string x = a.substr(i, end_i - i);
      const std::string y = b.substr(j, end_j - j);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = end_i;
      j = end_j;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::string column_label(const std::string& isa, const MachineFingerprint& fingerprint) {
  const std::string cpu = fingerprint.cpu.model_name.empty() ? fingerprint.cpu.architecture : fingerprint.cpu.model_name;
  return isa + " · " + fingerprint.kernel.release + " · " + cpu + (fingerprint.emulated ? "" : " (native)");
}

AuditCell cell_of(const nlohmann::json& primitive) {
  AuditCell cell;
  cell.present = true;
  for (const nlohmann::json& insn : primitive.value("native", nlohmann::json::array())) {
    cell.native += (cell.native.empty() ? "" : "; ") + insn.value("text", std::string());
  }
  cell.verdict = primitive.value("verdict", "");
  cell.gives = primitive.value("gives", "");
  cell.needs = primitive.value("model_needs", "");
  cell.note = primitive.value("note", "");
  return cell;
}

// A cell's one-line text, before escaping; `note` numbers a not-run cell's reason.
std::string cell_text(const AuditCell& cell, std::size_t note) {
  if (!cell.present) return "-";
  if (cell.verdict == "not run") return "not run (" + std::to_string(note) + ")";
  return (cell.native.empty() ? "(no instruction)" : cell.native) + " — " + cell.verdict;
}

// The distinct reasons cells were not run, numbered from 1 in table order.
std::vector<std::string> not_run_notes(const AuditTable& table) {
  std::vector<std::string> notes;
  for (const auto& row : table.cells) {
    for (const AuditCell& cell : row) {
      if (cell.present && cell.verdict == "not run" && std::find(notes.begin(), notes.end(), cell.note) == notes.end()) {
        notes.push_back(cell.note);
      }
    }
  }
  return notes;
}

std::size_t note_number(const std::vector<std::string>& notes, const AuditCell& cell) {
  return static_cast<std::size_t>(std::find(notes.begin(), notes.end(), cell.note) - notes.begin()) + 1;
}

}  // namespace

AuditTable audit_table(const std::vector<ResultFile>& files) {
  struct Source {
    std::string isa;
    const ResultFile* file;
  };
  std::vector<Source> sources;
  for (const ResultFile& file : files) {
    if (!file.audits.empty()) sources.push_back({file.audits.back().isa, &file});
  }
  std::stable_sort(sources.begin(), sources.end(), [](const Source& a, const Source& b) {
    const auto rank = [](const Source& s) { return s.isa == "x86-64" ? 0 : 1; };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a.isa != b.isa) return a.isa < b.isa;
    const auto& fa = a.file->header.fingerprint;
    const auto& fb = b.file->header.fingerprint;
    if (fa.kernel.release != fb.kernel.release) return natural_less(fa.kernel.release, fb.kernel.release);
    return fa.cpu.model_name < fb.cpu.model_name;
  });
  AuditTable table;
  std::map<std::string, std::size_t> row_of;
  std::set<std::string> cited;
  for (std::size_t column = 0; column < sources.size(); ++column) {
    const ResultFile& file = *sources[column].file;
    table.columns.push_back({column_label(sources[column].isa, file.header.fingerprint), file.header.fingerprint});
    const nlohmann::json& audit = file.audits.back().audit;
    for (const nlohmann::json& primitive : audit.value("primitives", nlohmann::json::array())) {
      const std::string name = primitive.value("primitive", "");
      const auto [it, inserted] = row_of.try_emplace(name, table.primitives.size());
      if (inserted) {
        table.primitives.push_back(name);
        table.cells.emplace_back();
      }
      table.cells[it->second].resize(sources.size());
      table.cells[it->second][column] = cell_of(primitive);
    }
    for (const nlohmann::json& row : audit.value("ordering_table", nlohmann::json::array())) {
      const std::string id = row.value("id", "");
      if (!cited.insert(id).second) continue;
      table.citations.push_back(id + " [" + row.value("instructions", "") + "]: " + row.value("ordering", "") + ". " +
                                row.value("citation", ""));
    }
  }
  for (auto& row : table.cells) row.resize(sources.size());
  return table;
}

std::string render_audit_markdown(const AuditTable& table) {
  std::string out = "# BPF JIT audit across architectures\n\n";
  out += "Each cell is the native code a kernel's BPF JIT emitted for one BPF primitive and the verdict of the "
         "ordering it gives against what the BPF memory model requires: `stronger`, `equal`, or **WEAKER** (a JIT "
         "bug; **UNKNOWN**: an instruction the ordering table has no row for). Emulated columns ran under QEMU "
         "(TCG): they show the code each JIT emits, not the hardware's weak behaviour.\n\n| Primitive |";
  for (const AuditColumn& column : table.columns) out += " " + markdown_escaped(column.label) + " |";
  out += "\n|---|";
  for (std::size_t i = 0; i < table.columns.size(); ++i) out += "---|";
  out += "\n";
  std::size_t alarms = 0;
  const std::vector<std::string> notes = not_run_notes(table);
  for (std::size_t row = 0; row < table.primitives.size(); ++row) {
    out += "| " + markdown_escaped(table.primitives[row]) + " |";
    for (const AuditCell& cell : table.cells[row]) {
      alarms += cell.alarming();
      const std::string text = markdown_escaped(cell_text(cell, note_number(notes, cell)));
      out += " " + (cell.alarming() ? "**" + text + "**" : text) + " |";
    }
    out += "\n";
  }
  out += "\n" + (alarms == 0 ? std::string("No primitive's code is weaker than the model.")
                             : std::to_string(alarms) + " cells WEAKER than the model or unknown.") + "\n";
  if (!notes.empty()) out += "\nNot run:\n\n";
  for (std::size_t i = 0; i < notes.size(); ++i) out += std::to_string(i + 1) + ". " + markdown_escaped(notes[i]) + "\n";
  out += "\n## Columns\n\n| Column | Kernel | Machine | JIT enabled | bpf-litmus |\n|---|---|---|---|---|\n";
  for (const AuditColumn& column : table.columns) {
    const MachineFingerprint& fp = column.fingerprint;
    out += "| " + markdown_escaped(column.label) + " | " + markdown_escaped(fp.kernel.version) + " | " +
           markdown_escaped(fp.emulated ? fp.emulator : describe_machine(fp)) + " | " +
           std::to_string(fp.kernel.bpf_jit_enable) + " | " + markdown_escaped(fp.git_commit) + " |\n";
  }
  out += "\n## Ordering table rows used (harness/audit/isa_ordering.cpp)\n\n";
  for (const std::string& citation : table.citations) out += "- " + markdown_escaped(citation) + "\n";
  return out;
}

std::string render_audit_csv(const AuditTable& table) {
  std::string out = "primitive,column,architecture,kernel,cpu,emulated,native,gives,model_needs,verdict,note\n";
  for (std::size_t row = 0; row < table.primitives.size(); ++row) {
    for (std::size_t column = 0; column < table.columns.size(); ++column) {
      const AuditCell& cell = table.cells[row][column];
      if (!cell.present) continue;
      const MachineFingerprint& fp = table.columns[column].fingerprint;
      out += csv_field(table.primitives[row]) + "," + csv_field(table.columns[column].label) + "," +
             csv_field(fp.cpu.architecture) + "," + csv_field(fp.kernel.release) + "," +
             csv_field(fp.cpu.model_name) + "," + (fp.emulated ? "true" : "false") + "," + csv_field(cell.native) +
             "," + csv_field(cell.gives) + "," + csv_field(cell.needs) + "," + csv_field(cell.verdict) + "," +
             csv_field(cell.note) + "\n";
    }
  }
  return out;
}

std::string render_audit_html(const AuditTable& table) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>BPF JIT audit across "
      "architectures</title>\n<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}th{background:#f4f4f4}"
      "code{font-size:12px}.weaker{background:#d62728;color:#fff;font-weight:bold}.stronger{color:#555}"
      ".equal{color:#228833}.notrun{color:#999;font-style:italic}</style></head><body>\n"
      "<h1>BPF JIT audit across architectures</h1>\n<p>Native code each kernel's BPF JIT emitted per BPF "
      "primitive, and its verdict against the BPF memory model. Emulated columns ran under QEMU (TCG): they show "
      "code, not the hardware's weak behaviour. <span class=\"weaker\">WEAKER</span> cells are JIT bugs.</p>\n"
      "<table>\n<tr><th>Primitive</th>";
  for (const AuditColumn& column : table.columns) out += "<th>" + html_escaped(column.label) + "</th>";
  out += "</tr>\n";
  const std::vector<std::string> notes = not_run_notes(table);
  for (std::size_t row = 0; row < table.primitives.size(); ++row) {
    out += "<tr><th>" + html_escaped(table.primitives[row]) + "</th>";
    for (const AuditCell& cell : table.cells[row]) {
      if (!cell.present || cell.verdict == "not run") {
        out += "<td class=\"notrun\" title=\"" + html_escaped(cell.note) + "\">" +
               html_escaped(cell_text(cell, note_number(notes, cell))) + "</td>";
        continue;
      }
      const std::string css = cell.alarming() ? "weaker" : cell.verdict == "equal" ? "equal" : "stronger";
      out += "<td class=\"" + css + "\" title=\"gives " + html_escaped(cell.gives) + "; model needs " +
             html_escaped(cell.needs) + "\"><code>" + html_escaped(cell.native.empty() ? "(none)" : cell.native) +
             "</code><br>" + html_escaped(cell.verdict) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n";
  if (!notes.empty()) out += "<p>Not run:</p>\n<ol>\n";
  for (const std::string& note : notes) out += "<li>" + html_escaped(note) + "</li>\n";
  if (!notes.empty()) out += "</ol>\n";
  out += "<h2>Columns</h2>\n<ul>\n";
  for (const AuditColumn& column : table.columns) {
    const MachineFingerprint& fp = column.fingerprint;
    out += "<li>" + html_escaped(column.label) + ": " + html_escaped(fp.kernel.version) + "; " +
           html_escaped(fp.emulated ? fp.emulator : describe_machine(fp)) + "; bpf_jit_enable " +
           std::to_string(fp.kernel.bpf_jit_enable) + "</li>\n";
  }
  out += "</ul>\n<h2>Ordering table rows used</h2>\n<ul>\n";
  for (const std::string& citation : table.citations) out += "<li>" + html_escaped(citation) + "</li>\n";
  return out + "</ul>\n</body></html>\n";
}

std::string write_audit_result(const std::string& directory, const MachineFingerprint& fingerprint,
                               const std::vector<std::string>& command, const std::vector<std::string>& inputs,
                               const AuditRecord& audit) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  const std::string id = campaign_id(fingerprint);
  const std::string path = (std::filesystem::path(directory) / (id + ".jsonl")).string();
  DurableFile file(path, DurableFile::Mode::CreateNew);
  CampaignHeader header;
  header.campaign_id = id;
  header.started = audit.started;
  header.fingerprint = fingerprint;
  header.command = command;
  header.inputs = inputs;
  file.append_record(header);
  file.append_record(audit);
  file.append_record(EndRecord{utc_timestamp(), "completed", 0});
  return path;
}

}  // namespace bpf_litmus::results
