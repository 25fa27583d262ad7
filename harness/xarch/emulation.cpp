#include "xarch/emulation.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

#include <cstring>
#endif

namespace bpf_litmus::xarch {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\0' || value.back() == ' ')) value.pop_back();
  return value;
}

// The CPUID hypervisor vendor signature (leaf 0x40000000), "" without one.
std::string cpuid_hypervisor_signature() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0 || (ecx & (1u << 31)) == 0) return "";
  __cpuid(0x40000000, eax, ebx, ecx, edx);
  char signature[13] = {};
  std::memcpy(signature, &ebx, 4);
  std::memcpy(signature + 4, &ecx, 4);
  std::memcpy(signature + 8, &edx, 4);
  return signature;
#else
  return "";
#endif
}

bool has_qemu_fw_cfg_node() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/device-tree", error)) {
    if (entry.path().filename().string().starts_with("fw-cfg")) return true;
  }
  return false;
}

}  // namespace

EmulationCheck detect_emulation() {
  const std::string signature = cpuid_hypervisor_signature();
  if (signature == "TCGTCGTCGTCG") return {true, "CPUID hypervisor signature " + signature};
  if (!signature.empty()) return {false, "CPUID hypervisor signature " + signature + " (hardware virtualization)"};
  const std::string hypervisor = read_text("/proc/device-tree/hypervisor/compatible");
  if (!hypervisor.empty()) return {false, "device-tree hypervisor " + hypervisor + " (hardware virtualization)"};
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("CPU implementer") && line.ends_with("0x00")) {
      return {true, "/proc/cpuinfo CPU implementer 0x00 (QEMU's emulated CPU)"};
    }
    // pseries under KVM has the hypervisor node checked above
    if (line.starts_with("machine") && line.find("emulated by qemu") != std::string::npos) {
      return {true, "/proc/cpuinfo: " + line.substr(line.find(':') + 2) + " without a hypervisor node"};
    }
  }
  std::ifstream sysinfo("/proc/sysinfo");  // s390x: STSI's manufacturer, the host's IBM under KVM
  for (std::string line; std::getline(sysinfo, line);) {
    while (!line.empty() && line.back() == ' ') line.pop_back();  // printed as %-16.16s
    if (line.starts_with("Manufacturer:") && line.ends_with(" QEMU")) return {true, "/proc/sysinfo Manufacturer QEMU"};
  }
  const std::string vendor = read_text("/sys/class/dmi/id/sys_vendor");
  if (vendor == "QEMU") return {true, "DMI sys_vendor QEMU without a hardware hypervisor signature"};
  if (has_qemu_fw_cfg_node()) return {true, "a QEMU fw-cfg device-tree node without a hypervisor node"};
  return {false, "no sign of an emulator"};
}

}  // namespace bpf_litmus::xarch
