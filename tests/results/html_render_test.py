"""The HTML report as a browser renders it: headless Chromium loads the
report of the committed fixtures from a file, offline; its DOM after
rendering has the table's rows and one SVG chart per measured test, and the
screenshot shows the charts' colours, the forbidden state's red included.
Exits 77 (skipped) without chromium, except under CI, where it must be there."""

import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BPF_LITMUS = os.environ["BPF_LITMUS"]
FIXTURES = os.environ["BPF_LITMUS_RESULTS_FIXTURES"]
CHROMIUM = shutil.which("chromium")
WIDTH, HEIGHT = 1400, 2400

if CHROMIUM is None:
    if os.environ.get("CI"):
        sys.exit("chromium is missing under CI: scripts/setup installs it")
    print("SKIP: chromium is not installed (scripts/setup installs it)")
    sys.exit(77)

from PIL import Image  # python3-pil, installed with chromium by scripts/setup


def chromium(profile, *args):
    """Headless, offline, with a fresh profile: nothing but the file is loaded."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=90)


class Dom(html.parser.HTMLParser):
    """Counts what the test asserts on: rows of the results table, their cells, SVG charts and bars."""

    def __init__(self):
        super().__init__()
        self.table = None
        self.rows = []  # cells (class, text) of each body row of #results
        self.svgs = 0
        self.rects = []  # fill of each bar
        self.in_body = False
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("id")
        elif tag == "tbody" and self.table == "results":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag == "td" and self.in_body:
            self.cell = [attrs.get("class", ""), ""]
        elif tag == "svg":
            self.svgs += 1
        elif tag == "rect":
            self.rects.append(attrs.get("fill"))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "td" and self.cell is not None:
            self.rows[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


class HtmlRender(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bpf-litmus-html-test-")
        cls.report = os.path.join(cls.dir, "report.html")
        fixtures = sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES) if f.endswith(".jsonl"))
        r = subprocess.run([BPF_LITMUS, "compare", *fixtures, "-o", cls.report], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_rendered_dom_has_the_table_and_the_charts(self):
        r = chromium(os.path.join(self.dir, "dom-profile"), "--dump-dom", "file://" + self.report)
        self.assertEqual(r.returncode, 0, r.stderr)
        dom = Dom()
        dom.feed(r.stdout)
        self.assertEqual([row[0][1] for row in dom.rows], ["IRIW+pos", "LB+pos", "MP+pos", "SB+pos"])
        self.assertTrue(all(len(row) == 4 for row in dom.rows), dom.rows)  # test, model, alpha, beta
        forbidden = [cell for row in dom.rows for cell in row if "forbidden" in cell[0]]
        self.assertEqual(forbidden, [("cell forbidden", "!! 17/1.00M Sometimes")])
        self.assertEqual(dom.svgs, 3)  # LB+pos ran nowhere
        self.assertEqual(dom.rects.count("#d62728"), 1)  # the forbidden state's bar
        self.assertEqual(len(dom.rects), 16)  # one per state seen per machine

    def test_screenshot_shows_the_charts_in_colour(self):
        shot = os.path.join(self.dir, "report.png")
        r = chromium(os.path.join(self.dir, "shot-profile"), f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                     "--hide-scrollbars", "file://" + self.report)
        self.assertEqual(r.returncode, 0, r.stderr)
        with Image.open(shot) as image:
            self.assertEqual(image.size, (WIDTH, HEIGHT))
            colours = image.convert("RGB").getcolors(maxcolors=WIDTH * HEIGHT)
        count_of = {colour: count for count, colour in colours}
        white = count_of.get((255, 255, 255), 0)
        self.assertLess(white, WIDTH * HEIGHT * 0.97, "next to nothing was drawn")

        def pixels_near(rgb):
            return sum(n for colour, n in count_of.items() if all(abs(a - b) <= 8 for a, b in zip(colour, rgb)))

        self.assertGreater(pixels_near((0x44, 0x77, 0xAA)), 500, "alpha's bars")
        self.assertGreater(pixels_near((0x66, 0xCC, 0xEE)), 500, "beta's bars")
        self.assertGreater(pixels_near((0xD6, 0x27, 0x28)), 50, "the forbidden bar")
        self.assertGreater(pixels_near((0xFD, 0xE0, 0xE0)), 500, "the forbidden cell's background")


if __name__ == "__main__":
    unittest.main(verbosity=2)
