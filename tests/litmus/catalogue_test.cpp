// Every test of herdtools7's BPF catalogue parses, and survives a round trip
// through the printer unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "litmus/parser.hpp"
#include "litmus/printer.hpp"
#include "ast_equal.hpp"
#include "catalogue.hpp"

namespace bpf_litmus::litmus {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kCatalogueSize = 177;

using test_data::catalogue_files;

TEST(Catalogue, EveryFileParses) {
  const std::vector<fs::path> files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  EXPECT_EQ(files.size(), kCatalogueSize);
  std::size_t parsed = 0;
  for (const fs::path& file : files) {
    try {
      const litmus::Test test = parse_file(file.string());
      EXPECT_FALSE(test.name.empty()) << file;
      EXPECT_FALSE(test.threads.empty()) << file;
      ++parsed;
    } catch (const ParseError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_EQ(parsed, kCatalogueSize);
}

TEST(Catalogue, EveryFileRoundTrips) {
  const std::vector<fs::path> files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  std::size_t round_tripped = 0;
  for (const fs::path& file : files) {
    const litmus::Test original = parse_file(file.string());
    const std::string printed = print_test(original);
    try {
      const litmus::Test reparsed = parse_text(printed, "printed-" + file.filename().string());
      const std::string difference = test_support::first_difference(original, reparsed);
      EXPECT_EQ(difference, "") << file << " printed as:\n" << printed;
      EXPECT_EQ(print_test(reparsed), printed) << file;
      if (difference.empty()) ++round_tripped;
    } catch (const ParseError& e) {
      ADD_FAILURE() << e.what() << "\nprinted as:\n" << printed;
    }
  }
  EXPECT_EQ(round_tripped, files.size());
}

// Figures counted on the catalogue with grep, so that a parser that silently
// drops statements or conditions cannot pass.
TEST(Catalogue, TotalsMatchTheFiles) {
  const std::vector<fs::path> files = catalogue_files();
  SKIP_WITHOUT_CATALOGUE(files);
  std::size_t threads = 0;
  std::size_t labels = 0;
  std::size_t with_locations_list = 0;
  std::size_t forall = 0;
  for (const fs::path& file : files) {
    const litmus::Test test = parse_file(file.string());
    threads += test.threads.size();
    for (const Thread& thread : test.threads) {
      EXPECT_EQ(thread.code.size(), test.threads.front().code.size()) << file;
      for (const Statement& statement : thread.code) labels += statement.labels.size();
    }
    if (!test.extra_observed.empty()) ++with_locations_list;
    if (test.quantifier == Quantifier::Forall) ++forall;
  }
  EXPECT_EQ(threads, 715u);            // grep -o 'P[0-9]* *[|;]' on the header rows
  EXPECT_EQ(labels, 5u);               // five label-only cells
  EXPECT_EQ(with_locations_list, 16u);
  EXPECT_EQ(forall, 1u);               // LockTwice
}

}  // namespace
}  // namespace bpf_litmus::litmus
