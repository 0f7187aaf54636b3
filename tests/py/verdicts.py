"""The "ok NAME" / "FAIL NAME: why" lines every output test prints for
tests/run, and the count of failures behind its exit status."""
import os
import subprocess
import tempfile

POPPLER_CLEAN = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "poppler-clean")


class Verdicts:
    def __init__(self, tool):
        self.tool = tool
        self.failed = 0

    def report(self, name, ok, why=""):
        if ok:
            print(f"ok {self.tool}/{name}")
        else:
            self.failed += 1
            print(f"FAIL {self.tool}/{name}" + (f": {why}" if why else ""))

    def poppler_clean(self, folder, name="poppler-clean", optional=False):
        """Every PDF under `folder` read by poppler (pdffonts, pdftotext,
        pdftoppm) without one line on standard error: a reader's warning
        is a failure (tests/poppler-clean).  No PDF there is a failure
        too, unless `optional`: then nothing is reported."""
        pdfs = [os.path.join(d, f) for d, _s, fs in os.walk(folder)
                for f in fs if f.endswith(".pdf")]
        if optional and not pdfs:
            return
        r = subprocess.run([POPPLER_CLEAN, folder], capture_output=True,
                           text=True)
        lines = r.stdout.splitlines()
        self.report(name, pdfs and r.returncode == 0 and not lines,
                    f"{len(pdfs)} PDFs; " + "; ".join(lines[:5]))

    def check(self, name, fn):
        """Run the test fn(): it returns why it failed, or None; an
        exception is a failure with its message, not a traceback."""
        try:
            why = fn()
            self.report(name, not why, why or "")
        except Exception as e:
            self.report(name, False, f"{type(e).__name__}: {e}")

    def status(self):
        """The test's exit status: 1 when anything failed."""
        return 1 if self.failed else 0

    def run(self, tests):
        """Run each test(folder) in a fresh temporary folder of its own; a
        crash is a failure, not a traceback.  Returns status()."""
        with tempfile.TemporaryDirectory() as tmp:
            for test in tests:
                sub = os.path.join(tmp, test.__name__)
                os.makedirs(sub)
                try:
                    test(sub)
                except Exception as e:
                    self.report(test.__name__, False,
                                f"{type(e).__name__}: {e}")
            # every PDF the tests wrote reads without a warning
            self.poppler_clean(tmp, optional=True)
        return self.status()
