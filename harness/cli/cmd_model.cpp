// `bpf-litmus model FILE... [--model bpf|sc|tso]`: what the model allows, in
// herd7's output format.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "litmus/parser.hpp"
#include "model/model.hpp"
#include "model/value.hpp"
#include "report/herd_format.hpp"

namespace bpf_litmus::cli {

void add_model_command(CLI::App& app, int* status) {
  struct Options {
    std::vector<std::string> files;
    std::string model = "bpf";
    model::Limits limits;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("model", "print the outcomes a memory model allows, as herd7 does");
  cmd->add_option("files", options->files, "litmus test files")->required();
  cmd->add_option("--model", options->model, "memory model: bpf (herd7's bpf.cat), sc or tso (x86-64 JIT)")
      ->check(CLI::IsMember({"bpf", "sc", "tso"}));
  cmd->add_option("--max-branches", options->limits.max_branches,
                  "give up after this many choices of path, read-from and coherence order");
  cmd->add_option("--unroll", options->limits.unroll, "times a backward jump is taken (herd7's -unroll)");
  cmd->callback([options, status] {
    const model::ModelKind kind = *model::model_kind_from_name(options->model);
    for (const std::string& file : options->files) {
      try {
        const litmus::Test test = litmus::parse_file(file);
        std::cout << report::format_herd(test, model::predict(test, kind, options->limits)) << std::flush;
      } catch (const litmus::ParseError& e) {
        std::cerr << e.what() << '\n';
        *status = std::max(*status, kExitBadInput);
      } catch (const model::ModelError& e) {
        std::cerr << file << ": " << e.what() << '\n';
        *status = std::max(*status, kExitBadInput);
      } catch (const model::LimitExceeded& e) {
        std::cerr << file << ": " << e.what() << '\n';
        *status = std::max(*status, kExitBadInput);
      }
    }
  });
}

}  // namespace bpf_litmus::cli
