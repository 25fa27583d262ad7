// The HTML report: one file a browser opens offline (inline CSS, inline SVG,
// no scripts), the comparison table on top, a bar chart per test below.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "results/compare.hpp"

namespace bpf_litmus::results {
namespace {

// Paul Tol's colour-blind-safe "bright" scheme without its red, which marks forbidden states.
constexpr const char* kMachineColours[] = {"#4477aa", "#66ccee", "#228833", "#ccbb44", "#aa3377", "#bbbbbb"};
constexpr const char* kForbiddenColour = "#d62728";

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string anchor(const std::string& test) {
  std::string id = "t-";
  for (const char c : test) id += c == ' ' ? '_' : c;
  return escaped(id);
}

std::string number(double value, int decimals = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string colour_of(std::size_t machine) {
  return kMachineColours[machine % std::size(kMachineColours)];
}

// Three significant digits: "26.7%", "0.8%", "0.0017%".
std::string percentage(std::uint64_t count, std::uint64_t total) {
  if (total == 0 || count == 0) return "0%";
  char text[32];
  std::snprintf(text, sizeof text, "%.3g%%", 100.0 * static_cast<double>(count) / static_cast<double>(total));
  return text;
}

struct ChartState {
  std::string state;
  bool satisfies_condition = false;
  bool forbidden = false;  // forbidden by the model on some machine that saw it
};

// Every state some machine saw or some model allows, in the order met.
std::vector<ChartState> chart_states(const ComparisonRow& row) {
  std::vector<ChartState> states;
  auto find_or_add = [&](const std::string& state) -> ChartState& {
    const auto it = std::find_if(states.begin(), states.end(), [&](const ChartState& s) { return s.state == state; });
    if (it != states.end()) return *it;
    states.push_back({state});
    return states.back();
  };
  for (const auto& record : row.cells) {
    if (!record) continue;
    for (const StateCount& seen : record->histogram) {
      ChartState& state = find_or_add(seen.state);
      state.satisfies_condition = state.satisfies_condition || seen.satisfies_condition;
      state.forbidden = state.forbidden || seen.forbidden();
    }
  }
  for (const auto& record : row.cells) {
    if (!record || !record->model) continue;
    for (const std::string& allowed : record->model->allowed_states) find_or_add(allowed);
  }
  return states;
}

std::uint64_t count_of(const TestRecord& record, const std::string& state) {
  for (const StateCount& seen : record.histogram) {
    if (seen.state == state) return seen.count;
  }
  return 0;
}

// A grouped horizontal bar chart: per state, one bar per machine, its length
// the state's share of that machine's iterations on a log scale (weak outcomes
// are often a millionth of the runs).
std::string histogram_chart(const ComparisonRow& row, const std::vector<MachineColumn>& machines) {
  const std::vector<ChartState> states = chart_states(row);
  std::vector<std::size_t> measured;  // machines with a histogram for this test
  double smallest_share = 1;
  std::size_t longest_state = 8;
  for (std::size_t machine = 0; machine < row.cells.size(); ++machine) {
    const auto& record = row.cells[machine];
    if (!record || !record->has_histogram() || record->run.facts.iterations == 0) continue;
    measured.push_back(machine);
    for (const StateCount& seen : record->histogram) {
      if (seen.count > 0) {
        smallest_share = std::min(smallest_share, static_cast<double>(seen.count) /
                                                      static_cast<double>(record->run.facts.iterations));
      }
    }
  }
  if (measured.empty() || states.empty()) return "<p class=\"none\">No histogram: not run on any machine.</p>\n";
  for (const ChartState& state : states) longest_state = std::max(longest_state, state.state.size() + 2);

  const int decades = std::max(1, static_cast<int>(std::ceil(-std::log10(smallest_share))));
  const double label_width = 7.3 * static_cast<double>(longest_state) + 12;
  const double bar_space = 360;
  const double text_space = 150;
  const double bar_height = 13;
  const double group_gap = 9;
  const double top = 22;
  const double group_height = bar_height * static_cast<double>(measured.size()) + group_gap;
  const double width = label_width + bar_space + text_space;
  const double height = top + group_height * static_cast<double>(states.size()) + 4;
  auto x_of = [&](double share) {  // share in (0, 1]
    const double position = (std::log10(share) + decades) / decades;
    return std::max(2.0, bar_space * position);
  };

  std::string svg = "<svg class=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width, 0) +
                    "\" height=\"" + number(height, 0) + "\" viewBox=\"0 0 " + number(width, 0) + " " +
                    number(height, 0) + "\" role=\"img\" aria-label=\"histogram of " + escaped(row.test) + "\">\n";
  for (int decade = 0; decade <= decades; ++decade) {  // axis: 100%, 10%, 1%, ...
    const double x = label_width + bar_space * (1.0 - static_cast<double>(decade) / decades);
    const std::string tick = decade <= 5 ? percentage(1, static_cast<std::uint64_t>(std::pow(10, decade)))
                                         : "1e-" + std::to_string(decade - 2) + "%";
    svg += "<line x1=\"" + number(x) + "\" y1=\"" + number(top - 4) + "\" x2=\"" + number(x) + "\" y2=\"" +
           number(height) + "\" class=\"grid\"/><text x=\"" + number(x) + "\" y=\"" + number(top - 8) +
           "\" class=\"tick\">" + tick + "</text>\n";
  }
  for (std::size_t s = 0; s < states.size(); ++s) {
    const ChartState& state = states[s];
    const double group_top = top + group_height * static_cast<double>(s);
    const std::string label = (state.satisfies_condition ? "* " : "  ") + state.state;
    svg += "<text x=\"4\" y=\"" + number(group_top + group_height / 2) + "\" class=\"state" +
           (state.forbidden ? " forbidden" : "") + "\" xml:space=\"preserve\">" + escaped(label) + "</text>\n";
    for (std::size_t m = 0; m < measured.size(); ++m) {
      const std::size_t machine = measured[m];
      const TestRecord& record = *row.cells[machine];
      const std::uint64_t count = count_of(record, state.state);
      const double y = group_top + bar_height * static_cast<double>(m);
      const std::string figures = std::to_string(count) + " (" + percentage(count, record.run.facts.iterations) + ")";
      if (count > 0) {
        const double share = static_cast<double>(count) / static_cast<double>(record.run.facts.iterations);
        const bool forbidden = std::any_of(record.histogram.begin(), record.histogram.end(), [&](const StateCount& seen) {
          return seen.state == state.state && seen.forbidden();
        });
        svg += "<rect x=\"" + number(label_width) + "\" y=\"" + number(y + 1) + "\" width=\"" + number(x_of(share)) +
               "\" height=\"" + number(bar_height - 2) + "\" fill=\"" +
               (forbidden ? kForbiddenColour : colour_of(machine)) + "\"><title>" +
               escaped(machines[machine].label + ": " + state.state + " " + figures) + "</title></rect>\n";
      }
      svg += "<text x=\"" + number(label_width + (count > 0 ? x_of(static_cast<double>(count) /
                                                                      static_cast<double>(record.run.facts.iterations))
                                                             : 0) +
                                   4) +
             "\" y=\"" + number(y + bar_height - 3) + "\" class=\"count\">" + escaped(figures) + "</text>\n";
    }
  }
  return svg + "</svg>\n";
}

constexpr const char* kStyle = R"(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;max-width:110em}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em}h3{font-size:1.05em;margin:1.5em 0 .3em}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.cell{font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:nowrap}
td.forbidden{background:#fde0e0;color:#a00;font-weight:bold}
td.missing{color:#999}
a{color:#2a5db0;text-decoration:none}
.legend span{display:inline-block;margin-right:1.5em}
.legend i{display:inline-block;width:1em;height:1em;margin-right:.4em;vertical-align:middle}
.condition{font-family:ui-monospace,"DejaVu Sans Mono",monospace;color:#555;margin:.2em 0}
svg.histogram{display:block;margin:.3em 0 1em}
svg .state{font:12px ui-monospace,"DejaVu Sans Mono",monospace;dominant-baseline:middle;fill:#222}
svg .state.forbidden{fill:#a00;font-weight:bold}
svg .count{font:11px system-ui,sans-serif;fill:#444}
svg .tick{font:10px system-ui,sans-serif;fill:#777;text-anchor:middle}
svg .grid{stroke:#e4e4e4;stroke-width:1}
)";

}  // namespace

std::string html_escaped(const std::string& text) { return escaped(text); }

std::string render_html(const Comparison& comparison) {
  const std::string model_header = comparison.model_name.empty() ? "Model" : "Model (" + comparison.model_name + ")";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>bpf-litmus results</title>\n<style>\n" +
                    std::string(kStyle) + "</style>\n</head>\n<body>\n<h1>bpf-litmus results</h1>\n";
  out += "<p>" + std::to_string(comparison.rows.size()) + " tests on " + std::to_string(comparison.machines.size()) +
         (comparison.machines.size() == 1 ? " machine" : " machines") +
         ". A cell reads <code>weak/iterations Observation</code>: iterations whose final state satisfies the "
         "test's condition, out of all, and what the machine showed. Red cells: the machine showed a state the "
         "model forbids. ° marks tests with more threads than CPUs: the threads took turns on the CPUs and most "
         "instances ran unsynchronised, so weak outcomes rarely show. Click a test for its histograms.</p>\n";

  out += "<table id=\"results\">\n<thead><tr><th>Test</th><th>" + escaped(model_header) + "</th>";
  for (const MachineColumn& machine : comparison.machines) {
    out += "<th title=\"" + escaped(machine.description) + "\">" + escaped(machine.label) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const ComparisonRow& row : comparison.rows) {
    out += "<tr><td><a href=\"#" + anchor(row.test) + "\">" + escaped(row.test) + "</a>" +
           (row.sources_differ ? " <span title=\"the machines ran different versions of this file\">&dagger;</span>" : "") +
           "</td><td>" + escaped(row.model) + "</td>";
    for (const auto& record : row.cells) {
      const CellSummary cell = summarize_cell(record, false);
      const std::string kind = cell.forbidden ? "cell forbidden" : record ? "cell" : "cell missing";
      out += "<td class=\"" + kind + "\" title=\"" + escaped(cell.detail) + "\">" + escaped(cell.text) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";

  out += "<h2>Machines</h2>\n<table id=\"machines\">\n<thead><tr><th>Machine</th><th>Description</th><th>CPU</th>"
         "<th>Kernel</th><th>BPF JIT</th><th>Campaign</th><th>Fingerprint</th><th>bpf-litmus</th></tr></thead>\n<tbody>\n";
  for (const MachineColumn& machine : comparison.machines) {
    const MachineFingerprint& fp = machine.fingerprint;
    out += "<tr><td>" + escaped(machine.label) + "</td><td>" + escaped(machine.description) + "</td><td>" +
           escaped(fp.cpu.vendor + " family " + fp.cpu.family + " model " + fp.cpu.model + " stepping " +
                   fp.cpu.stepping + (fp.cpu.microcode.empty() ? "" : ", microcode " + fp.cpu.microcode)) +
           "</td><td>" + escaped(fp.kernel.release + " " + fp.kernel.version) + "</td><td>enable " +
           std::to_string(fp.kernel.bpf_jit_enable) + ", harden " + std::to_string(fp.kernel.bpf_jit_harden) +
           "</td><td>" + escaped(machine.campaign_id + " (" + machine.campaign_status + "; " + machine.options + ")") +
           "</td><td>" + escaped(fp.id) + "</td><td>" + escaped(fp.bpf_litmus_version + " " + fp.git_commit) +
           "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";

  out += "<h2>Histograms</h2>\n<p>Each bar is a state's share of that machine's iterations, on a log scale. "
         "<code>*</code> marks states satisfying the condition; red bars are states the model forbids.</p>\n"
         "<p class=\"legend\">";
  for (std::size_t machine = 0; machine < comparison.machines.size(); ++machine) {
    out += "<span><i style=\"background:" + colour_of(machine) + "\"></i>" + escaped(comparison.machines[machine].label) +
           "</span>";
  }
  out += "<span><i style=\"background:" + std::string(kForbiddenColour) + "\"></i>forbidden by the model</span></p>\n";
  for (const ComparisonRow& row : comparison.rows) {
    std::string condition;
    for (const auto& record : row.cells) {
      if (record && condition.empty()) condition = record->condition;
    }
    out += "<section id=\"" + anchor(row.test) + "\">\n<h3>" + escaped(row.test) + "</h3>\n<p class=\"condition\">" +
           escaped(condition) + "</p>\n" + histogram_chart(row, comparison.machines) + "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

}  // namespace bpf_litmus::results
