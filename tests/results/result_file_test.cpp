// Result files: records round-trip through JSON, files are read back as
// written, a torn last line is dropped, and bad files are refused by name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>

#include "results/result_file.hpp"
#include "test_records.hpp"

namespace bpf_litmus::results {
namespace {

using testing::fingerprint_of;
using testing::header_of;
using testing::sb_record;
using testing::skipped_record;

// A fresh directory per test, removed afterwards.
class ResultFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("bpf-litmus-results-test-" + std::to_string(getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  static void write_text(const std::string& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }

  std::filesystem::path directory_;
};

TEST(Records, TestRecordRoundTrip) {
  const TestRecord record = sb_record(46, 1000, 3);
  const nlohmann::json json = record;
  EXPECT_EQ(json.at("record"), "test");
  EXPECT_EQ(json.at("observed").at("histogram").size(), 3u);
  EXPECT_EQ(json.at("observed").at("histogram").at(2).at("verdict"), "forbidden");
  EXPECT_EQ(json.at("run").at("placement").at("threads").at(1).at("cpu"), 1);
  EXPECT_EQ(nlohmann::json(json.get<TestRecord>()), json);
}

TEST(Records, ModelNullAndMissingFieldsTakeDefaults) {
  TestRecord record = skipped_record("IRIW+pos", "needs 4 CPUs");
  const nlohmann::json json = record;
  EXPECT_TRUE(json.at("model").is_null());
  const TestRecord minimal = nlohmann::json{{"record", "test"}, {"name", "X"}, {"status", "ran"}}.get<TestRecord>();
  EXPECT_EQ(minimal.name, "X");
  EXPECT_FALSE(minimal.model.has_value());
  EXPECT_TRUE(minimal.histogram.empty());
  EXPECT_EQ(minimal.run.facts.iterations, 0u);
}

TEST(Records, HeaderCarriesFormatAndVersion) {
  const nlohmann::json json = header_of(fingerprint_of("alpha", "6.18.1"));
  EXPECT_EQ(json.at("record"), "campaign");
  EXPECT_EQ(json.at("format"), kFormatName);
  EXPECT_EQ(json.at("schema_version"), kSchemaVersion);
  EXPECT_EQ(nlohmann::json(json.get<CampaignHeader>()), json);
}

TEST_F(ResultFileTest, ReadsBackWhatWasAppended) {
  const std::string file = path("a.jsonl");
  {
    DurableFile out(file, DurableFile::Mode::CreateNew);
    out.append_record(header_of(fingerprint_of("alpha", "6.18.1")));
    out.append_record(sb_record(1, 10));
    out.append_record(skipped_record("IRIW+pos", "needs 4 CPUs"));
    out.append_record(EndRecord{"2025-01-01T00:00:03Z", "completed", 2});
  }
  const ResultFile read = read_result_file(file);
  EXPECT_EQ(read.header.fingerprint.hostname, "alpha");
  ASSERT_EQ(read.tests.size(), 2u);
  EXPECT_EQ(read.tests[0].positive, 1u);
  EXPECT_EQ(read.tests[1].message, "needs 4 CPUs");
  EXPECT_EQ(read.campaign_status(), "completed");
  EXPECT_FALSE(read.torn_tail);
  EXPECT_EQ(read.complete_bytes, std::filesystem::file_size(file));
}

TEST_F(ResultFileTest, NeverOverwritesAResultFile) {
  const std::string file = path("a.jsonl");
  { DurableFile out(file, DurableFile::Mode::CreateNew); }
  EXPECT_THROW(DurableFile(file, DurableFile::Mode::CreateNew), ResultFileError);
  EXPECT_THROW(DurableFile(path("missing.jsonl"), DurableFile::Mode::Append), ResultFileError);
}

TEST_F(ResultFileTest, TornLastLineIsDroppedAndTruncatedOnResume) {
  const std::string file = path("a.jsonl");
  const std::string whole = nlohmann::json(header_of(fingerprint_of("alpha", "6.18.1"))).dump() + "\n" +
                            nlohmann::json(sb_record(1, 10)).dump() + "\n";
  write_text(file, whole + R"({"record":"test","name":"MP+p)");
  const ResultFile read = read_result_file(file);
  EXPECT_TRUE(read.torn_tail);
  EXPECT_EQ(read.tests.size(), 1u);
  EXPECT_EQ(read.complete_bytes, whole.size());
  EXPECT_EQ(read.campaign_status(), "incomplete");

  DurableFile resumed(file, DurableFile::Mode::Append);
  resumed.truncate(read.complete_bytes);
  resumed.append_record(ResumeRecord{"2025-01-01T01:00:00Z", read.header.fingerprint.id, {}, {}, 2});
  const ResultFile again = read_result_file(file);
  EXPECT_FALSE(again.torn_tail);
  EXPECT_EQ(again.resumes.size(), 1u);
}

TEST_F(ResultFileTest, LaterRecordOfATestSupersedesAndStatusFollowsResumes) {
  const std::string file = path("a.jsonl");
  {
    DurableFile out(file, DurableFile::Mode::CreateNew);
    out.append_record(header_of(fingerprint_of("alpha", "6.18.1")));
    TestRecord stopped = sb_record(1, 10);
    stopped.status = "stopped";
    out.append_record(stopped);
    out.append_record(EndRecord{"2025-01-01T00:00:03Z", "interrupted", 1});
    out.append_record(ResumeRecord{"2025-01-01T01:00:00Z", "x", {}, {}, 2});
    out.append_record(skipped_record("IRIW+pos", "needs 4 CPUs"));
    out.append_record(sb_record(5, 100));
  }
  const ResultFile read = read_result_file(file);
  EXPECT_EQ(read.campaign_status(), "incomplete");  // the resumed run has no end record yet
  const std::vector<TestRecord> latest = read.latest_tests();
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].name, "SB+pos");  // in order of first appearance
  EXPECT_EQ(latest[0].status, "ran");
  EXPECT_EQ(latest[0].positive, 5u);
  EXPECT_EQ(latest[1].name, "IRIW+pos");
}

TEST_F(ResultFileTest, UnknownRecordKindsAreSkipped) {
  const std::string file = path("a.jsonl");
  write_text(file, nlohmann::json(header_of(fingerprint_of("alpha", "6.18.1"))).dump() + "\n" +
                       R"({"record":"jit_audit","primitive":"xchg"})" + "\n");
  const ResultFile read = read_result_file(file);
  EXPECT_EQ(read.unknown_records, 1u);
  EXPECT_TRUE(read.tests.empty());
}

TEST_F(ResultFileTest, RefusesOtherFilesNamingFileAndLine) {
  auto error_of = [&](const std::string& text) {
    const std::string file = path("bad.jsonl");
    write_text(file, text);
    try {
      (void)read_result_file(file);
    } catch (const ResultFileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("").find("bad.jsonl: empty"), std::string::npos);
  EXPECT_NE(error_of("{\"a\":1}\n").find("bad.jsonl:1: not a bpf-litmus result file"), std::string::npos);
  nlohmann::json newer = header_of(fingerprint_of("alpha", "6.18.1"));
  newer["schema_version"] = kSchemaVersion + 1;
  EXPECT_NE(error_of(newer.dump() + "\n").find("is newer than this bpf-litmus reads"), std::string::npos);
  const std::string header = nlohmann::json(header_of(fingerprint_of("alpha", "6.18.1"))).dump() + "\n";
  EXPECT_NE(error_of(header + "not json\n{}\n").find("bad.jsonl:2: not a JSON record"), std::string::npos);
  EXPECT_NE(error_of(header + R"({"record":"test","name":7})" + "\n").find("bad.jsonl:2: malformed test record"),
            std::string::npos);
  EXPECT_THROW((void)read_result_file(path("missing.jsonl")), ResultFileError);
}

TEST(CampaignId, HostnameIdAndUtcTime) {
  MachineFingerprint fingerprint = fingerprint_of("lab box/7", "6.18.1");
  // GCC 12's <regex> trips -Wmaybe-uninitialized in the sanitizer build: a shape instead.
  auto shape = [](const std::string& text) {
    std::string out;
    for (const char c : text) out += std::isdigit(static_cast<unsigned char>(c)) ? '9' : c;
    return out;
  };
  const std::string prefix = "lab_box_7-" + fingerprint.id + "-";
  const std::string id = campaign_id(fingerprint);
  ASSERT_EQ(id.rfind(prefix, 0), 0U) << id;
  EXPECT_EQ(shape(id.substr(prefix.size())), "99999999T999999Z") << id;
  EXPECT_EQ(shape(utc_timestamp()), "9999-99-99T99:99:99Z");
}

}  // namespace
}  // namespace bpf_litmus::results
