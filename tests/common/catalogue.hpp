// herdtools7's BPF catalogue (../shared/conformance/bpf, or wherever
// -DBPF_LITMUS_CONFORMANCE_DIR points) as test data, in place.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

namespace bpf_litmus::test_data {

inline std::filesystem::path conformance_dir() { return BPF_LITMUS_CONFORMANCE_DIR; }

// The catalogue's .litmus files, sorted; empty when the directory is missing.
inline std::vector<std::filesystem::path> catalogue_files() {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(conformance_dir() / "tests", error)) {
    if (entry.path().extension() == ".litmus") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bpf_litmus::test_data

#define SKIP_WITHOUT_CATALOGUE(files)                                           \
  if ((files).empty()) {                                                        \
    GTEST_SKIP() << "no BPF catalogue at " BPF_LITMUS_CONFORMANCE_DIR           \
                    "/tests (configure with -DBPF_LITMUS_CONFORMANCE_DIR=...)"; \
  }
