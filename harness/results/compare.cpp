#include "results/compare.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "report/numbers.hpp"

namespace bpf_litmus::results {
using report::fixed;

namespace {


std::string describe_options(const CampaignOptions& options) {
  std::string text;
  if (options.time_per_test > 0) text += fixed(options.time_per_test, options.time_per_test < 1 ? 2 : 1) + " s per test";
  if (options.iterations > 0) text += (text.empty() ? "" : ", at most ") + std::to_string(options.iterations) + " iterations";
  text += (text.empty() ? "" : ", ") + std::string("sync ") + options.sync + ", layout " + options.layout;
  if (options.oversubscribe) text += ", --oversubscribe";
  return text;
}

// Labels: the hostname; machines sharing one get their kernel release, then a number.
void assign_labels(std::vector<MachineColumn>& machines) {
  auto duplicates = [&](const MachineColumn& column) {
    return std::count_if(machines.begin(), machines.end(),
                         [&](const MachineColumn& other) { return other.label == column.label; }) > 1;
  };
  for (MachineColumn& column : machines) {
    column.label = column.fingerprint.hostname.empty() ? "machine" : column.fingerprint.hostname;
  }
  std::vector<bool> clash(machines.size());
  for (std::size_t i = 0; i < machines.size(); ++i) clash[i] = duplicates(machines[i]);
  for (std::size_t i = 0; i < machines.size(); ++i) {
    if (clash[i]) machines[i].label += " (" + machines[i].fingerprint.kernel.release + ")";
  }
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < machines.size(); ++i) clash[i] = duplicates(machines[i]);
  for (std::size_t i = 0; i < machines.size(); ++i) {
    if (clash[i]) machines[i].label += " #" + std::to_string(++seen[machines[i].label]);
  }
}

std::string status_words(const std::string& status) {
  if (status == "bad_input") return "bad input";
  return status;
}

}  // namespace

std::string compact_count(std::uint64_t count) {
  if (count < 10000) return std::to_string(count);
  const double value = static_cast<double>(count);
  const char* suffix = "k";
  double scaled = value / 1e3;
  if (value >= 1e9) {
    suffix = "G";
    scaled = value / 1e9;
  } else if (value >= 1e6) {
    suffix = "M";
    scaled = value / 1e6;
  }
  // Three significant digits, never rounding up past what was counted.
  const int decimals = scaled < 10 ? 2 : scaled < 100 ? 1 : 0;
  const double factor = decimals == 2 ? 100 : decimals == 1 ? 10 : 1;
  return fixed(static_cast<double>(static_cast<std::uint64_t>(scaled * factor)) / factor, decimals) + suffix;
}

CellSummary summarize_cell(const std::optional<TestRecord>& record, bool exact) {
  CellSummary cell;
  if (!record) {
    cell.text = "-";
    cell.detail = "not in this machine's results";
    return cell;
  }
  if (!record->has_histogram()) {
    cell.text = status_words(record->status);
    cell.detail = record->message;
    return cell;
  }
  const std::uint64_t iterations = record->run.facts.iterations;
  cell.forbidden = record->forbidden_states > 0;
  cell.text = (cell.forbidden ? "!! " : "") +
              (exact ? std::to_string(record->positive) + "/" + std::to_string(iterations)
                     : compact_count(record->positive) + "/" + compact_count(iterations)) +
              " " + record->observation;
  if (record->status != "ran") cell.text += " (" + status_words(record->status) + ")";
  cell.oversubscribed = record->run.oversubscribed;
  if (cell.oversubscribed) cell.text += " °";
  cell.detail = std::to_string(record->positive) + " of " + std::to_string(iterations) + " iterations satisfy the condition, " +
                fixed(record->run.facts.seconds, 2) + " s";
  if (cell.forbidden) {
    cell.detail += "; " + std::to_string(record->forbidden_instances) + " instances in " +
                   std::to_string(record->forbidden_states) + " state(s) the " +
                   (record->model ? record->model->name : std::string("")) + " model forbids";
  }
  if (record->run.facts.unsynchronised > 0) {
    cell.detail += "; " + std::to_string(record->run.facts.unsynchronised) + " instances ran unsynchronised";
  }
  if (record->outside_model_states > 0) {
    cell.detail += "; " + std::to_string(record->outside_model_instances) + " instances in " +
                   std::to_string(record->outside_model_states) + " state(s) outside the model";
  }
  if (!record->message.empty()) cell.detail += "; " + record->message;
  return cell;
}

