// The comparison table and its three renderers.
#include <gtest/gtest.h>

#include <algorithm>

#include "report/numbers.hpp"
#include "results/compare.hpp"
#include "test_records.hpp"

namespace bpf_litmus::results {
namespace {

using testing::fingerprint_of;
using testing::header_of;
using testing::sb_record;
using testing::skipped_record;

ResultFile file_of(const MachineFingerprint& fingerprint, std::vector<TestRecord> tests) {
  ResultFile file;
  file.path = fingerprint.hostname + ".jsonl";
  file.header = header_of(fingerprint);
  file.tests = std::move(tests);
  file.end = EndRecord{"2025-01-01T00:00:09Z", "completed", file.tests.size()};
  return file;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
  return count;
}

// alpha: SB+pos Sometimes, IRIW+pos skipped. beta: SB+pos with a forbidden state, MP+pos only here.
std::vector<ResultFile> two_machines() {
  TestRecord mp = sb_record(0, 2000000);
  mp.name = "MP+pos";
  mp.model->observation = "Never";
  return {file_of(fingerprint_of("alpha", "6.18.1"), {sb_record(46, 1526016), skipped_record("IRIW+pos", "needs 4 CPUs")}),
          file_of(fingerprint_of("beta", "6.12.9"), {sb_record(3, 500, 2), mp})};
}

TEST(CompactCount, ThreeSignificantDigitsNeverRoundingUp) {
  EXPECT_EQ(compact_count(0), "0");
  EXPECT_EQ(compact_count(9999), "9999");
  EXPECT_EQ(compact_count(12345), "12.3k");
  EXPECT_EQ(compact_count(99999), "99.9k");
  EXPECT_EQ(compact_count(1526016), "1.52M");
  EXPECT_EQ(compact_count(999999999), "999M");
  EXPECT_EQ(compact_count(2000000000), "2.00G");
}

// Rates (iterations/s, weak/s) in run, bench and litmus7 logs: rounded, unlike counts.
TEST(Numbers, RatesKeepThreeSignificantDigits) {
  EXPECT_EQ(bpf_litmus::report::si(0), "0");
  EXPECT_EQ(bpf_litmus::report::si(789.4), "789");
  EXPECT_EQ(bpf_litmus::report::si(4321), "4.32k");
  EXPECT_EQ(bpf_litmus::report::si(456000), "456k");
  EXPECT_EQ(bpf_litmus::report::si(12345678), "12.3M");
  EXPECT_EQ(bpf_litmus::report::si(1.07e9), "1.07G");
  EXPECT_EQ(bpf_litmus::report::fixed(0.125, 2), "0.12");
  EXPECT_EQ(bpf_litmus::report::fixed(2.5, 0), "2");
}

TEST(SummarizeCell, WeakOverIterationsObservationAndMarks) {
  EXPECT_EQ(summarize_cell(sb_record(46, 1526016), false).text, "46/1.52M Sometimes");
  EXPECT_EQ(summarize_cell(sb_record(46, 1526016), true).text, "46/1526016 Sometimes");
  const CellSummary forbidden = summarize_cell(sb_record(3, 500, 2), false);
  EXPECT_TRUE(forbidden.forbidden);
  EXPECT_EQ(forbidden.text, "!! 3/500 Sometimes");
  EXPECT_NE(forbidden.detail.find("2 instances in 1 state(s) the bpf model forbids"), std::string::npos);
  TestRecord stopped = sb_record(0, 100);
  stopped.status = "stopped";
  EXPECT_EQ(summarize_cell(stopped, false).text, "0/100 Never (stopped)");
  const CellSummary skipped = summarize_cell(skipped_record("IRIW+pos", "needs 4 CPUs"), false);
  EXPECT_EQ(skipped.text, "skipped");
  EXPECT_EQ(skipped.detail, "needs 4 CPUs");
  EXPECT_EQ(summarize_cell(std::nullopt, false).text, "-");
  TestRecord shared = sb_record(0, 1000);
  shared.run.oversubscribed = true;
  shared.run.facts.unsynchronised = 1800;
  const CellSummary time_shared = summarize_cell(shared, false);
  EXPECT_TRUE(time_shared.oversubscribed);
  EXPECT_EQ(time_shared.text, "0/1000 Never °");
  EXPECT_NE(time_shared.detail.find("1800 instances ran unsynchronised"), std::string::npos) << time_shared.detail;
}

TEST(RenderMarkdown, FootnoteForOversubscribedTests) {
  auto files = two_machines();
  EXPECT_EQ(render_markdown(compare_results(files)).find("° more threads than CPUs"), std::string::npos);
  files[0].tests[0].run.oversubscribed = true;
  const std::string md = render_markdown(compare_results(files));
  EXPECT_NE(md.find("| 46/1.52M Sometimes ° |"), std::string::npos) << md;
  EXPECT_NE(md.find("\n° more threads than CPUs (`--oversubscribe`)"), std::string::npos) << md;
}

TEST(Compare, RowsAreTheUnionOfTestsSortedColumnsTheMachines) {
  const Comparison comparison = compare_results(two_machines());
  ASSERT_EQ(comparison.machines.size(), 2u);
  EXPECT_EQ(comparison.machines[0].label, "alpha");
  EXPECT_EQ(comparison.machines[1].label, "beta");
  EXPECT_EQ(comparison.model_name, "bpf");
  ASSERT_EQ(comparison.rows.size(), 3u);
  EXPECT_EQ(comparison.rows[0].test, "IRIW+pos");
  EXPECT_EQ(comparison.rows[1].test, "MP+pos");
  EXPECT_EQ(comparison.rows[2].test, "SB+pos");
  EXPECT_FALSE(comparison.rows[1].cells[0].has_value());  // MP+pos not run on alpha
  EXPECT_EQ(comparison.rows[1].model, "Never");
  EXPECT_EQ(comparison.rows[2].model, "Sometimes");
  EXPECT_EQ(comparison.rows[0].model, "");  // skipped everywhere: no prediction recorded
  EXPECT_FALSE(comparison.rows[2].sources_differ);
}

TEST(Compare, SameHostnamesGetKernelThenNumber) {
  const auto a = fingerprint_of("box", "6.1.0");
  const auto b = fingerprint_of("box", "6.18.1");
  const Comparison kernels = compare_results({file_of(a, {}), file_of(b, {})});
  EXPECT_EQ(kernels.machines[0].label, "box (6.1.0)");
  EXPECT_EQ(kernels.machines[1].label, "box (6.18.1)");
  const Comparison twice = compare_results({file_of(a, {}), file_of(a, {})});
  EXPECT_EQ(twice.machines[0].label, "box (6.1.0) #1");
  EXPECT_EQ(twice.machines[1].label, "box (6.1.0) #2");
}

TEST(Compare, FlagsDifferentSourcesAndMixedModels) {
  auto files = two_machines();
  files[1].tests[0].source_sha256 = std::string(64, 'c');
  files[1].tests[0].model->name = "tso";
  files[1].tests[0].model->observation = "Never";
  const Comparison comparison = compare_results(files);
  EXPECT_TRUE(comparison.rows[2].sources_differ);
  EXPECT_EQ(comparison.model_name, "");
  EXPECT_EQ(comparison.rows[2].model, "bpf: Sometimes; tso: Never");
}

TEST(RenderMarkdown, TableWithBoldForbiddenCellsAndDetails) {
  const std::string md = render_markdown(compare_results(two_machines()));
  EXPECT_NE(md.find("| Test | Model (bpf) | alpha | beta |\n|---|---|---|---|\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| IRIW+pos |  | skipped | - |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| MP+pos | Never | - | 0/2.00M Never |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| SB+pos | Sometimes | 46/1.52M Sometimes | **!! 3/500 Sometimes** |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("## Forbidden states observed\n\n- SB+pos on beta: `0:r5=2; 1:r5=7;` 2 times"), std::string::npos)
      << md;
  EXPECT_NE(md.find("## Machines"), std::string::npos);
  EXPECT_NE(md.find("| alpha | alpha: Intel Xeon, 4 cores (8 threads), Linux 6.18.1 |"), std::string::npos) << md;
}

TEST(RenderMarkdown, EscapesTableSyntax) {
  auto files = two_machines();
  files[0].tests[0].name = "A|B";
  const std::string md = render_markdown(compare_results(files));
  EXPECT_NE(md.find("| A\\|B |"), std::string::npos) << md;
}

TEST(RenderCsv, ExactFiguresQuotedFieldsCrlf) {
  auto files = two_machines();
  files[0].header.fingerprint.hostname = "alpha,1";
  const std::string csv = render_csv(compare_results(files));
  EXPECT_EQ(csv,
            "test,model,\"alpha,1\",beta\r\n"
            "IRIW+pos,,skipped,-\r\n"
            "MP+pos,Never,-,0/2000000 Never\r\n"
            "SB+pos,Sometimes,46/1526016 Sometimes,!! 3/500 Sometimes\r\n");
}

TEST(RenderHtml, SelfContainedTableAndOneChartPerMeasuredTest) {
  auto files = two_machines();
  files[0].tests[0].histogram[1].state = "0:r5=<1>;";  // escaped wherever it appears
  const std::string html = render_html(compare_results(files));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // the SVG namespace, nothing fetched
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<tr><td><a href=\"#t-"), 3u);
  EXPECT_NE(html.find("<td class=\"cell forbidden\""), std::string::npos);
  EXPECT_NE(html.find(">!! 3/500 Sometimes</td>"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<svg class=\"histogram\""), 2u);  // IRIW+pos was run nowhere
  EXPECT_NE(html.find("No histogram: not run on any machine."), std::string::npos);
  EXPECT_NE(html.find("fill=\"#d62728\""), std::string::npos);  // the forbidden state's bar
  EXPECT_NE(html.find("0:r5=&lt;1&gt;;"), std::string::npos);
  EXPECT_EQ(html.find("0:r5=<1>;"), std::string::npos);
  // SB+pos: its 4 allowed states plus the forbidden one, alpha's 2 and beta's 3 bars drawn.
  const auto sb = html.find("<section id=\"t-SB+pos\">");
  ASSERT_NE(sb, std::string::npos);
  const std::string chart = html.substr(sb, html.find("</section>", sb) - sb);
  EXPECT_EQ(occurrences(chart, "class=\"state"), 6u);  // 4 allowed, alpha's renamed one, the forbidden one
  EXPECT_EQ(occurrences(chart, "<rect "), 5u);
}

}  // namespace
}  // namespace bpf_litmus::results
