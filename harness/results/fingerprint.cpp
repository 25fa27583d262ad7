#include "results/fingerprint.hpp"

#include <hwloc.h>
#include <sys/utsname.h>
#include <zlib.h>

#include <array>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#include "results/sha256.hpp"
#include "runtime/runtime.hpp"

namespace bpf_litmus::results {

const std::vector<std::string> kFingerprintConfigOptions = {
    "CONFIG_KASAN",          "CONFIG_KCSAN",          "CONFIG_KMSAN",          "CONFIG_UBSAN",
    "CONFIG_PROVE_LOCKING",  "CONFIG_LOCKDEP",        "CONFIG_DEBUG_ATOMIC_SLEEP",
    "CONFIG_PREEMPT_NONE",   "CONFIG_PREEMPT_VOLUNTARY", "CONFIG_PREEMPT", "CONFIG_PREEMPT_LAZY",
    "CONFIG_PREEMPT_RT",     "CONFIG_PREEMPT_DYNAMIC", "CONFIG_HZ",           "CONFIG_NO_HZ_FULL",
    "CONFIG_BPF_JIT",        "CONFIG_BPF_JIT_ALWAYS_ON", "CONFIG_BPF_JIT_DEFAULT_ON",
};

namespace {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// First line of a small text file, trimmed; empty when unreadable.
std::string first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return trimmed(line);
}

int integer_in(const std::string& path) {
  const std::string text = first_line_of(path);
  try {
    return text.empty() ? -1 : std::stoi(text);
  } catch (const std::exception&) {
    return -1;
  }
}

// `key : value` of the first processor in /proc/cpuinfo.
std::string cpuinfo_field(std::string_view key) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) break;  // end of the first processor's block
    const auto colon = line.find(':');
    if (colon != std::string::npos && trimmed(std::string_view(line).substr(0, colon)) == key) {
      return trimmed(std::string_view(line).substr(colon + 1));
    }
  }
  return {};
}

bool has_word(const std::string& words, std::string_view word) {
  std::istringstream in(words);
  for (std::string each; in >> each;) {
    if (each == word) return true;
  }
  return false;
}

// The whole of a (possibly gzip-compressed) file: gzread reads plain files as they are.
bool read_maybe_gzipped(const std::string& path, std::string& text) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  std::array<char, 1 << 16> buffer{};
  int read = 0;
  while ((read = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0) {
    text.append(buffer.data(), static_cast<std::size_t>(read));
  }
  const bool ok = read == 0;
  gzclose(file);
  return ok;
}

struct TopologyDeleter {
  void operator()(hwloc_topology* topology) const { hwloc_topology_destroy(topology); }
};

// hwloc's Linux backend reads the CPU identity from /proc/cpuinfo into the
// packages' info attributes, for every architecture it knows.
void read_hwloc(MachineFingerprint& fingerprint) {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) return;
  std::unique_ptr<hwloc_topology, TopologyDeleter> topology(raw);
  // The x86 backend would run CPUID on every CPU in turn (see runtime/placement.cpp).
  hwloc_topology_set_components(raw, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "x86");
  if (hwloc_topology_load(raw) != 0) return;
  auto count = [&](hwloc_obj_type_t type) { return hwloc_get_nbobjs_by_type(raw, type); };
  fingerprint.topology = {count(HWLOC_OBJ_PACKAGE), count(HWLOC_OBJ_NUMANODE), count(HWLOC_OBJ_CORE),
                          count(HWLOC_OBJ_PU)};
  hwloc_obj_t package = hwloc_get_obj_by_type(raw, HWLOC_OBJ_PACKAGE, 0);
  if (package == nullptr) return;
  auto info = [&](const char* name) {
    const char* value = hwloc_obj_get_info_by_name(package, name);
    return value == nullptr ? std::string() : trimmed(value);
  };
  auto either = [](std::string first, std::string second) { return first.empty() ? second : first; };
  CpuIdentity& cpu = fingerprint.cpu;
  cpu.vendor = either(info("CPUVendor"), info("CPUImplementer"));
  cpu.family = either(info("CPUFamilyNumber"), info("CPUArchitecture"));
  cpu.model = either(info("CPUModelNumber"), info("CPUPartNumber"));
  const std::string variant = info("CPUVariant");
  cpu.stepping = either(info("CPUStepping"), variant.empty() ? info("CPURevision") : variant + "/" + info("CPURevision"));
  cpu.model_name = info("CPUModel");
  if (cpu.model_name.empty() && !cpu.vendor.empty()) cpu.model_name = "implementer " + cpu.vendor + " part " + cpu.model;
}

