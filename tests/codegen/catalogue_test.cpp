// Every test of herdtools7's BPF catalogue compiles in every sync mode and
// layout; what cannot be compiled must be an Unsupported construct, counted.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bpf_litmus::codegen::testing {
namespace {

// Constructs of the catalogue BPF cannot express (none so far).
constexpr std::size_t kExpectedUnsupported = 0;

// Arena base loads: MayGoto's entry, and when the body keeps the base in
// another register (then r7 may be a test register) its loop head and every
// instance of the round but the first; BpfLoop's
// entry, instance callback and wait callback (none without sync).
std::size_t expected_base_loads(LoopStrategy loop, SyncMode sync, const ThreadProgram& program) {
  if (loop == LoopStrategy::MayGoto) {
    const bool r7_is_a_test_register = std::any_of(program.homes.begin(), program.homes.end(), [](const RegisterHome& h) {
      return h.in_machine_reg && h.machine_reg == BPF_REG_7;
    });
    return r7_is_a_test_register ? 1 + instances_per_may_goto(sync) : 1;
  }
  return sync == SyncMode::None ? 2 : 3;
}

TEST(Catalogue, EveryFileCompilesInEveryMode) {
  const auto files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  std::size_t compiled = 0, unsupported = 0;
  for (const auto& file : files) {
    const litmus::Test test = litmus::parse_file(file.string());
    for (LoopStrategy loop : {LoopStrategy::MayGoto, LoopStrategy::BpfLoop}) {
      for (SyncMode sync : {SyncMode::None, SyncMode::Spin, SyncMode::Timebase}) {
        for (LocationLayout layout : {LocationLayout::SeparateLines, LocationLayout::SharedLine}) {
          CodegenOptions options;
          options.loop = loop;
          options.sync = sync;
          options.layout = layout;
          const CodegenResult result = compile(test, options);
          if (const auto* error = std::get_if<CodegenError>(&result)) {
            EXPECT_EQ(error->kind, CodegenError::Kind::Unsupported) << file << ": " << to_string(*error);
            ++unsupported;
            continue;
          }
          const auto& ct = std::get<CompiledTest>(result);
          EXPECT_EQ(ct.programs.size(), test.threads.size()) << file;
          for (const auto& program : ct.programs) {
            EXPECT_EQ(program.source_statement.size(), program.insns.size()) << file;
            EXPECT_EQ(program.map_fd_relocations.size(), expected_base_loads(loop, sync, program)) << file;
          }
          ++compiled;
        }
      }
    }
  }
  EXPECT_EQ(unsupported, kExpectedUnsupported);
  EXPECT_EQ(compiled + unsupported, files.size() * 12);
}

// Every catalogue thread fits in machine registers: no spills, and the
// instance body stays short (the hot path of every test).
TEST(Catalogue, NoThreadSpills) {
  const auto files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  for (const auto& file : files) {
    const CompiledTest ct = compile_ok(litmus::parse_file(file.string()));
    for (const auto& program : ct.programs) {
      for (const auto& home : program.homes) EXPECT_TRUE(home.in_machine_reg) << file << " P" << program.thread;
    }
  }
}

TEST(Catalogue, FeaturesFollowTheInstructions) {
  const auto files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  for (const auto& file : files) {
    const CompiledTest ct = compile_ok(litmus::parse_file(file.string()));
    const auto& f = ct.required_features;
    EXPECT_TRUE(std::is_sorted(f.begin(), f.end())) << file;
    EXPECT_NE(std::find(f.begin(), f.end(), KernelFeature::MayGoto), f.end()) << file << ": the instance loop";
    for (const auto& program : ct.programs) {
      for (const auto& insn : program.insns) {
        if (auto feature = feature_of(insn)) {
          EXPECT_TRUE(std::binary_search(f.begin(), f.end(), *feature)) << file;
        }
      }
    }
  }
}

// The bpf_loop fallback is for kernels without may_goto (6.1 to 6.8): none of
// its programs may need it, whatever the test does.
TEST(Catalogue, BpfLoopProgramsNeedNoMayGoto) {
  const auto files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  for (const auto& file : files) {
    for (SyncMode sync : {SyncMode::None, SyncMode::Spin, SyncMode::Timebase}) {
      CodegenOptions options;
      options.loop = LoopStrategy::BpfLoop;
      options.sync = sync;
      const CompiledTest ct = compile_ok(litmus::parse_file(file.string()), options);
      const auto& f = ct.required_features;
      EXPECT_EQ(std::find(f.begin(), f.end(), KernelFeature::MayGoto), f.end()) << file;
      EXPECT_NE(std::find(f.begin(), f.end(), KernelFeature::BpfLoop), f.end()) << file;
    }
  }
}

}  // namespace
}  // namespace bpf_litmus::codegen::testing
