#include "litmus_runs.hpp"

#include <exception>

#include "litmus/parser.hpp"

namespace bpf_litmus::runtime::testing {

LitmusRun run_corpus_test(const std::string& name, codegen::SyncMode sync, const RunOptions& options) {
  codegen::CodegenOptions codegen_options;
  codegen_options.sync = sync;
  return run_corpus_test(name, codegen_options, options);
}

LitmusRun run_corpus_test(const std::string& name, const codegen::CodegenOptions& codegen_options,
                          const RunOptions& options) {
  LitmusRun run;
  litmus::Test test;
  try {
    test = litmus::parse_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/" + name + ".litmus");
  } catch (const std::exception& e) {
    run.error = e.what();
    return run;
  }
  auto compiled = codegen::compile(test, codegen_options);
  if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) {
    run.error = codegen::to_string(*error);
    return run;
  }
  run.compiled = std::move(std::get<codegen::CompiledTest>(compiled));
  auto loaded = load(run.compiled);
  if (!loaded) {
    run.error = loaded.error().message;
    return run;
  }
  run.result = runtime::run(loaded.value(), options);
  return run;
}

std::uint64_t count_outcome(const LitmusRun& run, const std::vector<RegisterValue>& outcome) {
  std::vector<std::pair<std::size_t, std::uint64_t>> wanted;  // key index, value
  for (const auto& atom : outcome) {
    for (std::size_t k = 0; k < run.compiled.observed.size(); ++k) {
      const auto& what = run.compiled.observed[k].what;
      if (what.is_register && what.thread == atom.thread && what.reg == atom.reg) wanted.emplace_back(k, atom.value);
    }
  }
  if (wanted.size() != outcome.size()) return UINT64_MAX;  // a register is not observed
  std::uint64_t count = 0;
  for (const auto& entry : run.result.histogram.entries()) {
    bool match = true;
    for (const auto& [k, value] : wanted) match = match && entry.key[k] == value;
    if (match) count += entry.count;
  }
  return count;
}

}  // namespace bpf_litmus::runtime::testing