void read_kernel_config(KernelIdentity& kernel) {
  for (const std::string& path : {std::string("/proc/config.gz"), "/boot/config-" + kernel.release}) {
    std::string text;
    if (!read_maybe_gzipped(path, text) || text.empty()) continue;
    kernel.config_source = path;
    kernel.config = parse_kernel_config(text, kFingerprintConfigOptions);
    return;
  }
}

BpfFeatures probed_bpf_features() {
  const runtime::Features& features = runtime::probe_features();
  BpfFeatures bpf;
  for (std::size_t i = 0; i < runtime::kFeatureCount; ++i) {
    const auto feature = static_cast<runtime::Feature>(i);
    (features.has(feature) ? bpf.present : bpf.missing).emplace_back(runtime::feature_name(feature));
  }
  bpf.max_arena_bytes = features.max_arena_bytes;
  bpf.assumed_missing = features.assumed_missing;
  bpf.probe_error = features.probe_error;
  return bpf;
}

}  // namespace

std::map<std::string, std::string> parse_kernel_config(const std::string& text, const std::vector<std::string>& wanted) {
  std::map<std::string, std::string> all;
  std::istringstream in(text);
  constexpr std::string_view kNotSet = " is not set";
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# CONFIG_") && line.ends_with(kNotSet)) {
      all[line.substr(2, line.size() - 2 - kNotSet.size())] = "n";
    } else if (line.starts_with("CONFIG_")) {
      const auto equals = line.find('=');
      if (equals == std::string::npos) continue;
      std::string value = line.substr(equals + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      all[line.substr(0, equals)] = value;
    }
  }
  std::map<std::string, std::string> kept;
  for (const std::string& option : wanted) {
    if (const auto it = all.find(option); it != all.end()) kept.insert(*it);
  }
  return kept;
}

MachineFingerprint machine_fingerprint(bool emulated) {
  MachineFingerprint fingerprint;
  fingerprint.emulated = emulated;
  utsname names{};
  if (uname(&names) == 0) {
    fingerprint.hostname = names.nodename;
    fingerprint.cpu.architecture = names.machine;
    fingerprint.kernel.release = names.release;
    fingerprint.kernel.version = names.version;
  }
  read_hwloc(fingerprint);
  fingerprint.cpu.microcode = cpuinfo_field("microcode");
  if (fingerprint.cpu.microcode.empty()) {
    fingerprint.cpu.microcode = first_line_of("/sys/devices/system/cpu/cpu0/microcode/version");
  }
  fingerprint.virtualized = has_word(cpuinfo_field("flags"), "hypervisor") ||
                            !first_line_of("/sys/hypervisor/type").empty();
  fingerprint.kernel.bpf_jit_enable = integer_in("/proc/sys/net/core/bpf_jit_enable");
  fingerprint.kernel.bpf_jit_harden = integer_in("/proc/sys/net/core/bpf_jit_harden");
  read_kernel_config(fingerprint.kernel);
  fingerprint.bpf = probed_bpf_features();
  fingerprint.bpf_litmus_version = BPF_LITMUS_VERSION;
  fingerprint.git_commit = kGitCommit;
  fingerprint.id = fingerprint_id(fingerprint);
  return fingerprint;
}

std::string fingerprint_id(const MachineFingerprint& fingerprint) {
  nlohmann::json identity = fingerprint;
  for (const char* key : {"id", "bpf_litmus", "bpf_features"}) identity.erase(key);
  return sha256_hex(identity.dump()).substr(0, 12);
}

std::string describe_machine(const MachineFingerprint& fingerprint) {
  std::string text = fingerprint.hostname + ": " +
                     (fingerprint.cpu.model_name.empty() ? fingerprint.cpu.architecture : fingerprint.cpu.model_name);
  const Topology& topology = fingerprint.topology;
  text += ", " + std::to_string(topology.cores) + (topology.cores == 1 ? " core" : " cores");
  if (topology.smt()) text += " (" + std::to_string(topology.hardware_threads) + " threads)";
  if (topology.numa_nodes > 1) text += ", " + std::to_string(topology.numa_nodes) + " NUMA nodes";
  text += ", Linux " + fingerprint.kernel.release;
  if (fingerprint.emulated) text += ", emulated";
  else if (fingerprint.virtualized) text += ", VM";
  return text;
}

