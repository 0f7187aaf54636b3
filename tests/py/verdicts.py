"""The "ok NAME" / "FAIL NAME: why" lines every output test prints for
tests/run, and the count of failures behind its exit status."""


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

    def status(self):
        """The test's exit status: 1 when anything failed."""
        return 1 if self.failed else 0
