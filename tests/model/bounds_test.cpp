// The search is bounded: big tests finish, too-big ones stop with a clear
// error, loops are unrolled as herd7 does.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "model/value.hpp"
#include "report/herd_format.hpp"
#include "test_util.hpp"

namespace bpf_litmus::model {
namespace {

using testing::parse;
using testing::predict_text;

// Four threads of eight memory events each: thread i writes its four
// locations and reads one location of each other thread in between.
std::string four_by_eight() {
  std::string init = "{ ";
  std::string rows[8];
  for (int t = 0; t < 4; ++t) {
    for (int k = 0; k < 4; ++k) {
      const std::string own = "l" + std::to_string(t) + std::to_string(k);
      const std::string other = "l" + std::to_string((t + 1 + k % 3) % 4) + std::to_string(k);
      init += std::to_string(t) + ":r" + std::to_string(k + 1) + "=" + own + "; ";
      init += std::to_string(t) + ":r" + std::to_string(k + 5) + "=" + other + "; ";
    }
  }
  init += "}\n";
  const std::string dst[4] = {"r0", "r9", "r10", "r1"};
  std::string code = " P0 | P1 | P2 | P3 ;\n";
  for (int k = 0; k < 4; ++k) {
    std::string write_row;
    std::string read_row;
    for (int t = 0; t < 4; ++t) {
      write_row += std::string(t ? " | " : " ") + "*(u32 *)(r" + std::to_string(k + 1) + " + 0) = 1";
      read_row += std::string(t ? " | " : " ") + dst[k] + " = *(u32 *)(r" + std::to_string(k + 5) + " + 0)";
    }
    code += write_row + " ;\n" + read_row + " ;\n";
  }
  return "BPF FourByEight\n" + init + code + "exists (0:r0=1 /\\ 1:r0=1 /\\ 2:r0=1 /\\ 3:r0=1)\n";
}

TEST(Bounds, FourThreadsOfEightEventsFinish) {
  const auto start = std::chrono::steady_clock::now();
  const Prediction p = predict_text(four_by_eight(), ModelKind::Bpf);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(p.positive + p.negative, 1U << 16);  // every read may take either write
  EXPECT_EQ(p.states.size(), 16U);               // the condition shows one read per thread
  EXPECT_TRUE(p.validated);
  // How long it took is printed, not asserted (2 s optimised, 22-32 s under
  // ASan on a busy CI machine); CTest's timeout catches a search that never ends.
  std::cout << "[ bounds ] 4 threads x 8 events: " << (p.positive + p.negative) << " executions in "
            << seconds << " s\n";
}

TEST(Bounds, SearchLimitStopsWithItsName) {
  Limits limits;
  limits.max_branches = 1000;
  try {
    (void)predict_text(four_by_eight(), ModelKind::Bpf, limits);
    FAIL() << "expected LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("max_branches"), std::string::npos) << e.what();
  }
}

const std::string kSpin =
    "BPF Spin\n{ 0:r1=x; 1:r1=x; }\n"
    " P0                       | P1                   ;\n"
    " L: r2 = *(u32 *)(r1 + 0) | *(u32 *)(r1 + 0) = 1 ;\n"
    " if r2 == 0 goto L        |                      ;\n"
    "exists (0:r2=1)\n";

TEST(Bounds, LoopsUnrollTwiceAndSayLoopBeyond) {
  const litmus::Test test = parse(kSpin);
  const Prediction p = predict(test, ModelKind::Bpf);
  EXPECT_TRUE(p.loop_limit_reached);
  EXPECT_TRUE(p.validated);
  EXPECT_EQ(p.positive, 3U);  // the write is seen by the first, second or third read
  EXPECT_EQ(p.negative, 0U);
  EXPECT_NE(report::format_herd(test, p).find("\nLoop Ok\n"), std::string::npos);
  Limits more;
  more.unroll = 4;
  EXPECT_EQ(predict(test, ModelKind::Bpf, more).positive, 5U);
}

TEST(Bounds, DecidedEndlessLoopsHitTheStepLimit) {
  const std::string forever =
      "BPF Forever\n{ 0:r2=x; }\n P0 ;\n r1 = 0 ;\n L: if r1 == 0 goto L ;\nexists (0:r1=0)\n";
  try {
    (void)predict_text(forever, ModelKind::Bpf);
    FAIL() << "expected LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("max_steps"), std::string::npos) << e.what();
  }
}

TEST(Bounds, IllegalOperationsOnAddressesAreReported) {
  const std::string masked =
      "BPF Mask\n{ 0:r1=x; }\n P0 ;\n r1 &= 1 ;\n r2 = *(u32 *)(r1 + 0) ;\nexists (0:r2=0)\n";
  EXPECT_THROW((void)predict_text(masked, ModelKind::Bpf), ModelError);
}

}  // namespace
}  // namespace bpf_litmus::model
