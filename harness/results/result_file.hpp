// Result files on disk: JSON Lines, appended record by record and fsynced, so
// that a crash or Ctrl-C loses at most the record being written (whose torn
// line readers drop). Why JSON Lines and not one document: see docs/results.md.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/record.hpp"

namespace bpf_litmus::results {

// A result file or log that cannot be created, written or read; what() names the file.
class ResultFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file that only grows, each append on disk before it returns (write + fsync).
class DurableFile {
 public:
  enum class Mode : std::uint8_t {
    CreateNew,  // fail if the file exists: a result file is never overwritten
    Replace,    // create or truncate
    Append,     // append to an existing file
  };
  DurableFile(const std::string& path, Mode mode);
  DurableFile(DurableFile&& other) noexcept;
  DurableFile& operator=(DurableFile&& other) noexcept;
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;
  ~DurableFile();

  // Cuts the file to its first `bytes` bytes (drops a torn last line before appending).
  void truncate(std::uint64_t bytes);
  void append(std::string_view text);
  // One record: its JSON on one line.
  void append_record(const nlohmann::json& record) { append(record.dump() + "\n"); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// A result file as read back.
struct ResultFile {
  std::string path;
  CampaignHeader header;
  std::vector<TestRecord> tests;  // every test record, in file order
  std::vector<AuditRecord> audits;  // JIT audits (a file of `bpf-litmus audit --record` holds one)
  std::vector<ResumeRecord> resumes;
  std::optional<EndRecord> end;  // the end record after the last resume, if any
  std::uint64_t complete_bytes = 0;    // up to the end of the last whole line
  bool torn_tail = false;              // the last line was cut short (the writer died)
  std::uint64_t unknown_records = 0;   // records of kinds this version does not know

  // "completed", "interrupted", or "incomplete" (no end record: still running, or killed).
  [[nodiscard]] std::string campaign_status() const;
  // The last record of each test, in order of the tests' first records: a test
  // run again (after an interrupted run) supersedes its earlier record.
  [[nodiscard]] std::vector<TestRecord> latest_tests() const;
};

// Reads a result file; throws ResultFileError naming the file (and line) when
// it cannot be read, has no campaign header, is of another format, or of a
// newer schema version.
[[nodiscard]] ResultFile read_result_file(const std::string& path);

// "<hostname>-<fingerprint id>-<YYYYmmddTHHMMSSZ>": a file name that never
// collides across machines and campaigns.
[[nodiscard]] std::string campaign_id(const MachineFingerprint& fingerprint);

}  // namespace bpf_litmus::results
