// The bpf model against herd7 7.58 on its 177 BPF tests: every allowed state,
// the Observation line and the whole output must be equal, byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catalogue.hpp"
#include "litmus/parser.hpp"
#include "model/model.hpp"
#include "report/herd_format.hpp"

namespace bpf_litmus::model {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The state lines and the Observation line of a herd7 result.
struct HerdResult {
  std::set<std::string> states;
  std::string observation;
};

HerdResult parse_result(const std::string& text) {
  HerdResult result;
  std::istringstream in(text);
  std::string line;
  std::size_t states_left = 0;
  while (std::getline(in, line)) {
    if (states_left > 0) {
      result.states.insert(line);
      --states_left;
    } else if (line.rfind("States ", 0) == 0) {
      states_left = std::stoul(line.substr(7));
    } else if (line.rfind("Observation ", 0) == 0) {
      result.observation = line;
    }
  }
  return result;
}

std::string only_in(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const std::string& s : a) {
    if (!b.contains(s)) out += "\n    " + s;
  }
  return out.empty() ? " (none)" : out;
}

TEST(Conformance, BpfModelMatchesHerd7OnEveryTest) {
  const fs::path dir = BPF_LITMUS_CONFORMANCE_DIR;
  if (!fs::is_directory(dir / "tests") || !fs::is_directory(dir / "herd7")) {
    GTEST_SKIP() << "no herd7 conformance corpus at " << dir
                 << " (configure with -DBPF_LITMUS_CONFORMANCE_DIR=<dir with tests/ and herd7/>)";
  }
  const std::vector<fs::path> tests = test_data::catalogue_files();
  ASSERT_FALSE(tests.empty());

  std::size_t exact = 0;
  std::chrono::duration<double> checking{0};
  for (const fs::path& file : tests) {
    const std::string name = file.stem().string();
    const fs::path expected_file = dir / "herd7" / (name + ".out");
    if (!fs::exists(expected_file)) {
      ADD_FAILURE() << name << ": no herd7 result " << expected_file;
      continue;
    }
    const std::string expected = read_file(expected_file);
    std::string got;
    try {
      const litmus::Test test = litmus::parse_file(file.string());
      const auto start = std::chrono::steady_clock::now();
      const Prediction prediction = predict(test, ModelKind::Bpf);
      checking += std::chrono::steady_clock::now() - start;
      got = report::format_herd(test, prediction);
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << ": " << e.what();
      continue;
    }
    const HerdResult herd = parse_result(expected);
    const HerdResult ours = parse_result(got);
    EXPECT_TRUE(herd.states == ours.states) << name << ": allowed states differ\n  only herd7:"
                                            << only_in(herd.states, ours.states)
                                            << "\n  only ours:" << only_in(ours.states, herd.states);
    EXPECT_EQ(ours.observation, herd.observation) << name;
    EXPECT_EQ(got, expected) << name << ": output differs from herd7's";
    if (got == expected) ++exact;
  }
  std::cout << "[ conformance ] " << exact << "/" << tests.size()
            << " tests match herd7 exactly; bpf model checking took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(checking).count() << " ms\n";
  EXPECT_EQ(exact, tests.size());
}

}  // namespace
}  // namespace bpf_litmus::model
