#!/bin/sh
# Compare every test's "Result:" line with the bpf model's Observation and its
# "x86-TSO:" line with the tso model's, using the project's own model checker.
# Usage: litmus/check-verdicts.sh [path/to/bpf-litmus] [files...]
# Exit status: 0 if every line agrees, 1 if any disagrees, 2 on a checker error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-}
if [ -z "$bin" ]; then
  for b in "$here"/../build*/harness/cli/bpf-litmus; do
    [ -x "$b" ] && bin=$b && break
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "bpf-litmus binary not found; pass its path" >&2; exit 2; }
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- "$here"/*.litmus

status=0
for f in "$@"; do
  name=$(basename "$f" .litmus)
  for pair in "bpf:Result" "tso:x86-TSO"; do
    model=${pair%%:*}; key=${pair#*:}
    want=$(sed -n "s/^.*$key: *\([A-Za-z]*\).*$/\1/p" "$f" | head -n 1)
    got=$("$bin" model --model "$model" "$f" 2>&1 | sed -n 's/^Observation [^ ]* \([A-Za-z]*\) .*$/\1/p')
    if [ -z "$got" ]; then
      echo "ERROR  $name --model $model: no Observation line"; [ $status -eq 0 ] && status=2
    elif [ "$got" != "$want" ]; then
      echo "DIFFER $name --model $model: file says $want, checker says $got"; status=1
    fi
  done
done
[ $status -eq 0 ] && echo "all $# tests agree with the checker (bpf and tso)"
exit $status
