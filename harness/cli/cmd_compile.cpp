// `bpf-litmus compile FILE|DIR... [--load [--jit]] [--quiet]`: print each
// thread's generated BPF program; with --load, also have the kernel verify them
// and say per file: accepted, Unsupported (with the missing feature), or
// rejected (with the verifier's lines); with --jit, print what the JIT made of
// each program, native code under the test statement each block implements.
#include <iostream>
#include <memory>
#include <variant>

#include "cli/commands.hpp"
#include "cli/hammer_options.hpp"
#include "cli/inputs.hpp"
#include "codegen/codegen.hpp"
#include "litmus/parser.hpp"
#include "report/native_listing.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::cli {

namespace {

// Each thread's JIT image, native instructions under their test statements.
void print_native_code(runtime::LoadedTest& loaded, const codegen::CompiledTest& compiled, const litmus::Test& test) {
  for (const auto& program : compiled.programs) {
    const auto image = runtime::jited_image(loaded, program.thread);
    if (!image) {
      std::cout << "; P" << program.thread << ": no JIT image: " << image.error().message << '\n';
      continue;
    }
    const auto lines = runtime::jited_line_offsets(loaded, program.thread);
    if (!lines) std::cout << "; P" << program.thread << ": no statement map: " << lines.error().message << '\n';
    const std::vector<runtime::JitedLine> none;
    std::cout << report::native_listing(image.value(), lines ? lines.value() : none, program, test) << '\n';
  }
}

}  // namespace

void add_compile_command(CLI::App& app, int* status) {
  struct Options {
    std::vector<std::string> inputs;
    codegen::CodegenOptions codegen;
    bool load = false;
    bool jit = false;
    bool quiet = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("compile", "print the BPF programs generated for litmus tests");
  cmd->add_option("inputs", options->inputs, "litmus files, or directories of them")->required();
  add_sync_option(*cmd, options->codegen.sync);
  cmd->add_flag("--load", options->load, "load the programs: the kernel verifier accepts or rejects them");
  cmd->add_flag("--jit", options->jit, "with --load: each program's JIT image as native code, by test statement")
      ->needs("--load");
  cmd->add_flag("-q,--quiet", options->quiet, "no listings: only the per-file verdict of --load");
  cmd->callback([options, status] {
    const auto listed = litmus_files_or_report(options->inputs);
    if (!listed) {
      *status = kExitBadInput;
      return;
    }
    const std::vector<std::string>& files = *listed;
    std::size_t accepted = 0;
    std::size_t unsupported = 0;
    std::size_t rejected = 0;
    for (const std::string& file : files) {
      litmus::Test test;
      try {
        test = litmus::parse_file(file);
      } catch (const litmus::ParseError& e) {
        std::cerr << e.what() << '\n';
        *status = std::max(*status, kExitBadInput);
        continue;
      }
      auto compiled = codegen::compile(test, options->codegen);
      if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) {
        std::cout << test.name << ": " << codegen::to_string(*error) << '\n';
        if (error->kind == codegen::CodegenError::Kind::Unsupported) {
          ++unsupported;
        } else {
          *status = std::max(*status, kExitBadInput);
        }
        continue;
      }
      const auto& program = std::get<codegen::CompiledTest>(compiled);
      if (!options->quiet) std::cout << codegen::listing(program, test) << '\n';
      if (!options->load) continue;
      auto loaded = runtime::load(program, {.line_info = options->jit});
      if (loaded && options->jit) print_native_code(*loaded, program, test);
      if (loaded) {
        ++accepted;
        std::cout << test.name << ": accepted by the verifier (" << program.programs.size() << " programs)\n";
      } else if (loaded.error().kind == runtime::Error::Kind::Unsupported) {
        ++unsupported;
        std::cout << test.name << ": " << loaded.error().message << '\n';
      } else {
        ++rejected;
        std::cout << test.name << ": rejected: " << loaded.error().message << '\n';
        *status = std::max(*status, kExitRuntimeFailure);
      }
    }
    if (options->load) {
      std::cout << "Loaded " << files.size() << " files: " << accepted << " accepted, " << unsupported
                << " unsupported, " << rejected << " rejected\n";
    }
  });
}

}  // namespace bpf_litmus::cli
