"""`release-train --help` as a whole process against a bare interpreter, and what it imports.

    .venv/bin/python benchmarks/bench_help.py [--runs N]

Target: under 250 ms. Then a summary of `python -X importtime -m bot --help` (see
import_report.py): the slowest imports our modules make, to guide lazy imports.
"""

from __future__ import annotations

import argparse

from harness import PYTHON, RELEASE_TRAIN, compare, scratch, verdict
from import_report import import_times, summarise

TARGET_SECONDS = 0.250


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    figures = compare(
        {"help": [RELEASE_TRAIN, "--help"], "python": [PYTHON, "-c", "pass"]}, runs=args.runs
    )
    help_time, bare = figures["help"].median, figures["python"].median
    print(
        f"help: release-train --help {help_time * 1000:.0f} ms, python -c pass "
        f"{bare * 1000:.0f} ms, overhead {(help_time - bare) * 1000:.0f} ms "
        f"(target < {TARGET_SECONDS * 1000:.0f} ms: {verdict(help_time < TARGET_SECONDS)})"
    )
    print(f"peak_memory_help: {figures['help'].peak_mb:.0f} MB; runs: {args.runs} (medians)")
    with scratch("help") as folder:
        summarise("help", import_times(["--help"], report=folder / "importtime.txt"))


if __name__ == "__main__":
    main()
