#!/usr/bin/env bash
# scripts/fleet-campaign against this machine: a private sshd on 127.0.0.1
# (throwaway host and client keys, its own config; the system's ssh setup is
# left alone), a hostfile naming it, a short campaign with the bpf-litmus
# binary copied over. Checks that the result file came back, is valid against
# the schema and holds the tests, and that the comparison was written.
# Exits 77 (skipped) when ssh to localhost is impossible here.
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
: "${BPF_LITMUS:?}" "${BPF_LITMUS_SOURCE_DIR:?}" "${BPF_LITMUS_SCHEMA:?}"
sshd=/usr/sbin/sshd
[ -x "$sshd" ] || skip "no $sshd (scripts/setup installs openssh-server)"
command -v ssh >/dev/null || skip "no ssh client"
command -v ssh-keygen >/dev/null || skip "no ssh-keygen"
command -v parallel >/dev/null || skip "no GNU parallel (scripts/setup installs it)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bpf-litmus-fleet-test.XXXXXX")
sshd_pid=""
cleanup() {
  [ -z "$sshd_pid" ] || kill "$sshd_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/client_key"
cp "$tmp/client_key.pub" "$tmp/authorized_keys"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tmp/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/host_key
AuthorizedKeysFile $tmp/authorized_keys
PidFile $tmp/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
LogLevel ERROR
CONFIG
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd  # Debian's sshd wants its privilege-separation directory
"$sshd" -f "$tmp/sshd_config" -E "$tmp/sshd.log" || skip "sshd does not start here: $(cat "$tmp/sshd.log" 2>/dev/null)"
for _ in $(seq 50); do [ -s "$tmp/sshd.pid" ] && break; sleep 0.1; done
sshd_pid=$(cat "$tmp/sshd.pid" 2>/dev/null || true)
[ -n "$sshd_pid" ] || skip "sshd did not write its pid file: $(cat "$tmp/sshd.log" 2>/dev/null)"

cat >"$tmp/ssh_config" <<CONFIG
Host fleet-localhost
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $tmp/client_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
CONFIG
ssh -F "$tmp/ssh_config" -o BatchMode=yes -o ConnectTimeout=10 fleet-localhost true ||
  skip "ssh to localhost is impossible here: $(cat "$tmp/sshd.log")"

printf '# the fleet of this test\n\nfleet-localhost   # this machine over ssh\n' >"$tmp/hosts"
status=0
"$BPF_LITMUS_SOURCE_DIR/scripts/fleet-campaign" --ssh-config "$tmp/ssh_config" --binary "$BPF_LITMUS" \
  --out "$tmp/results" --remote-dir "$tmp/remote" "$tmp/hosts" -- \
  --time-per-test 0.2 litmus/SB+pos.litmus litmus/MP+pos.litmus | tee "$tmp/output" || status=$?

fail() { echo "FAIL: $*"; exit 1; }
[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "fleet-campaign exited $status"
grep -q '^fleet-localhost	running: bpf-litmus campaign' "$tmp/output" || fail "no host-tagged output"
shopt -s nullglob
files=("$tmp"/results/*.jsonl)
[ ${#files[@]} -eq 1 ] || fail "expected one result file, got ${#files[@]}"
/usr/bin/python3 - "$BPF_LITMUS_SCHEMA" "${files[0]}" <<'PYTHON'
import json, sys
import jsonschema
validator = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
records = [json.loads(line) for line in open(sys.argv[2])]
for number, record in enumerate(records, 1):
    errors = [e.message for e in validator.iter_errors(record)]
    assert not errors, f"line {number}: {errors}"
assert [r["record"] for r in records] == ["campaign", "test", "test", "end"], [r["record"] for r in records]
assert [r["name"] for r in records if r["record"] == "test"] == ["SB+pos", "MP+pos"]
assert records[-1]["status"] == "completed"
PYTHON
md=("$tmp"/results/fleet-*.md)
html=("$tmp"/results/fleet-*.html)
[ ${#md[@]} -eq 1 ] && [ ${#html[@]} -eq 1 ] || fail "no comparison written"
grep -q '^| SB+pos | Sometimes | ' "${md[0]}" || fail "the comparison has no SB+pos row"
echo "fleet test passed"
