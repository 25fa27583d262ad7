#include <gtest/gtest.h>

#include <algorithm>

#include "codegen/insn.hpp"
#include "runtime/detail.hpp"
#include "runtime/runtime.hpp"
#include "toy_tests.hpp"

namespace bpf_litmus::runtime {
namespace {

namespace in = codegen::insn;

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST(Loader, LoadsEveryThreadOverOneArena) {
  auto loaded = load(testing::counting_test(2));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->threads(), 2);
  EXPECT_EQ(loaded->name(), "counting");
}

TEST(Loader, RejectionShowsTheFailingInstructionAndAFewLinesBeforeIt) {
  auto loaded = load(testing::single_program_test({
      in::mov64_imm(BPF_REG_0, 0),
      in::mov64_imm(BPF_REG_1, 1),
      in::mov64_imm(BPF_REG_2, 2),
      in::alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_2),
      in::mov64_reg(BPF_REG_0, BPF_REG_3),  // r3 was never written
      in::exit(),
  }));
  ASSERT_FALSE(loaded.has_value());
  const Error& error = loaded.error();
  EXPECT_EQ(error.kind, Error::Kind::Rejected);
  EXPECT_EQ(error.thread, 0);
  EXPECT_EQ(error.statement, 4);
  EXPECT_NE(error.message.find("at instruction 4 (test statement 4)"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("4: (bf) r0 = r3"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("R3 !read_ok"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("processed "), std::string::npos) << "statistics are cut";
  EXPECT_LE(line_count(error.message), 20u);
}

TEST(Loader, MissingFeatureNamesConstructAndFeature) {
  Features features;
  features.present.fill(true);
  features.max_arena_bytes = kArenaProbeLimit;
  features.present[static_cast<std::size_t>(Feature::Cmpxchg64)] = false;
  std::vector<bpf_insn> prog;
  const auto base = in::ld_map_value(BPF_REG_1, 0, 4096);
  prog.insert(prog.end(), base.begin(), base.end());
  prog.push_back(in::mov64_imm(BPF_REG_2, 1));
  prog.push_back(in::mov64_imm(BPF_REG_0, 0));
  prog.push_back(in::atomic(8, BPF_CMPXCHG, BPF_REG_1, BPF_REG_2, 0));
  prog.push_back(in::exit());
  const auto error = detail::check_supported(testing::single_program_test(std::move(prog)), features);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "Unsupported: P0 statement 4 (64-bit cmpxchg): kernel lacks cmpxchg64");

  auto declared = testing::counting_test(1);  // needs only bpf_loop in its bytecode
  declared.required_features = {Feature::MayGoto};
  const auto undeclared = detail::check_supported(declared, features);
  ASSERT_FALSE(undeclared.has_value()) << "may_goto present";
  features.present[static_cast<std::size_t>(Feature::MayGoto)] = false;
  const auto from_contract = detail::check_supported(declared, features);
  ASSERT_TRUE(from_contract.has_value());
  EXPECT_EQ(from_contract->message, "Unsupported: may_goto: kernel lacks may_goto");

  features.max_arena_bytes = 4096;  // a kernel that maps little
  const auto too_big = detail::check_supported(testing::counting_test(1), features);
  ASSERT_TRUE(too_big.has_value());
  EXPECT_NE(too_big->message.find("kernel maps at most 4096"), std::string::npos) << too_big->message;
}

TEST(Loader, InconsistentLayoutsAreBadInputNotCrashes) {
  auto expect_bad = [](codegen::CompiledTest test, const char* why) {
    auto loaded = load(test);
    ASSERT_FALSE(loaded.has_value()) << why;
    EXPECT_EQ(loaded.error().kind, Error::Kind::BadInput) << why << ": " << loaded.error().message;
  };
  auto test = testing::counting_test(2);
  test.layout.capacity = 1u << 30;
  expect_bad(test, "capacity beyond the arena");

  test = testing::counting_test(2);
  test.observed[1].thread = 5;
  expect_bad(test, "observed thread that does not exist");

  test = testing::counting_test(2);
  test.observed[0].from_result = false;
  test.observed[0].location_offset = 4000;
  expect_bad(test, "observed location outside the instance");

  test = testing::counting_test(2);
  test.programs[0].map_fd_relocations.push_back(test.programs[0].insns.size() - 1);
  expect_bad(test, "relocation of an exit");

  test = testing::counting_test(2);
  test.programs.clear();
  expect_bad(test, "no threads");

  test = testing::counting_test(1);
  test.layout.instance_image.assign(8, 0);
  test.layout.address_inits.push_back({4, litmus::Width::U64, 0});
  expect_bad(test, "address word past the image");
}

TEST(VerifierExcerpt, KeepsFailingInstructionLinesBeforeItAndTheErrorWithoutStatistics) {
  std::string log = "func#0 @0\n";
  for (int i = 0; i < 30; ++i) log += std::to_string(i) + ": (b7) r1 = " + std::to_string(i) + "\n";
  log += "30: (bf) r0 = r3\nR3 !read_ok\n";
  log += "processed 31 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";
  const auto excerpt = detail::verifier_excerpt(log, 4);
  EXPECT_EQ(excerpt.failing_insn, 30);
  EXPECT_EQ(excerpt.text, "26: (b7) r1 = 26\n27: (b7) r1 = 27\n28: (b7) r1 = 28\n29: (b7) r1 = 29\n"
                          "30: (bf) r0 = r3\nR3 !read_ok\n");
}

TEST(VerifierExcerpt, LogWithoutInstructionsKeepsItsTail) {
  const auto excerpt = detail::verifier_excerpt("BPF program is too large. Processed 1000001 insn\n");
  EXPECT_EQ(excerpt.failing_insn, -1);
  EXPECT_EQ(excerpt.text, "BPF program is too large. Processed 1000001 insn\n");
  EXPECT_EQ(detail::verifier_excerpt("").text, "");
}

}  // namespace
}  // namespace bpf_litmus::runtime
