"""`bpf-litmus campaign` on this machine's CPUs: the result file (every line
valid against docs/result-schema.json, consistent with the exit status), the
--log file (what herdtools7's log readers accept, matching the JSON),
--resume (finished tests are not run again, a torn last line is dropped, a
file from another machine is refused) and Ctrl-C (exit 130, what was measured
kept as a `stopped` record, resumable)."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import jsonschema

import litmus7_log_grammar

BPF_LITMUS = os.environ["BPF_LITMUS"]
CORPUS = os.path.join(os.environ["BPF_LITMUS_SOURCE_DIR"], "litmus")
with open(os.environ["BPF_LITMUS_SCHEMA"]) as schema_file:
    VALIDATOR = jsonschema.Draft7Validator(json.load(schema_file))

SB = os.path.join(CORPUS, "SB+pos.litmus")
MP = os.path.join(CORPUS, "MP+pos.litmus")
ATOM = os.path.join(CORPUS, "ATOM+lockadd+lockor-u64.litmus")  # a forall test: kind Required
IRIW = os.path.join(CORPUS, "IRIW+pos.litmus")  # 4 threads: skipped on a 2-CPU machine without --oversubscribe


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def tests_of(path):
    """The latest record of each test, by name."""
    latest = {}
    for record in records(path):
        if record["record"] == "test":
            latest[record["name"]] = record
    return latest


def result_file_in(directory):
    files = [f for f in os.listdir(directory) if f.endswith(".jsonl")]
    assert len(files) == 1, files
    return os.path.join(directory, files[0])


class Campaign(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bpf-litmus-campaign-test-")
        cls.bad = os.path.join(cls.dir, "Bad.litmus")
        with open(cls.bad, "w") as f:
            f.write("BPF Bad\n{ 0:r1=x; }\n P0 ;\n r2 = nonsense ;\nexists (0:r2=0)\n")
        cls.out = os.path.join(cls.dir, "out")
        cls.log = os.path.join(cls.dir, "campaign.log")
        cls.files = [SB, MP, ATOM, IRIW, cls.bad]
        cls.completed = subprocess.run(
            [BPF_LITMUS, "campaign", "--time-per-test", "0.3", "--out", cls.out, "--log", cls.log, *cls.files],
            capture_output=True, text=True, timeout=120)
        cls.path = result_file_in(cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def campaign(self, *args, **kwargs):
        return subprocess.run([BPF_LITMUS, "campaign", *args], capture_output=True, text=True, timeout=120, **kwargs)

    def test_every_line_is_valid_against_the_schema(self):
        for number, record in enumerate(records(self.path), 1):
            errors = [e.message for e in VALIDATOR.iter_errors(record)]
            self.assertEqual(errors, [], f"{self.path}:{number}")

    def test_file_holds_header_one_record_per_test_and_end(self):
        lines = records(self.path)
        self.assertEqual(lines[0]["record"], "campaign")
        self.assertEqual(lines[0]["tests_planned"], 5)
        self.assertEqual(os.path.basename(self.path), lines[0]["campaign_id"] + ".jsonl")
        self.assertEqual([r["file"] for r in lines[1:-1]], self.files)
        self.assertEqual(lines[-1]["record"], "end")
        self.assertEqual(lines[-1]["status"], "completed")
        tests = tests_of(self.path)
        self.assertEqual(tests["IRIW+pos"]["status"], "skipped", self.completed.stdout)
        self.assertIn("CPUs", tests["IRIW+pos"]["message"])
        self.assertEqual(tests["Bad"]["status"], "bad_input")
        self.assertIn("Bad.litmus:4:", tests["Bad"]["message"])
        for name in ("SB+pos", "MP+pos", "ATOM+lockadd+lockor-u64"):
            test = tests[name]
            self.assertIn(test["status"], ("ran", "failed"), test["message"])
            histogram = test["observed"]["histogram"]
            self.assertEqual(sum(s["count"] for s in histogram), test["run"]["iterations"], name)
            self.assertEqual(sum(s["count"] for s in histogram if s["satisfies_condition"]),
                             test["observed"]["positive"], name)
            self.assertEqual(len(test["run"]["placement"]["threads"]), 2, name)
            self.assertTrue(test["model"]["predicted"], name)
        self.assertEqual(tests["ATOM+lockadd+lockor-u64"]["kind"], "Required")
        with open(SB, "rb") as f:
            self.assertEqual(tests["SB+pos"]["source_sha256"], hashlib.sha256(f.read()).hexdigest())

    def test_exit_status_follows_the_records(self):
        tests = tests_of(self.path).values()
        if any(t["observed"]["forbidden_states"] > 0 for t in tests):
            expected = 1
        elif any(t["status"] in ("failed", "rejected") for t in tests):
            expected = 3
        else:
            expected = 2  # Bad.litmus
        self.assertEqual(self.completed.returncode, expected, self.completed.stdout + self.completed.stderr)
        self.assertEqual(len([line for line in self.completed.stdout.splitlines() if line.startswith("[")]), 5,
                         self.completed.stdout)

    def test_log_is_what_herdtools7_log_readers_accept(self):
        with open(self.log) as f:
            log = litmus7_log_grammar.parse(f.read())
        tests = tests_of(self.path)
        measured = {name: t for name, t in tests.items() if t["status"] in ("ran", "stopped", "failed")}
        self.assertEqual([t["name"] for t in log], list(measured))  # skipped and bad tests have no block
        for block in log:
            record = measured[block["name"]]
            self.assertEqual(block["kind"], record["kind"])
            self.assertEqual([(count, satisfies) for count, satisfies, _ in block["states"]],
                             [(s["count"], s["satisfies_condition"]) for s in record["observed"]["histogram"]])
            for (_, _, bindings), state in zip(block["states"], record["observed"]["histogram"]):
                self.assertEqual("".join(f"{location}={value}; " for location, value in bindings).strip(),
                                 state["state"])
            self.assertEqual(block["validation"], "Ok" if record["observed"]["validated"] else "No")
            self.assertEqual(sum(block["witnesses"]), record["run"]["iterations"])
            self.assertEqual(block["condition"], record["condition"])
            self.assertEqual(block["hash"], record["source_sha256"])
            self.assertIn("time", block)

    def test_resume_runs_only_what_is_missing(self):
        resumed = os.path.join(self.dir, "resumed.jsonl")
        with open(self.path) as f:
            lines = f.read().splitlines(keepends=True)
        with open(resumed, "w") as f:
            f.writelines(lines[:3])  # header, SB+pos, MP+pos
            f.write(lines[3][: len(lines[3]) // 2])  # the record being written when it died
        r = self.campaign("--resume", resumed, "--time-per-test", "0.2")
        self.assertIn(r.returncode, (1, 2, 3), r.stdout + r.stderr)
        self.assertIn("SB+pos: already recorded", r.stdout)
        self.assertIn("MP+pos: already recorded", r.stdout)
        after = records(resumed)  # every line parses: the torn one is gone
        kinds = [r["record"] for r in after]
        self.assertEqual(kinds, ["campaign", "test", "test", "resume", "test", "test", "test", "end"])
        self.assertEqual([r["name"] for r in after if r["record"] == "test"],
                         ["SB+pos", "MP+pos", "ATOM+lockadd+lockor-u64", "IRIW+pos", "Bad"])
        self.assertEqual(after[3]["options"]["time_per_test"], 0.2)
        self.assertEqual(after[-1]["tests_recorded"], 3)

    def test_resume_refuses_another_machine(self):
        other = os.path.join(self.dir, "other.jsonl")
        lines = records(self.path)
        lines[0]["fingerprint"]["id"] = "000000000000"
        with open(other, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in lines)
        r = self.campaign("--resume", other)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("another machine or configuration", r.stderr)
        self.assertEqual(len(records(other)), len(lines))  # untouched

    def interrupted_campaign(self, out):
        """A campaign of SB+pos and MP+pos, 60 s each, sent SIGINT 1 s into SB+pos."""
        process = subprocess.Popen([BPF_LITMUS, "campaign", "--time-per-test", "60", "--out", out, SB, MP],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not (os.path.isdir(out) and os.listdir(out)) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # into SB+pos's hammering
        interrupted_at = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        return process.returncode, stdout + stderr, time.monotonic() - interrupted_at, result_file_in(out)

    def test_ctrl_c_keeps_what_was_measured_and_resumes(self):
        # A loaded machine can fail a run (launches that complete nothing) before the
        # signal: that is the runtime's verdict, not the campaign's; try again.
        for attempt in range(3):
            status, output, stop_time, path = self.interrupted_campaign(os.path.join(self.dir, f"interrupted{attempt}"))
            if records(path)[1]["status"] != "failed":
                break
        self.assertLess(stop_time, 5, "took that long to stop after SIGINT")
        self.assertEqual(status, 130, output)
        self.assertIn("--resume", output)
        lines = records(path)
        self.assertEqual([r["record"] for r in lines], ["campaign", "test", "end"])
        stopped = lines[1]
        self.assertEqual(stopped["status"], "stopped")
        self.assertGreater(stopped["run"]["iterations"], 0)
        self.assertLess(stopped["run"]["seconds"], 30)
        self.assertEqual(sum(s["count"] for s in stopped["observed"]["histogram"]), stopped["run"]["iterations"])
        self.assertEqual(lines[2]["status"], "interrupted")

        r = self.campaign("--resume", path, "--time-per-test", "0.2")
        self.assertIn(r.returncode, (0, 1, 3), r.stdout + r.stderr)
        statuses = {name: t["status"] for name, t in tests_of(path).items()}
        self.assertEqual(set(statuses), {"SB+pos", "MP+pos"})
        self.assertNotIn("stopped", statuses.values())  # SB+pos ran again
        self.assertEqual(records(path)[-1]["status"], "completed")


if __name__ == "__main__":
    unittest.main(verbosity=2)
