#include "report/bug_report.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "codegen/codegen.hpp"
#include "litmus/printer.hpp"
#include "report/native_listing.hpp"
#include "results/fingerprint.hpp"

namespace bpf_litmus::report {
namespace {

namespace fs = std::filesystem;

std::string fenced(const std::string& text, std::string_view language = "") {
  std::string body = text;
  if (!body.empty() && body.back() != '\n') body += '\n';
  return "```" + std::string(language) + "\n" + body + "```\n";
}

class Bundle {
 public:
  explicit Bundle(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }

  void write(const std::string& name, std::string_view text) {
    write_bytes(name, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  void write_bytes(const std::string& name, std::span<const std::uint8_t> bytes) {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
    files_.push_back(path);
  }
  std::vector<fs::path> files() const { return files_; }

 private:
  fs::path dir_;
  std::vector<fs::path> files_;
};

std::string verdict_text(const ObservedState& observed, model::ModelKind model) {
  switch (observed.verdict) {
    case Verdict::Forbidden: return "**FORBIDDEN** by " + std::string(model::model_kind_name(model));
    case Verdict::OutsideModel: return "outside the model";
    case Verdict::Allowed: break;
  }
  return "allowed";
}

}  // namespace

std::vector<fs::path> write_bug_report(const fs::path& dir, const BugReportInput& input) {
  const litmus::Test& ran = input.weakened ? *input.weakened : input.test;
  const std::string model = std::string(model::model_kind_name(input.model));
  const results::MachineFingerprint machine = results::machine_fingerprint();
  const std::size_t threads = input.compiled.programs.size();

  std::string readme = "# " + input.test.name + ": a state the " + model + " model forbids was observed\n\n";
  if (input.weakened) {
    readme += "> **Deliberately injected weakening: not a kernel or hardware bug.** " + input.weakening +
              " The BPF programs that ran implement that weakened test (`weakened.litmus`); the outcomes are "
              "judged against the original test (`test.litmus`). This bundle shows what bpf-litmus reports when "
              "a JIT drops ordering.\n\n";
  }
  readme += "Machine: " + results::describe_machine(machine) + " (fingerprint " + machine.id + ", `machine.json`)  \n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", input.facts.seconds);
  readme += "Run: " + std::to_string(input.facts.iterations) + " instances in " + seconds + " s, sync " +
            input.facts.sync + ", " + input.facts.placement + "\n\n";
  readme += "## What was seen\n\n| state | count | " + model + " model |\n|---|---:|---|\n";
  for (const ObservedState& observed : input.judgement.observed) {
    readme += "| `" + model::format_state(observed.state) + "` | " + std::to_string(observed.count) + " | " +
              verdict_text(observed, input.model) + " |\n";
  }
  readme += "\n" + std::to_string(input.judgement.forbidden_instances) + " of " + std::to_string(input.facts.iterations) +
            " instances ended in a forbidden state. The full run, in litmus7's log format: `run.log`.\n\n";
  readme += "## Why the " + model + " model forbids it\n\n";
  for (const ObservedState& observed : input.judgement.observed) {
    if (observed.verdict != Verdict::Forbidden) continue;
    readme += "`" + model::format_state(observed.state) + "`:\n\n" +
              fenced(observed.why_forbidden.empty() ? "(not explained)" : observed.why_forbidden) + "\n";
  }
  readme += "## The test (`test.litmus`)\n\n" + fenced(litmus::print_test(input.test)) + "\n";
  if (input.weakened) readme += "## The weakened test that ran (`weakened.litmus`)\n\n" + fenced(litmus::print_test(ran)) + "\n";
  readme += "## Reproduce\n\n" + fenced(input.reproduce, "sh") + "\n";
  readme += "## Files\n\n"
            "- `test.litmus`: the test, in herd7's BPF dialect\n";
  if (input.weakened) readme += "- `weakened.litmus`: the deliberately weakened test the programs implement\n";
  readme += "- `program.bpf.txt`: the BPF programs, each block under the test statement it implements\n"
            "- `verifier-P<n>.log`: the verifier's log of each program (level 2: its whole trace), which it accepted\n"
            "- `jit-P<n>.txt`, `jit-P<n>.bin`: the JIT's native code, disassembled under the test statement each block implements, and raw\n"
            "- `run.log`: the histogram in litmus7's format, with bpf-litmus's verdict lines\n"
            "- `machine.json`: CPU, topology, kernel, JIT settings, BPF features, bpf-litmus build\n";

  Bundle bundle(dir);
  bundle.write("README.md", readme);
  bundle.write("test.litmus", litmus::print_test(input.test));
  if (input.weakened) bundle.write("weakened.litmus", litmus::print_test(ran));
  bundle.write("program.bpf.txt", codegen::listing(input.compiled, ran));
  for (std::size_t t = 0; t < threads; ++t) {
    const std::string thread = "P" + std::to_string(t);
    if (t < input.verifier_logs.size()) bundle.write("verifier-" + thread + ".log", input.verifier_logs[t]);
    if (t < input.jit_images.size()) {
      const auto lines = t < input.jit_lines.size() ? std::span(input.jit_lines[t]) : std::span<const runtime::JitedLine>();
      bundle.write("jit-" + thread + ".txt", native_listing(input.jit_images[t], lines, input.compiled.programs[t], ran));
      bundle.write_bytes("jit-" + thread + ".bin", input.jit_images[t]);
    }
  }
  bundle.write("run.log", format_litmus7(input.test, input.judgement, input.facts) + format_verdicts(input.judgement, input.facts));
  nlohmann::json machine_json = machine;
  bundle.write("machine.json", machine_json.dump(2) + "\n");
  return bundle.files();
}

}  // namespace bpf_litmus::report
