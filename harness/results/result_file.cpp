#include "results/result_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <utility>

namespace bpf_litmus::results {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ResultFileError(path + ": " + what + ": " + std::strerror(errno));
}

// Makes a new directory entry durable too: fsync of the directory holding it.
void sync_directory_of(const std::string& path) {
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the file's own data is synced on every append
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

DurableFile::DurableFile(const std::string& path, Mode mode) : path_(path) {
  int flags = O_WRONLY | O_CLOEXEC | O_APPEND;
  switch (mode) {
    case Mode::CreateNew: flags |= O_CREAT | O_EXCL; break;
    case Mode::Replace: flags |= O_CREAT | O_TRUNC; break;
    case Mode::Append: break;
  }
  fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0) fail(path, mode == Mode::Append ? "cannot open for appending" : "cannot create");
  if (mode != Mode::Append) sync_directory_of(path);
}

DurableFile::DurableFile(DurableFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

DurableFile& DurableFile::operator=(DurableFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DurableFile::~DurableFile() {
  if (fd_ >= 0) ::close(fd_);
}

void DurableFile::truncate(std::uint64_t bytes) {
  if (::ftruncate(fd_, static_cast<off_t>(bytes)) != 0) fail(path_, "cannot truncate");
}

void DurableFile::append(std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd_, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;  // Ctrl-C arrived mid-write: finish the record
      fail(path_, "write failed");
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  // EINVAL: a pipe or terminal (`--log /dev/stdout`), which has nothing to sync.
  if (::fsync(fd_) != 0 && errno != EINVAL) fail(path_, "fsync failed");
}

std::string ResultFile::campaign_status() const {
  if (!end) return "incomplete";
  return end->status;
}

std::vector<TestRecord> ResultFile::latest_tests() const {
  std::vector<TestRecord> latest;
  std::map<std::string, std::size_t> index_of_name;
  for (const TestRecord& test : tests) {
    const auto [it, inserted] = index_of_name.try_emplace(test.name, latest.size());
    if (inserted) latest.push_back(test);
    else latest[it->second] = test;
  }
  return latest;
}

ResultFile read_result_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultFileError(path + ": cannot open: " + std::strerror(errno));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

  ResultFile file;
  file.path = path;
  std::size_t line_start = 0;
  for (int line_number = 1; line_start < text.size(); ++line_number) {
    const std::size_t newline = text.find('\n', line_start);
    if (newline == std::string::npos) {  // every record ends with a newline: this one was cut
      file.torn_tail = true;
      break;
    }
    const std::string_view line(text.data() + line_start, newline - line_start);
    const std::string where = path + ":" + std::to_string(line_number);
    line_start = newline + 1;
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw ResultFileError(where + ": not a JSON record: " + e.what());
    }
    const std::string kind = record.is_object() ? record.value("record", "") : "";
    try {
      if (line_number == 1) {
        if (kind != "campaign" || record.value("format", "") != kFormatName) {
          throw ResultFileError(where + ": not a bpf-litmus result file (no campaign header)");
        }
        const int version = record.value("schema_version", 0);
        if (version > kSchemaVersion) {
          throw ResultFileError(where + ": schema version " + std::to_string(version) + " is newer than this " +
                                "bpf-litmus reads (" + std::to_string(kSchemaVersion) + ")");
        }
        file.header = record.get<CampaignHeader>();
      } else if (kind == "test") {
        file.tests.push_back(record.get<TestRecord>());
      } else if (kind == "audit") {
        file.audits.push_back(record.get<AuditRecord>());
      } else if (kind == "resume") {
        file.resumes.push_back(record.get<ResumeRecord>());
        file.end.reset();
      } else if (kind == "end") {
        file.end = record.get<EndRecord>();
      } else {
        ++file.unknown_records;
      }
    } catch (const nlohmann::json::exception& e) {
      throw ResultFileError(where + ": malformed " + kind + " record: " + e.what());
    }
    file.complete_bytes = line_start;
  }
  if (file.complete_bytes == 0) throw ResultFileError(path + ": empty, no campaign header");
  return file;
}

std::string campaign_id(const MachineFingerprint& fingerprint) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::string host = fingerprint.hostname.empty() ? "machine" : fingerprint.hostname;
  for (char& c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  }
  return host + "-" + fingerprint.id + "-" + stamp;
}

}  // namespace bpf_litmus::results
