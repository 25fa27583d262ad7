#!/usr/bin/env bash
# Boots one arm64 Debian kernel under QEMU twice through scripts/xarch-audit:
# -cpu max (LSE atomics) must give fetch_add as `ldaddal`, -cpu cortex-a57
# (ARMv8.0, no LSE) an exclusive-load/store loop ending in `dmb ish`, and
# inside both guests the emulation check must see TCG. Skips
# (77) when QEMU, the cross compiler or the kernel package cannot be had.
# The kernel download is cached in CACHE (under the build directory).
set -uo pipefail
root=$1 bpf_litmus=$2 cache=$3
kernel=${XARCH_TEST_KERNEL:-sid}  # the smallest download: linux-binary-* only (about 12 MB)

for tool in qemu-system-aarch64 aarch64-linux-gnu-g++ cpio; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (apt-get install qemu-system-arm g++-aarch64-linux-gnu libc6-dev-arm64-cross cpio)"; exit 77; }
done
export XARCH_CACHE=$cache XARCH_SUITES=$kernel
# shellcheck source=scripts/xarch/apt.sh
. "$root/scripts/xarch/apt.sh"
if ! xarch_apt_update arm64 || [ -z "$(xarch_kernels arm64)" ]; then
  echo "SKIP: Debian's arm64 package lists for $kernel cannot be read"; exit 77
fi
read -r suite package _ <<<"$(xarch_kernels arm64 | tail -n 1)"
if ! xarch_kernel_image arm64 "$suite" "$package" >/dev/null; then
  echo "SKIP: the kernel package $package cannot be downloaded"; exit 77
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
BPF_LITMUS=$bpf_litmus "$root/scripts/xarch-audit" arm64 --kernel "$suite" --cpu max cortex-a57 --out "$out" \
  --cache "$cache" --timeout 300 --no-table >"$out/log" 2>&1
rc=$?
grep -E '^(==|   booted|xarch-audit)' "$out/log"
[ "$rc" -eq 0 ] || { tail -n 40 "$out/log"; echo "FAIL: xarch-audit exited $rc"; exit 1; }

# The cell of atomic_fetch_add u64 in the result file of one CPU model.
fetch_add() {
  local file
  file=$(grep -l "\"model_name\":\"$1\"" "$out"/*.jsonl) || return 1
  python3 -c 'import json,sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["record"] == "audit":
        p = [p for p in r["audit"]["primitives"] if p["primitive"] == "atomic_fetch_add u64"][0]
        print("; ".join(i["text"] for i in p["native"]), "=>", p["verdict"])' "$file"
}
lse=$(fetch_add max) no_lse=$(fetch_add cortex-a57)
echo "max:        $lse"
echo "cortex-a57: $no_lse"
[[ $lse == "ldaddal x1, x1, [x0] => equal" ]] || { echo "FAIL: -cpu max: fetch_add is not ldaddal"; exit 1; }
[[ $no_lse == *ldxr*stlxr*"dmb ish => equal" ]] || { echo "FAIL: cortex-a57: not an LL/SC loop with dmb ish"; exit 1; }
# What `bpf-litmus run` concludes inside each guest: an emulated CPU.
[ "$(grep -c 'would see an emulated CPU' "$out/log")" -eq 2 ] ||
  { grep 'JIT audit:' "$out/log"; echo "FAIL: the emulation check missed TCG in a guest"; exit 1; }
echo "PASS"
