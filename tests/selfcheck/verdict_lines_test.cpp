// Every test of litmus/ states its verdicts in its comment: `Result:` (the
// bpf model's Observation) and `x86-TSO:` (the tso model's). A change to the
// model checker that moves a verdict fails here, and so does a new test whose
// lines are wrong; a disagreement is settled by reasoning from bpf.cat, never
// by editing a file to suit the checker (litmus/README.md).
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli/inputs.hpp"
#include "litmus/parser.hpp"
#include "model/model.hpp"
#include "report/herd_format.hpp"
#include "selfcheck_support.hpp"

namespace bpf_litmus::selfcheck {
namespace {

std::string read_text(const std::string& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The word after `key:` in the file's text, e.g. `Never`; empty when absent.
std::string stated(const std::string& text, const std::string& key) {
  const std::size_t at = text.find(key + ":");
  if (at == std::string::npos) return "";
  std::istringstream rest(text.substr(at + key.size() + 1));
  std::string word;
  rest >> word;
  return word;
}

TEST(VerdictLines, EveryCorpusTestStatesWhatTheBpfAndTsoModelsSay) {
  const std::vector<std::string> files = cli::expand_litmus_inputs({corpus_dir()});
  ASSERT_FALSE(files.empty());
  std::size_t agreeing = 0;
  for (const std::string& file : files) {
    const std::string text = read_text(file);
    const litmus::Test test = litmus::parse_text(text, file);
    for (const auto& [kind, key] : {std::pair{model::ModelKind::Bpf, "Result"}, std::pair{model::ModelKind::Tso, "x86-TSO"}}) {
      const std::string want = stated(text, key);
      const std::string got(report::observation_name(model::predict(test, kind).observation));
      EXPECT_EQ(want, got) << file << ": the `" << key << ":` line says " << (want.empty() ? "nothing" : want)
                           << ", the " << model::model_kind_name(kind) << " model says " << got;
      if (want == got) ++agreeing;
    }
  }
  std::cout << "[ verdicts ] " << agreeing << "/" << 2 * files.size() << " Result:/x86-TSO: lines of " << files.size()
            << " corpus tests agree with the bpf and tso models\n";
}

}  // namespace
}  // namespace bpf_litmus::selfcheck
