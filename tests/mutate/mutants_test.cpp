// Mutants: each weakens one primitive and nothing else (the same values
// flow), and exposure says which ones x86-TSO can show.
#include <gtest/gtest.h>

#include <algorithm>

#include "litmus/parser.hpp"
#include "litmus/printer.hpp"
#include "mutate/exposure.hpp"
#include "mutate/mutants.hpp"

namespace bpf_litmus::mutate {
namespace {

litmus::Test parse(const std::string& text) { return litmus::parse_text(text, "test.litmus"); }

const Mutant& find(const std::vector<Mutant>& mutants, const std::string& id) {
  const auto it = std::find_if(mutants.begin(), mutants.end(), [&](const Mutant& m) { return m.id == id; });
  if (it == mutants.end()) throw std::runtime_error("no mutant " + id);
  return *it;
}

std::vector<std::string> ids(const std::vector<Mutant>& mutants) {
  std::vector<std::string> out;
  for (const Mutant& m : mutants) out.push_back(m.id);
  return out;
}

// SB whose writes are fetch atomics: BPF forbids both reads of 0.
const std::string kSbFetchOr =
    "BPF SB+fetchors\n"
    "{ 0:r1=x; 0:r2=y; 0:r7=1; 1:r1=x; 1:r2=y; 1:r7=1; }\n"
    " P0                                        | P1                                        ;\n"
    " r7 = atomic_fetch_or((u32 *)(r1 + 0), r7) | r7 = atomic_fetch_or((u32 *)(r2 + 0), r7) ;\n"
    " r5 = *(u32 *)(r2 + 0)                     | r5 = *(u32 *)(r1 + 0)                     ;\n"
    "exists (0:r5=0 /\\ 1:r5=0)\n";

TEST(Mutants, FetchAtomicBecomesNonFetchAndPlainLoadStore) {
  const auto mutants = make_mutants(parse(kSbFetchOr));
  EXPECT_EQ(ids(mutants), (std::vector<std::string>{"P0:0:fetch->nofetch", "P0:0:atomic->plain",
                                                    "P1:0:fetch->nofetch", "P1:0:atomic->plain"}));
  const Mutant& plain = find(mutants, "P0:0:atomic->plain");
  EXPECT_EQ(plain.before, "r7 = atomic_fetch_or((u32 *)(r1 + 0), r7)");
  // r9 is the first register P0 never names; r7 ends with the old value, as the fetch leaves it
  EXPECT_EQ(plain.after, "r9 = *(u32 *)(r1 + 0); r7 |= r9; *(u32 *)(r1 + 0) = r7; r7 = r9");
  EXPECT_EQ(plain.test.threads[0].code.size(), 5u);
  EXPECT_EQ(plain.test.threads[1].code.size(), 2u);  // the other thread is untouched
  EXPECT_EQ(find(mutants, "P1:0:fetch->nofetch").after, "lock *(u32 *)(r2 + 0) |= r7");
  EXPECT_NE(plain.test.comments.back().find("Deliberately weakened"), std::string::npos);
}

TEST(Mutants, XchgAndCmpxchgKeepTheirValueFlow) {
  const auto mutants = make_mutants(parse(
      "BPF ATOM\n"
      "{ 0:r0=0; 0:r1=x; 0:r7=1; 1:r1=x; 1:r7=2; }\n"
      " P0                              | P1                          ;\n"
      " r0 = cmpxchg_64(r1 + 0, r0, r7) | r7 = xchg_64(r1 + 0, r7)    ;\n"
      "exists (0:r0=0 /\\ 1:r7=0)\n"));
  EXPECT_EQ(ids(mutants), (std::vector<std::string>{"P0:0:atomic->plain", "P1:0:atomic->plain"}));
  EXPECT_EQ(find(mutants, "P0:0:atomic->plain").after,
            "r9 = *(u64 *)(r1 + 0); if r9 != r0 goto Lweak; *(u64 *)(r1 + 0) = r7; Lweak: r0 = r9");
  EXPECT_EQ(find(mutants, "P1:0:atomic->plain").after, "r9 = *(u64 *)(r1 + 0); *(u64 *)(r1 + 0) = r7; r7 = r9");
}

TEST(Mutants, AcquireReleaseDependencyAndBranch) {
  const auto mutants = make_mutants(parse(
      "BPF MP\n"
      "{ 0:r1=x; 0:r2=y; 0:r7=1; 1:r1=x; 1:r2=y; }\n"
      " P0                                 | P1                                 ;\n"
      " *(u32 *)(r1 + 0) = 1               | r5 = load_acquire((u32 *)(r2 + 0)) ;\n"
      " store_release((u32 *)(r2 + 0), r7) | r9 = r5                            ;\n"
      "                                    | r9 -= r9                           ;\n"
      "                                    | r1 += r9                           ;\n"
      "                                    | if r5 == 0 goto L                  ;\n"
      "                                    | r6 = *(u32 *)(r1 + 0)              ;\n"
      "                                    | L:                                 ;\n"
      "exists (1:r5=1 /\\ 1:r6=0)\n"));
  EXPECT_EQ(ids(mutants), (std::vector<std::string>{"P0:1:release->plain", "P1:0:acquire->plain", "P1:2:dep-cut",
                                                    "P1:4:branch-removed"}));
  EXPECT_EQ(find(mutants, "P0:1:release->plain").after, "*(u32 *)(r2 + 0) = r7");
  EXPECT_EQ(find(mutants, "P1:0:acquire->plain").after, "r5 = *(u32 *)(r2 + 0)");
  EXPECT_EQ(find(mutants, "P1:2:dep-cut").after, "r9 = 0");  // the same zero, without the dependency
  const Mutant& branch = find(mutants, "P1:4:branch-removed");
  ASSERT_TRUE(branch.counts_only_when.has_value());
  // the branch falls through when r5 != 0: only such states count against the mutant
  const litmus::Observable r5{true, 1, 5, {}};
  const litmus::Observable r6{true, 1, 6, {}};
  EXPECT_TRUE(state_counts(branch, {{r5, {false, 1, {}}}, {r6, {false, 0, {}}}}));
  EXPECT_FALSE(state_counts(branch, {{r5, {false, 0, {}}}, {r6, {false, 1, {}}}}));
}

TEST(Mutants, NoScratchRegisterNoPlainMutant) {
  // P0 names r1..r9: nowhere to put the old value
  const auto mutants = make_mutants(parse(
      "BPF full\n"
      "{ 0:r1=x; 0:r2=1; 0:r3=1; 0:r4=1; 0:r5=1; 0:r6=1; 0:r7=1; 0:r8=1; 0:r9=1; }\n"
      " P0                                        ;\n"
      " r2 = atomic_fetch_add((u64 *)(r1 + 0), r2) ;\n"
      "exists (0:r3=1 /\\ 0:r4=1 /\\ 0:r5=1 /\\ 0:r6=1 /\\ 0:r7=1 /\\ 0:r8=1 /\\ 0:r9=1)\n"));
  EXPECT_EQ(ids(mutants), std::vector<std::string>{"P0:0:fetch->nofetch"});
}

TEST(Mutants, EveryMutantPrintsAndParsesBack) {
  for (const Mutant& m : make_mutants(parse(kSbFetchOr))) {
    const litmus::Test again = litmus::parse_text(litmus::print_test(m.test), "mutant.litmus");
    EXPECT_EQ(litmus::print_test(again), litmus::print_test(m.test)) << m.id;
  }
}

TEST(Exposure, StoreBufferingThroughWeakenedFetchAtomicsOnly) {
  const litmus::Test sb = parse(kSbFetchOr);
  const model::Prediction bpf = model::predict(sb, model::ModelKind::Bpf);
  const auto mutants = make_mutants(sb);
  const Exposure plain = exposure(find(mutants, "P0:0:atomic->plain"), bpf);
  ASSERT_TRUE(plain.exposable());
  EXPECT_EQ(model::format_state(plain.states.front()), "0:r5=0; 1:r5=0;");
  // a non-fetch lock or is as much a full fence on x86: nothing to see
  EXPECT_FALSE(exposure(find(mutants, "P0:0:fetch->nofetch"), bpf).exposable());
}

TEST(Exposure, AcquireAndReleaseAreInvisibleOnX86) {
  const litmus::Test mp = parse(
      "BPF MP+rel+acq\n"
      "{ 0:r1=x; 0:r2=y; 0:r7=1; 1:r1=x; 1:r2=y; }\n"
      " P0                                 | P1                                 ;\n"
      " *(u32 *)(r1 + 0) = 1               | r5 = load_acquire((u32 *)(r2 + 0)) ;\n"
      " store_release((u32 *)(r2 + 0), r7) | r6 = *(u32 *)(r1 + 0)              ;\n"
      "exists (1:r5=1 /\\ 1:r6=0)\n");
  const model::Prediction bpf = model::predict(mp, model::ModelKind::Bpf);
  for (const Mutant& m : make_mutants(mp)) EXPECT_FALSE(exposure(m, bpf).exposable()) << m.id;
}

}  // namespace
}  // namespace bpf_litmus::mutate
