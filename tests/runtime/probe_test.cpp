#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <cstdlib>
#include <set>

#include "codegen/insn.hpp"
#include "runtime/detail.hpp"
#include "runtime/runtime.hpp"
#include "toy_tests.hpp"

namespace bpf_litmus::runtime {
namespace {

namespace in = codegen::insn;

bool features_assumed_missing() { return std::getenv("BPF_LITMUS_ASSUME_MISSING") != nullptr; }

TEST(Probe, ThisKernelAcceptsEveryFeatureTheHarnessUses) {
  if (features_assumed_missing()) GTEST_SKIP() << "BPF_LITMUS_ASSUME_MISSING is set";
  const Features& features = probe_features();
  ASSERT_EQ(features.probe_error, "");
  for (std::size_t i = 0; i < kFeatureCount; ++i) {
    EXPECT_TRUE(features.present[i]) << feature_name(static_cast<Feature>(i)) << " missing on this 6.18 kernel";
  }
  EXPECT_TRUE(features.has(Feature::LoadAcquire8));
  EXPECT_TRUE(features.has(Feature::StoreRelease64));
  EXPECT_EQ(features.max_arena_bytes, kArenaProbeLimit);  // 6.18 maps 1 GiB
  utsname uts{};
  ASSERT_EQ(uname(&uts), 0);
  EXPECT_EQ(features.kernel_release, uts.release);
  EXPECT_EQ(&probe_features(), &features) << "probed once, then cached";
}

TEST(Probe, FeatureNamesAreDistinct) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kFeatureCount; ++i) names.insert(feature_name(static_cast<Feature>(i)));
  EXPECT_EQ(names.size(), kFeatureCount);
  EXPECT_EQ(names.count("unknown"), 0u);
  EXPECT_EQ(feature_name(Feature::LoadAcquire16), "load_acquire_u16");
}

TEST(AssumeMissing, MarksNamedFeaturesMissingAndListsUnknownNames) {
  Features features;
  features.present.fill(true);
  detail::apply_assumed_missing(features, "load_acquire_u16, bpf_loop,,bogus");
  EXPECT_FALSE(features.has(Feature::LoadAcquire16));
  EXPECT_FALSE(features.has(Feature::BpfLoop));
  EXPECT_TRUE(features.has(Feature::LoadAcquire32));
  EXPECT_TRUE(features.has(Feature::MayGoto));
  EXPECT_EQ(features.assumed_missing, (std::vector<std::string>{"load_acquire_u16", "bpf_loop"}));
  EXPECT_EQ(features.unknown_names, (std::vector<std::string>{"bogus"}));
}

// ld_map_value (statements 0, 1), then a 16-bit load-acquire as statement 2.
codegen::CompiledTest load_acquire_u16_test() {
  std::vector<bpf_insn> prog;
  const auto base = in::ld_map_value(BPF_REG_1, 0, 4096);
  prog.insert(prog.end(), base.begin(), base.end());
  prog.push_back(in::load_acquire(2, BPF_REG_2, BPF_REG_1, 0));
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::exit());
  return testing::single_program_test(std::move(prog));
}

// Run by CTest as runtime_assume_missing, with the variable set.
TEST(AssumeMissingEnv, ProbeReportsThemMissingAndLoadSaysUnsupported) {
  if (!features_assumed_missing()) GTEST_SKIP() << "run with BPF_LITMUS_ASSUME_MISSING set (ctest does)";
  const Features& features = probe_features();
  EXPECT_FALSE(features.has(Feature::LoadAcquire16));
  EXPECT_FALSE(features.has(Feature::BpfLoop));
  EXPECT_TRUE(features.has(Feature::LoadAcquire32));
  EXPECT_EQ(features.unknown_names, (std::vector<std::string>{"no_such_feature"}));

  auto loaded = load(load_acquire_u16_test());
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().kind, Error::Kind::Unsupported);
  EXPECT_EQ(loaded.error().message, "Unsupported: P0 statement 2 (16-bit load-acquire): kernel lacks load_acquire_u16");
  EXPECT_EQ(loaded.error().thread, 0);
  EXPECT_EQ(loaded.error().statement, 2);

  auto looping = load(testing::counting_test(1));
  ASSERT_FALSE(looping.has_value());
  EXPECT_EQ(looping.error().kind, Error::Kind::Unsupported);
  EXPECT_EQ(looping.error().message, "Unsupported: P0 harness code (bpf_loop): kernel lacks bpf_loop");
}

TEST(Probe, LoadAcquireU16LoadsWhenPresent) {
  if (features_assumed_missing()) GTEST_SKIP() << "BPF_LITMUS_ASSUME_MISSING is set";
  auto loaded = load(load_acquire_u16_test());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
}

}  // namespace
}  // namespace bpf_litmus::runtime
