#!/usr/bin/env bash
# The guest runner run natively (not as init: no mounts, no power-off) prints
# a complete report that `bpf-litmus audit --import` judges like a QEMU
# guest's: the capture code the guests run is exercised on this kernel too.
set -uo pipefail
guest=$1 bpf_litmus=$2
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root for bpf(2)"; exit 77; fi
console=$(mktemp)
trap 'rm -f "$console"' EXIT
"$guest" >"$console" || { rc=$?; echo "FAIL: the guest runner exited $rc"; exit 1; }
out=$("$bpf_litmus" audit --import "$console" --emulator "native (test)") || { rc=$?; echo "$out"; echo "FAIL: audit --import exited $rc"; exit 1; }
echo "$out"
grep -q '^atomic_fetch_add u64 .*lock xadd qword ptr \[rdi\], rsi .* equal$' <<<"$out" ||
  { echo "FAIL: fetch_add is not lock xadd, judged equal"; exit 1; }
[ "$(grep -c -E ' (equal|stronger)$' <<<"$out")" -eq 36 ] || { echo "FAIL: not all 36 primitives judged"; exit 1; }
echo "PASS"
