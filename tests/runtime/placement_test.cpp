#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "runtime/runtime.hpp"

namespace bpf_litmus::runtime {
namespace {

std::set<int> affinity_cpus() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  std::set<int> cpus;
  if (sched_getaffinity(0, sizeof mask, &mask) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &mask)) cpus.insert(cpu);
  }
  return cpus;
}

TEST(Placement, GivesEachThreadItsOwnUsableCpu) {
  const std::set<int> usable = affinity_cpus();
  ASSERT_GE(usable.size(), 2u) << "this machine has 2 CPUs";
  for (auto policy : {PlacementPolicy::DistinctCores, PlacementPolicy::SmtSiblings, PlacementPolicy::DistinctNuma}) {
    const Placement placement = choose_placement(2, {policy, false});
    ASSERT_TRUE(placement.ok()) << placement.skip_reason;
    EXPECT_EQ(placement.usable_cpus, static_cast<int>(usable.size()));
    ASSERT_EQ(placement.slots.size(), 2u);
    EXPECT_FALSE(placement.oversubscribed);
    EXPECT_NE(placement.slots[0].cpu, placement.slots[1].cpu);
    for (const auto& slot : placement.slots) {
      EXPECT_EQ(usable.count(slot.cpu), 1u) << slot.cpu;
      EXPECT_GE(slot.core, 0);
      EXPECT_GE(slot.numa_node, 0);
    }
  }
}

TEST(Placement, DistinctCoresPutsTwoThreadsOnTwoCoresWhenThereAreTwo) {
  const Placement placement = choose_placement(2, {});
  ASSERT_TRUE(placement.ok());
  // This machine's two CPUs are two cores (no SMT siblings in the VM).
  EXPECT_NE(placement.slots[0].core, placement.slots[1].core) << placement.describe();
  EXPECT_NE(placement.describe().find("P1:cpu"), std::string::npos);
}

TEST(Placement, MoreThreadsThanCpusIsSkippedWithTheReason) {
  const int too_many = static_cast<int>(affinity_cpus().size()) + 1;
  const Placement placement = choose_placement(too_many, {});
  EXPECT_FALSE(placement.ok());
  EXPECT_TRUE(placement.slots.empty());
  EXPECT_NE(placement.skip_reason.find("oversubscribe"), std::string::npos) << placement.skip_reason;
}

TEST(Placement, OversubscribeSharesCpus) {
  const std::set<int> usable = affinity_cpus();
  const Placement placement = choose_placement(8, {PlacementPolicy::DistinctCores, true});
  ASSERT_TRUE(placement.ok()) << placement.skip_reason;
  EXPECT_TRUE(placement.oversubscribed);
  ASSERT_EQ(placement.slots.size(), 8u);
  std::set<int> used;
  for (const auto& slot : placement.slots) used.insert(slot.cpu);
  EXPECT_EQ(used, usable);  // spread over every usable CPU
  EXPECT_NE(placement.describe().find("(oversubscribed)"), std::string::npos);
}

// A child process restricted to the last CPU sees only that one.
TEST(Placement, RespectsTheProcessAffinityMask) {
  const std::set<int> usable = affinity_cpus();
  const int last = *usable.rbegin();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    CPU_SET(last, &mask);
    if (sched_setaffinity(0, sizeof mask, &mask) != 0) _exit(10);
    const Placement one = choose_placement(1, {});
    if (!one.ok() || one.usable_cpus != 1 || one.slots[0].cpu != last) _exit(11);
    if (choose_placement(2, {}).ok()) _exit(12);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: setaffinity failed, 11: wrong CPU, 12: placed 2 threads on 1 CPU";
}

TEST(Placement, ZeroThreadsIsSkipped) { EXPECT_FALSE(choose_placement(0, {}).ok()); }

}  // namespace
}  // namespace bpf_litmus::runtime
