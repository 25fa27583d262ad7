// Whether this machine's CPU is emulated (QEMU TCG) rather than real or
// hardware-virtualized (KVM, Hyper-V, Xen...). An emulated CPU runs every
// guest access in the host's order (TCG on x86 is TSO whatever the guest
// architecture), so hammering litmus tests there shows nothing about the
// guest ISA's weak behaviour: `bpf-litmus run` refuses unless told otherwise.
#pragma once

#include <string>

namespace bpf_litmus::xarch {

struct EmulationCheck {
  bool emulated = false;
  std::string evidence;  // what decided it: "CPUID hypervisor signature KVMKVMKVM", "DMI sys_vendor QEMU, ..."
};

// The checks, most specific first: the x86 CPUID hypervisor signature
// (KVMKVMKVM, Microsoft Hv, ... hardware virtualization; TCGTCGTCGTCG
// emulation); a device-tree hypervisor node (KVM, Xen; QEMU's pseries adds it
// under KVM only); arm64 CPU implementer 0x00, which only QEMU's emulated
// `max` CPU reports; a pseries "emulated by qemu" without that node; s390x
// STSI manufacturer QEMU; then a QEMU machine (DMI vendor QEMU, a QEMU fw-cfg
// device-tree node) with no hardware-virtualization sign, which is TCG. KVM on arm64/riscv64 may look like TCG to the last check.
[[nodiscard]] EmulationCheck detect_emulation();

}  // namespace bpf_litmus::xarch
