// Every catalogue file and every corpus file compiles to programs the
// kernel's verifier accepts, or is reported Unsupported with a reason (a
// construct BPF or this kernel lacks). A rejection is a harness bug: codegen
// emitted something the verifier refuses.
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <variant>

#include "cli/inputs.hpp"
#include "codegen/codegen.hpp"
#include "litmus/parser.hpp"
#include "runtime/runtime.hpp"
#include "selfcheck_support.hpp"

namespace bpf_litmus::selfcheck {
namespace {

struct Acceptance {
  std::size_t files = 0;
  std::size_t accepted = 0;
  std::size_t unsupported = 0;
};

// Compiles and loads every file of dir, failing the test for a file that is
// neither accepted nor Unsupported with a reason.
Acceptance load_every_file(const std::string& dir) {
  Acceptance acceptance;
  for (const std::string& file : cli::expand_litmus_inputs({dir})) {
    ++acceptance.files;
    const litmus::Test test = litmus::parse_file(file);
    const codegen::CodegenResult compiled = codegen::compile(test);
    if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) {
      EXPECT_EQ(error->kind, codegen::CodegenError::Kind::Unsupported) << file << ": " << codegen::to_string(*error);
      EXPECT_FALSE(error->reason.empty()) << file;
      if (error->kind == codegen::CodegenError::Kind::Unsupported) ++acceptance.unsupported;
      continue;
    }
    const auto loaded = runtime::load(std::get<codegen::CompiledTest>(compiled));
    if (loaded) {
      ++acceptance.accepted;
    } else if (loaded.error().kind == runtime::Error::Kind::Unsupported && !loaded.error().message.empty()) {
      ++acceptance.unsupported;
    } else {
      ADD_FAILURE() << file << " not loaded: " << loaded.error().message;
    }
  }
  return acceptance;
}

bool kernel_has_every_feature() {
  const runtime::Features& features = runtime::probe_features();
  for (const bool present : features.present) {
    if (!present) return false;
  }
  return features.assumed_missing.empty();
}

TEST(Verifier, AcceptsEveryCatalogueTest) {
  if (const std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  if (catalogue_dir().empty()) {
    GTEST_SKIP() << "no herd7 BPF catalogue at " << BPF_LITMUS_CONFORMANCE_DIR
                 << " (configure with -DBPF_LITMUS_CONFORMANCE_DIR=<dir with tests/>)";
  }
  const Acceptance a = load_every_file(catalogue_dir());
  std::cout << "[ verifier ] " << a.accepted << "/" << a.files << " catalogue files accepted by the verifier ("
            << a.unsupported << " unsupported on this kernel)\n";
  EXPECT_EQ(a.accepted + a.unsupported, a.files);
  // This kernel has every feature the harness uses: nothing may be missing.
  if (kernel_has_every_feature()) {
    EXPECT_EQ(a.accepted, a.files);
  }
}

TEST(Verifier, AcceptsEveryCorpusTest) {
  if (const std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  const Acceptance a = load_every_file(corpus_dir());
  std::cout << "[ verifier ] " << a.accepted << "/" << a.files << " corpus files accepted by the verifier ("
            << a.unsupported << " unsupported on this kernel)\n";
  EXPECT_EQ(a.accepted + a.unsupported, a.files);
  if (kernel_has_every_feature()) {
    EXPECT_EQ(a.accepted, a.files);
  }
}

}  // namespace
}  // namespace bpf_litmus::selfcheck
