// x86-TSO forbids the weak outcomes of MP with plain accesses, SB fenced by
// fetch atomics and CoRR. On x86 the harness must never show them, whatever
// the sync mode and the memory layout: one seen is a harness bug (a lost
// dependency, a mislaid observation, a stale instance), not a weak outcome.
// Short runs here; the benchmark runs them long. SB+pos, which TSO allows,
// is printed beside them to show what each configuration does expose.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli/pipeline.hpp"
#include "selfcheck_support.hpp"

namespace bpf_litmus::selfcheck {
namespace {

constexpr std::uint64_t kIterationsPerTwin = 200'000;

struct Configuration {
  codegen::SyncMode sync;
  codegen::LocationLayout layout;
};

std::string describe(const Configuration& c) {
  return "sync " + cli::sync_mode_name(c.sync) +
         (c.layout == codegen::LocationLayout::SharedLine ? ", shared line" : ", separate lines");
}

class TsoForbiddenTwins : public ::testing::TestWithParam<Configuration> {
 protected:
  void SetUp() override {
#if !defined(__x86_64__)
    GTEST_SKIP() << "x86-TSO is this machine's model only on x86-64";
#endif
    if (const std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  }

  cli::TestRun run(const std::string& name) {
    cli::PipelineOptions options;
    options.codegen.sync = GetParam().sync;
    options.codegen.layout = GetParam().layout;
    options.run.iterations = kIterationsPerTwin;
    options.model = model::ModelKind::Tso;
    double seconds = 0;
    return run_retrying_failures(corpus_file(name), options, &seconds, &retried);
  }

  std::vector<std::string> retried;
};

TEST_P(TsoForbiddenTwins, ShowNoWeakOutcome) {
  for (const char* name : {"MP+pos", "SB+fetchadds", "CoRR+pos"}) {
    const cli::TestRun r = run(name);
    ASSERT_EQ(r.status, cli::TestRun::Status::Ran) << name << ": " << r.message;
    ASSERT_EQ(r.facts.iterations, kIterationsPerTwin) << name;
    // Each test's condition is its TSO-forbidden weak outcome.
    EXPECT_EQ(r.judgement.positive, 0U) << name << " showed its weak outcome under " << describe(GetParam());
    EXPECT_EQ(r.judgement.forbidden_states, 0U) << name << " showed a state x86-TSO forbids under "
                                                << describe(GetParam());
  }
  const cli::TestRun control = run("SB+pos");
  ASSERT_EQ(control.status, cli::TestRun::Status::Ran) << control.message;
  std::printf("[ twins ] %s: no weak outcome in 3 x %llu instances; SB+pos shows %llu weak of %llu\n",
              describe(GetParam()).c_str(), static_cast<unsigned long long>(kIterationsPerTwin),
              static_cast<unsigned long long>(control.judgement.positive),
              static_cast<unsigned long long>(control.facts.iterations));
  for (const std::string& r : retried) std::printf("[ twins ] run again after a failed run: %s\n", r.c_str());
}

INSTANTIATE_TEST_SUITE_P(
    EverySyncAndLayout, TsoForbiddenTwins,
    ::testing::Values(Configuration{codegen::SyncMode::Spin, codegen::LocationLayout::SeparateLines},
                      Configuration{codegen::SyncMode::Spin, codegen::LocationLayout::SharedLine},
                      Configuration{codegen::SyncMode::None, codegen::LocationLayout::SeparateLines},
                      Configuration{codegen::SyncMode::None, codegen::LocationLayout::SharedLine},
                      Configuration{codegen::SyncMode::Timebase, codegen::LocationLayout::SeparateLines},
                      Configuration{codegen::SyncMode::Timebase, codegen::LocationLayout::SharedLine}),
    [](const ::testing::TestParamInfo<Configuration>& param_info) {
      const Configuration& c = param_info.param;
      return cli::sync_mode_name(c.sync) + (c.layout == codegen::LocationLayout::SharedLine ? "_shared" : "_separate");
    });

}  // namespace
}  // namespace bpf_litmus::selfcheck
