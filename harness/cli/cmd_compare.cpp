// `bpf-litmus compare RESULT.jsonl... [--format md|csv|html] [-o FILE]`: one
// table of many machines' campaign results (docs/results.md).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "results/audit_table.hpp"
#include "results/compare.hpp"

namespace bpf_litmus::cli {
namespace {

struct CompareArguments {
  std::vector<std::string> files;
  std::string format;  // empty: from the output file's extension, else Markdown
  std::string output;
};

std::string format_of(const CompareArguments& arguments) {
  if (!arguments.format.empty()) return arguments.format;
  const std::string extension = std::filesystem::path(arguments.output).extension().string();
  if (extension == ".html" || extension == ".htm") return "html";
  if (extension == ".csv") return "csv";
  return "md";
}

int run_compare(const CompareArguments& arguments) {
  std::vector<results::ResultFile> files;
  for (const std::string& path : arguments.files) {
    try {
      files.push_back(results::read_result_file(path));
    } catch (const results::ResultFileError& e) {
      std::cerr << "bpf-litmus: " << e.what() << '\n';
      return kExitBadInput;
    }
    const results::ResultFile& file = files.back();
    if (file.torn_tail) std::cerr << "bpf-litmus: " << path << ": last record cut short (the campaign died writing it)\n";
    if (file.campaign_status() != "completed") {
      std::cerr << "bpf-litmus: " << path << ": campaign " << file.campaign_status() << ", "
                << file.latest_tests().size() << " of " << file.header.tests_planned << " tests recorded\n";
    }
  }
  const std::string format = format_of(arguments);
  std::string text;
  // Files of `bpf-litmus audit --record` (scripts/xarch-audit) give the JIT audit table instead.
  if (std::any_of(files.begin(), files.end(), [](const results::ResultFile& f) { return !f.audits.empty(); })) {
    const results::AuditTable table = results::audit_table(files);
    text = format == "html" ? results::render_audit_html(table)
           : format == "csv" ? results::render_audit_csv(table)
                             : results::render_audit_markdown(table);
  } else {
    const results::Comparison comparison = results::compare_results(files);
    text = format == "html" ? results::render_html(comparison)
           : format == "csv" ? results::render_csv(comparison)
                             : results::render_markdown(comparison);
  }
  if (arguments.output.empty() || arguments.output == "-") {
    std::cout << text << std::flush;
    return kExitOk;
  }
  std::ofstream out(arguments.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "bpf-litmus: cannot write " << arguments.output << '\n';
    return kExitRuntimeFailure;
  }
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, int* status) {
  auto arguments = std::make_shared<CompareArguments>();
  CLI::App* cmd = app.add_subcommand("compare", "one table of many machines' campaign results (docs/results.md)");
  cmd->add_option("results", arguments->files, "result files written by `bpf-litmus campaign`")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", arguments->format, "md (default), csv or html; default from -o's extension")
      ->check(CLI::IsMember({"md", "csv", "html"}));
  cmd->add_option("-o,--output", arguments->output, "write to this file instead of standard output");
  cmd->callback([arguments, status] { *status = run_compare(*arguments); });
}

}  // namespace bpf_litmus::cli
