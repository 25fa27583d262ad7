# shellcheck shell=bash
# Sourced by scripts/xarch-audit: how each architecture is cross-compiled and
# booted under QEMU (TCG). See docs/xarch.md; the facts come from booting
# Debian's own kernels with these exact settings.

# xarch_machine ARCH: sets debian_arch, triple, qemu, qemu_machine, console
# and default_cpus (space separated) for scripts/xarch-audit.
# shellcheck disable=SC2034
xarch_machine() {
  case "$1" in
    arm64)
      debian_arch=arm64 triple=aarch64-linux-gnu qemu=qemu-system-aarch64 qemu_machine=virt console=ttyAMA0
      default_cpus="max cortex-a57" ;;  # max has LSE atomics (ARMv8.1+), cortex-a57 (ARMv8.0) has not
    riscv64)
      debian_arch=riscv64 triple=riscv64-linux-gnu qemu=qemu-system-riscv64 qemu_machine=virt console=ttyS0
      default_cpus="rv64" ;;
    ppc64el)
      # pseries without the speculation-mitigation capabilities TCG cannot emulate
      debian_arch=ppc64el triple=powerpc64le-linux-gnu qemu=qemu-system-ppc64 console=hvc0
      qemu_machine="pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off"
      default_cpus="power9" ;;
    s390x)
      debian_arch=s390x triple=s390x-linux-gnu qemu=qemu-system-s390x qemu_machine=s390-ccw-virtio console=ttysclp0
      default_cpus="max" ;;
    *) echo "xarch: unknown architecture $1 (arm64, riscv64, ppc64el, s390x; x86-64 is this machine)" >&2; return 1 ;;
  esac
}

# The extra options a CPU model needs: pointer authentication's architected
# algorithm is slow under TCG, and the JIT does not care which one is used.
xarch_cpu_argument() {
  local arch=$1 cpu=$2
  if [ "$arch" = arm64 ] && [ "$cpu" = max ]; then echo "max,pauth-impdef=on"; else echo "$cpu"; fi
}

# Extra arguments for QEMU per architecture.
xarch_qemu_extra() {
  case "$1" in
    riscv64) echo "-bios default" ;;   # OpenSBI, packaged with QEMU
    ppc64el) echo "-vga none" ;;
    *) echo "" ;;
  esac
}

# The Debian packages the host needs for ARCH: QEMU, the cross compiler (and
# its libc for static linking), cpio for the initramfs.
xarch_host_packages() {
  case "$1" in
    arm64) echo "qemu-system-arm g++-aarch64-linux-gnu libc6-dev-arm64-cross cpio" ;;
    riscv64) echo "qemu-system-misc opensbi g++-riscv64-linux-gnu libc6-dev-riscv64-cross cpio" ;;
    ppc64el) echo "qemu-system-ppc g++-powerpc64le-linux-gnu libc6-dev-ppc64el-cross cpio" ;;
    s390x) echo "qemu-system-misc g++-s390x-linux-gnu libc6-dev-s390x-cross cpio" ;;
  esac
}
