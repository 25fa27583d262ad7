"""What herdtools7's log readers (msum7, mcompare7: tools/lexLog_tools.mll)
accept, written from that lexer's rules so a test can check our --log output
against them without OCaml.

The readers scan a log line by line for `Test NAME [KIND]`; then skip lines
to `Histogram (N states)` (or `States N`); read state lines `COUNT :> b; b;`
or `COUNT *> ...` up to the validation line (`Ok`, `No`, ...); then, each
after optional blank lines, `Witnesses` + `Positive: P, Negative: N`, a
`Condition ... is [NOT] validated` line, and a run of `Hash=...`,
`Time NAME SECONDS`, `Key=...` or `Key NAME ...` lines. Every other line is
skipped, so anything may sit between blocks as long as no line of it looks
like a `Test` line.
"""

import re

TESTNAME = r"[A-Za-z0-9_/.\-+\[\]]+"
NAME = r"[A-Za-z][A-Za-z0-9_.]*"
BLANK = r"[ \t]"
TEST_LINE = re.compile(rf"Test{BLANK}+({TESTNAME})(?:{BLANK}+({NAME}))?")
KINDS = {"Allow", "Allowed", "Require", "Required", "Forbid", "Forbidden", "", "Unknown", "???", "---", "Undefined"}
HISTOGRAM = re.compile(rf"(?:States(?:{BLANK}+\d+)?|Histogram(?:{BLANK}+\((\d+){BLANK}+states{BLANK}*\))?)")
LOC = rf"(?:{NAME}|\$(?:[A-Za-z]+|\d+))"
VALUE = rf"(?:-?(?:\d+|0x[0-9a-fA-F]+)|{NAME}(?::{NAME})?)"
BINDING = rf"{BLANK}*(\d+:{NAME}|\[?{LOC}\]?|{LOC}\[\d+\]){BLANK}*={BLANK}*({VALUE}){BLANK}*;"
STATE_LINE = re.compile(rf"(?:(\d+){BLANK}*(:>|\*>))?((?:{BINDING})*){BLANK}*(?:#.*)?")
VALIDATION = re.compile(rf"(?:Loop{BLANK}+)?(Undef|Succeeded|Failed|Ok|No|\?\?)[^\r\n]*")
WITNESS_COUNTS = re.compile(rf"Positive:{BLANK}*(\d+),?{BLANK}*Negative:{BLANK}*(\d+){BLANK}*")
CONDITION = re.compile(rf"Condition{BLANK}+(.+?){BLANK}+is.*validated")
HASH = re.compile(rf"[hH][aA][sS][hH]{BLANK}*={BLANK}*([^ \t]+){BLANK}*")
TIME = re.compile(rf"Time{BLANK}+{TESTNAME}{BLANK}+(\d+\.\d+){BLANK}*")
OTHER_TAIL_LINE = re.compile(rf"[A-Za-z]+{BLANK}*=.*|[A-Za-z]+{BLANK}+{TESTNAME}{BLANK}+.*")


class LogError(Exception):
    pass


def parse(text):
    """The tests of a litmus log as the readers see them: a list of dicts with
    name, kind, states [(count, satisfies, [(location, value)])], validation,
    witnesses (positive, negative), condition, hash, time."""
    lines = text.split("\n")
    tests = []
    i = 0
    while i < len(lines):
        match = TEST_LINE.fullmatch(lines[i])
        i += 1
        if not match:
            continue
        name, kind = match.group(1), match.group(2) or ""
        if kind not in KINDS:
            raise LogError(f"line {i}: test {name}: unknown kind {kind!r}")
        while i < len(lines) and not HISTOGRAM.fullmatch(lines[i]):
            if re.match(r"Fatal[: ]", lines[i]):
                raise LogError(f"line {i + 1}: test {name}: Fatal line before its histogram")
            i += 1
        if i == len(lines):
            raise LogError(f"test {name}: no Histogram line")
        declared = HISTOGRAM.fullmatch(lines[i]).group(1)
        i += 1
        test = {"name": name, "kind": kind, "states": []}
        while True:
            if i == len(lines):
                raise LogError(f"test {name}: no validation line after its states")
            validation = VALIDATION.fullmatch(lines[i])
            if validation:
                test["validation"] = validation.group(1)
                i += 1
                break
            state = STATE_LINE.fullmatch(lines[i])
            if not state or not lines[i].strip():
                raise LogError(f"line {i + 1}: test {name}: not a state line: {lines[i]!r}")
            bindings = re.findall(BINDING, state.group(3))
            test["states"].append((int(state.group(1) or 1), state.group(2) == "*>", bindings))
            i += 1
        if declared is not None and int(declared) != len(test["states"]):
            raise LogError(f"test {name}: Histogram says {declared} states, {len(test['states'])} listed")
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i + 1 < len(lines) and lines[i].rstrip() == "Witnesses" and WITNESS_COUNTS.fullmatch(lines[i + 1]):
            test["witnesses"] = tuple(int(n) for n in WITNESS_COUNTS.fullmatch(lines[i + 1]).groups())
            i += 2
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("Bad executions", "Flag "))):
            i += 1
        condition = CONDITION.fullmatch(lines[i]) if i < len(lines) else None
        if condition:
            test["condition"] = condition.group(1)
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        while i < len(lines):
            if HASH.fullmatch(lines[i]):
                test["hash"] = HASH.fullmatch(lines[i]).group(1)
            elif TIME.fullmatch(lines[i]):
                test["time"] = float(TIME.fullmatch(lines[i]).group(1))
            elif not OTHER_TAIL_LINE.fullmatch(lines[i]):
                break
            i += 1
        tests.append(test)
    return tests
