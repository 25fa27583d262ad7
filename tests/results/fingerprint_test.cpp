// The machine fingerprint: what it reads on this machine, its id, and its
// JSON form.
#include <gtest/gtest.h>
#include <sys/utsname.h>


#include "results/fingerprint.hpp"
#include "results/sha256.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::results {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(KernelConfig, KeepsWantedOptionsWithTheirValues) {
  const std::string config =
      "# Linux/x86 6.18 Kernel Configuration\n"
      "CONFIG_HZ=250\n"
      "CONFIG_PREEMPT_DYNAMIC=y\n"
      "# CONFIG_KASAN is not set\n"
      "CONFIG_BPF_JIT=m\n"
      "CONFIG_LOCALVERSION=\"-fc\"\n"
      "CONFIG_UNRELATED=y\n";
  const auto kept = parse_kernel_config(
      config, {"CONFIG_HZ", "CONFIG_PREEMPT_DYNAMIC", "CONFIG_KASAN", "CONFIG_BPF_JIT", "CONFIG_LOCALVERSION", "CONFIG_KCSAN"});
  const std::map<std::string, std::string> expected = {{"CONFIG_HZ", "250"},        {"CONFIG_PREEMPT_DYNAMIC", "y"},
                                                       {"CONFIG_KASAN", "n"},       {"CONFIG_BPF_JIT", "m"},
                                                       {"CONFIG_LOCALVERSION", "-fc"}};
  EXPECT_EQ(kept, expected);  // KCSAN absent from the config: absent here too
}

TEST(Fingerprint, DescribesThisMachine) {
  const MachineFingerprint fingerprint = machine_fingerprint();
  utsname names{};
  ASSERT_EQ(uname(&names), 0);
  EXPECT_EQ(fingerprint.hostname, names.nodename);
  EXPECT_EQ(fingerprint.kernel.release, names.release);
  EXPECT_EQ(fingerprint.cpu.architecture, names.machine);
  EXPECT_GE(fingerprint.topology.cores, 1);
  EXPECT_GE(fingerprint.topology.hardware_threads, fingerprint.topology.cores);
  EXPECT_GE(fingerprint.topology.numa_nodes, 1);
  EXPECT_FALSE(fingerprint.cpu.model_name.empty());
  EXPECT_FALSE(fingerprint.emulated);
  EXPECT_EQ(fingerprint.id.size(), 12U);
  EXPECT_EQ(fingerprint.id.find_first_not_of("0123456789abcdef"), std::string::npos) << fingerprint.id;
  EXPECT_EQ(fingerprint.bpf_litmus_version, BPF_LITMUS_VERSION);
  EXPECT_EQ(fingerprint.git_commit, kGitCommit);
  // This machine (docs: Debian 12, kernel config at /proc/config.gz, JIT always on).
  if (!fingerprint.kernel.config_source.empty()) {
    EXPECT_TRUE(fingerprint.kernel.config.contains("CONFIG_HZ"));
  }
  EXPECT_EQ(fingerprint.bpf.present.size() + fingerprint.bpf.missing.size(), runtime::kFeatureCount);
}

TEST(Fingerprint, IdIsStableAndFollowsTheMachineNotTheBuild) {
  const MachineFingerprint fingerprint = machine_fingerprint();
  EXPECT_EQ(machine_fingerprint().id, fingerprint.id);
  MachineFingerprint rebuilt = fingerprint;
  rebuilt.git_commit = "something-else";
  rebuilt.bpf.present.clear();
  EXPECT_EQ(fingerprint_id(rebuilt), fingerprint.id);
  MachineFingerprint upgraded = fingerprint;
  upgraded.kernel.release += "+1";
  EXPECT_NE(fingerprint_id(upgraded), fingerprint.id);
  MachineFingerprint emulated = fingerprint;
  emulated.emulated = true;
  EXPECT_NE(fingerprint_id(emulated), fingerprint.id);
  EXPECT_TRUE(machine_fingerprint(true).emulated);
}

TEST(Fingerprint, JsonRoundTrip) {
  const MachineFingerprint fingerprint = machine_fingerprint();
  const nlohmann::json json = fingerprint;
  EXPECT_EQ(json.at("topology").at("smt").get<bool>(), fingerprint.topology.smt());
  const MachineFingerprint read = json.get<MachineFingerprint>();
  EXPECT_EQ(nlohmann::json(read), json);
  EXPECT_EQ(read.id, fingerprint.id);
}

TEST(Fingerprint, DescriptionNamesHostCpuKernel) {
  MachineFingerprint fingerprint;
  fingerprint.hostname = "box";
  fingerprint.cpu.model_name = "AMD EPYC";
  fingerprint.topology = {1, 2, 8, 16};
  fingerprint.kernel.release = "6.18.1";
  EXPECT_EQ(describe_machine(fingerprint), "box: AMD EPYC, 8 cores (16 threads), 2 NUMA nodes, Linux 6.18.1");
  fingerprint.emulated = true;
  EXPECT_EQ(describe_machine(fingerprint), "box: AMD EPYC, 8 cores (16 threads), 2 NUMA nodes, Linux 6.18.1, emulated");
}

}  // namespace
}  // namespace bpf_litmus::results