void to_json(nlohmann::json& json, const MachineFingerprint& fingerprint) {
  const CpuIdentity& cpu = fingerprint.cpu;
  const Topology& topology = fingerprint.topology;
  const KernelIdentity& kernel = fingerprint.kernel;
  const BpfFeatures& bpf = fingerprint.bpf;
  json = {
      {"id", fingerprint.id},
      {"hostname", fingerprint.hostname},
      {"emulated", fingerprint.emulated},
      {"emulator", fingerprint.emulator},
      {"virtualized", fingerprint.virtualized},
      {"cpu",
       {{"architecture", cpu.architecture},
        {"vendor", cpu.vendor},
        {"model_name", cpu.model_name},
        {"family", cpu.family},
        {"model", cpu.model},
        {"stepping", cpu.stepping},
        {"microcode", cpu.microcode}}},
      {"topology",
       {{"packages", topology.packages},
        {"numa_nodes", topology.numa_nodes},
        {"cores", topology.cores},
        {"hardware_threads", topology.hardware_threads},
        {"smt", topology.smt()}}},
      {"kernel",
       {{"release", kernel.release},
        {"version", kernel.version},
        {"bpf_jit_enable", kernel.bpf_jit_enable},
        {"bpf_jit_harden", kernel.bpf_jit_harden},
        {"config_source", kernel.config_source},
        {"config", kernel.config}}},
      {"bpf_features",
       {{"present", bpf.present},
        {"missing", bpf.missing},
        {"max_arena_bytes", bpf.max_arena_bytes},
        {"assumed_missing", bpf.assumed_missing},
        {"probe_error", bpf.probe_error}}},
      {"bpf_litmus", {{"version", fingerprint.bpf_litmus_version}, {"git_commit", fingerprint.git_commit}}},
  };
}

void from_json(const nlohmann::json& json, MachineFingerprint& fingerprint) {
  const nlohmann::json empty = nlohmann::json::object();
  auto part = [&](const char* key) -> const nlohmann::json& { return json.contains(key) ? json.at(key) : empty; };
  fingerprint.id = json.value("id", "");
  fingerprint.hostname = json.value("hostname", "");
  fingerprint.emulated = json.value("emulated", false);
  fingerprint.emulator = json.value("emulator", "");
  fingerprint.virtualized = json.value("virtualized", false);
  const nlohmann::json& cpu = part("cpu");
  fingerprint.cpu = {cpu.value("architecture", ""), cpu.value("vendor", ""),   cpu.value("model_name", ""),
                     cpu.value("family", ""),       cpu.value("model", ""),    cpu.value("stepping", ""),
                     cpu.value("microcode", "")};
  const nlohmann::json& topology = part("topology");
  fingerprint.topology = {topology.value("packages", 0), topology.value("numa_nodes", 0), topology.value("cores", 0),
                          topology.value("hardware_threads", 0)};
  const nlohmann::json& kernel = part("kernel");
  fingerprint.kernel.release = kernel.value("release", "");
  fingerprint.kernel.version = kernel.value("version", "");
  fingerprint.kernel.bpf_jit_enable = kernel.value("bpf_jit_enable", -1);
  fingerprint.kernel.bpf_jit_harden = kernel.value("bpf_jit_harden", -1);
  fingerprint.kernel.config_source = kernel.value("config_source", "");
  fingerprint.kernel.config = kernel.value("config", std::map<std::string, std::string>{});
  const nlohmann::json& bpf = part("bpf_features");
  fingerprint.bpf.present = bpf.value("present", std::vector<std::string>{});
  fingerprint.bpf.missing = bpf.value("missing", std::vector<std::string>{});
  fingerprint.bpf.max_arena_bytes = bpf.value("max_arena_bytes", std::uint64_t{0});
  fingerprint.bpf.assumed_missing = bpf.value("assumed_missing", std::vector<std::string>{});
  fingerprint.bpf.probe_error = bpf.value("probe_error", "");
  const nlohmann::json& build = part("bpf_litmus");
  fingerprint.bpf_litmus_version = build.value("version", "");
  fingerprint.git_commit = build.value("git_commit", "");
}

}  // namespace bpf_litmus::results