Comparison compare_results(const std::vector<ResultFile>& files) {
  Comparison comparison;
  std::map<std::string, std::size_t> row_of;
  std::set<std::string> model_names;
  std::vector<std::vector<TestRecord>> latest;
  for (const ResultFile& file : files) {
    MachineColumn column;
    column.fingerprint = file.header.fingerprint;
    column.description = describe_machine(file.header.fingerprint);
    column.campaign_id = file.header.campaign_id;
    column.campaign_status = file.campaign_status();
    column.options = describe_options(file.resumes.empty() ? file.header.options : file.resumes.back().options);
    comparison.machines.push_back(std::move(column));
    latest.push_back(file.latest_tests());
    for (const TestRecord& test : latest.back()) {
      row_of.try_emplace(test.name, 0);
      if (test.model) model_names.insert(test.model->name);
    }
  }
  assign_labels(comparison.machines);
  if (model_names.size() == 1) comparison.model_name = *model_names.begin();

  for (auto& [name, index] : row_of) {  // std::map: rows sorted by name
    index = comparison.rows.size();
    comparison.rows.push_back({name, std::vector<std::optional<TestRecord>>(files.size()), "", false});
  }
  for (std::size_t machine = 0; machine < latest.size(); ++machine) {
    for (TestRecord& test : latest[machine]) comparison.rows[row_of.at(test.name)].cells[machine] = std::move(test);
  }
  for (ComparisonRow& row : comparison.rows) {
    std::set<std::string> sources;
    std::set<std::string> verdicts;  // "bpf: Sometimes", each once
    for (const auto& cell : row.cells) {
      if (!cell) continue;
      if (!cell->source_sha256.empty()) sources.insert(cell->source_sha256);
      if (!cell->model) continue;
      const std::string verdict = cell->model->predicted ? cell->model->observation : "no prediction";
      verdicts.insert(comparison.model_name.empty() ? cell->model->name + ": " + verdict : verdict);
    }
    row.sources_differ = sources.size() > 1;
    for (const std::string& verdict : verdicts) row.model += (row.model.empty() ? "" : "; ") + verdict;
  }
  return comparison;
}

std::string markdown_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|' || c == '*' || c == '_' || c == '<' || c == '>') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render_markdown(const Comparison& comparison) {
  const std::string model_header = comparison.model_name.empty() ? "Model" : "Model (" + comparison.model_name + ")";
  std::string out = "# bpf-litmus results\n\n";
  out += std::to_string(comparison.rows.size()) + " tests on " + std::to_string(comparison.machines.size()) +
         (comparison.machines.size() == 1 ? " machine" : " machines") +
         ". A cell reads `weak/iterations Observation`: how many iterations ended in a state satisfying the "
         "test's condition, out of how many, and so whether the machine showed it Never, Sometimes or Always. "
         "The model column is what the memory model allows. **!!** marks a machine that showed a state the model "
         "forbids (details below the table); `-` a test missing from that machine's results.\n\n";
  out += "| Test | " + model_header + " |";
  for (const MachineColumn& machine : comparison.machines) out += " " + markdown_escaped(machine.label) + " |";
  out += "\n|---|---|";
  for (std::size_t i = 0; i < comparison.machines.size(); ++i) out += "---|";
  out += "\n";
  bool any_sources_differ = false;
  bool any_oversubscribed = false;
  for (const ComparisonRow& row : comparison.rows) {
    any_sources_differ = any_sources_differ || row.sources_differ;
    out += "| " + markdown_escaped(row.test) + (row.sources_differ ? " (†)" : "") + " | " + markdown_escaped(row.model) +
           " |";
    for (const auto& record : row.cells) {
      const CellSummary cell = summarize_cell(record, false);
      any_oversubscribed = any_oversubscribed || cell.oversubscribed;
      out += " " + (cell.forbidden ? "**" + markdown_escaped(cell.text) + "**" : markdown_escaped(cell.text)) + " |";
    }
    out += "\n";
  }
  if (any_sources_differ || any_oversubscribed) out += "\n";
  if (any_sources_differ) out += "(†) the machines ran different versions of this test's file (source hashes differ).\n";
  if (any_oversubscribed) {
    out += "° more threads than CPUs (`--oversubscribe`): the threads took turns on the CPUs and most instances ran "
           "unsynchronised, so weak outcomes rarely show.\n";
  }

  std::string forbidden;
  for (const ComparisonRow& row : comparison.rows) {
    for (std::size_t machine = 0; machine < row.cells.size(); ++machine) {
      const auto& record = row.cells[machine];
      if (!record || record->forbidden_states == 0) continue;
      for (const StateCount& state : record->histogram) {
        if (!state.forbidden()) continue;
        forbidden += "- " + markdown_escaped(row.test) + " on " + markdown_escaped(comparison.machines[machine].label) +
                     ": `" + state.state + "` " + std::to_string(state.count) + " times, forbidden by the " +
                     (record->model ? record->model->name : std::string()) + " model\n";
      }
    }
  }
  if (!forbidden.empty()) out += "\n## Forbidden states observed\n\n" + forbidden;

  out += "\n## Machines\n\n| Machine | Description | BPF JIT | Campaign | Fingerprint | bpf-litmus |\n|---|---|---|---|---|---|\n";
  for (const MachineColumn& machine : comparison.machines) {
    const MachineFingerprint& fp = machine.fingerprint;
    out += "| " + markdown_escaped(machine.label) + " | " + markdown_escaped(machine.description) + " | enable " +
           std::to_string(fp.kernel.bpf_jit_enable) + ", harden " + std::to_string(fp.kernel.bpf_jit_harden) + " | " +
           markdown_escaped(machine.campaign_id) + " (" + machine.campaign_status + "; " +
           markdown_escaped(machine.options) + ") | " + fp.id + " | " + markdown_escaped(fp.bpf_litmus_version) + " " +
           markdown_escaped(fp.git_commit) + " |\n";
  }
  return out;
}

std::string render_csv(const Comparison& comparison) {
  std::string out = "test,model";
  for (const MachineColumn& machine : comparison.machines) out += "," + csv_field(machine.label);
  out += "\r\n";
  for (const ComparisonRow& row : comparison.rows) {
    out += csv_field(row.test) + "," + csv_field(row.model);
    for (const auto& record : row.cells) out += "," + csv_field(summarize_cell(record, true).text);
    out += "\r\n";
  }
  return out;
}

}  // namespace bpf_litmus::results
