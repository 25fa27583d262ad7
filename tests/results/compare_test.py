"""`bpf-litmus compare` on the committed fixtures (two machines, a resumed
campaign, a forbidden state, skipped and unsupported tests): the fixtures are
valid result files, each format says what it should, and bad input exits 2."""

import csv
import glob
import io
import json
import os
import subprocess
import tempfile
import unittest

import jsonschema

BPF_LITMUS = os.environ["BPF_LITMUS"]
FIXTURES = sorted(glob.glob(os.path.join(os.environ["BPF_LITMUS_RESULTS_FIXTURES"], "*.jsonl")))
with open(os.environ["BPF_LITMUS_SCHEMA"]) as schema_file:
    VALIDATOR = jsonschema.Draft7Validator(json.load(schema_file))


def compare(*args):
    return subprocess.run([BPF_LITMUS, "compare", *args], capture_output=True, text=True, timeout=60)


class Compare(unittest.TestCase):
    def test_fixtures_are_valid_result_files(self):
        self.assertEqual(len(FIXTURES), 2)
        for path in FIXTURES:
            with open(path) as f:
                for number, line in enumerate(f, 1):
                    errors = [e.message for e in VALIDATOR.iter_errors(json.loads(line))]
                    self.assertEqual(errors, [], f"{path}:{number}")

    def test_committed_results_are_valid_result_files(self):
        committed = glob.glob(os.path.join(os.environ["BPF_LITMUS_SOURCE_DIR"], "results", "**", "*.jsonl"),
                              recursive=True)
        self.assertTrue(committed)
        for path in committed:
            with open(path) as f:
                for number, line in enumerate(f, 1):
                    errors = [e.message[:200] for e in VALIDATOR.iter_errors(json.loads(line))]
                    self.assertEqual(errors, [], f"{path}:{number}")

    def test_markdown_is_the_default(self):
        r = compare(*FIXTURES)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [line for line in r.stdout.splitlines() if line.startswith("| ")]
        self.assertEqual(rows[0], "| Test | Model (bpf) | alpha | beta |")
        self.assertIn("| IRIW+pos | Never | skipped | 0/500k Never |", rows)
        self.assertIn("| LB+pos | Sometimes | - | unsupported |", rows)
        # beta's MP+pos was interrupted, then run again on resume: the later record counts.
        self.assertIn("| MP+pos | Never | 0/1.50M Never | **!! 17/1.00M Sometimes** |", rows)
        self.assertIn("| SB+pos | Sometimes | 2811/1.52M Sometimes | 98.0k/1.00M Sometimes |", rows)
        self.assertIn("- MP+pos on beta: `1:r5=1; 1:r6=0;` 17 times, forbidden by the bpf model", r.stdout)
        self.assertIn("| beta | beta: implementer 0x41 part 0xd0c, 4 cores, Linux 6.12.9 |", r.stdout)

    def test_csv_to_a_file_by_its_extension(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "table.csv")
            r = compare(*FIXTURES, "-o", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(path, newline="") as f:
                table = list(csv.reader(f))
        self.assertEqual(table[0], ["test", "model", "alpha", "beta"])
        self.assertEqual(table[3], ["MP+pos", "Never", "0/1500000 Never", "!! 17/1000000 Sometimes"])
        self.assertEqual(len(table), 5)

    def test_html_format_option(self):
        r = compare("--format", "html", *FIXTURES)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("<!DOCTYPE html>"))
        self.assertEqual(r.stdout.count("<svg class=\"histogram\""), 3)  # LB+pos ran nowhere

    def test_bad_input_exits_2_naming_the_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as bad:
            bad.write('{"not": "a result file"}\n')
            bad.flush()
            r = compare(FIXTURES[0], bad.name)
        self.assertEqual(r.returncode, 2)
        self.assertIn(bad.name + ":1: not a bpf-litmus result file", r.stderr)
        self.assertEqual(compare("/no/such.jsonl").returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
