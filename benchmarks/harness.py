"""What every benchmark shares: a scratch folder, whole-process timing with peak memory, configs.

Whole processes are timed from inside a small wrapper interpreter started afresh for each run:
the wrapper starts the command, waits for it, and reports the wall time and the child's peak
resident memory (`getrusage(RUSAGE_CHILDREN)`), so neither figure includes the wrapper itself.
Commands compared with each other are run in interleaved rounds, so a slow spell on a shared
machine hits them all alike; medians are reported.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PYTHON = sys.executable
RELEASE_TRAIN = str(BIN / "release-train")
GIT_CLIFF = str(BIN / "git-cliff")

# Runs one command and prints {"seconds", "peak_kb", "returncode", "stderr"} as JSON.
_WRAPPER = """
import json, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1])
start = time.perf_counter()
proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
tail = proc.stderr.decode(errors="replace")[-2000:]
print(json.dumps({"seconds": seconds, "peak_kb": peak, "returncode": proc.returncode,
                  "stderr": tail}))
"""


class CommandFailedError(RuntimeError):
    """A measured command exited with an error; carries its stderr."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One run of a whole process."""

    seconds: float
    peak_mb: float


@dataclass(frozen=True, slots=True)
class Figures:
    """The runs of one command: median wall time and the largest peak memory seen."""

    samples: tuple[Sample, ...]

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder, removed with everything in it when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"rt-bench-{prefix}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_environment() -> dict[str, str]:
    """The caller's environment without settings that would change what is measured."""
    dropped = ("RELEASE_TRAIN_", "GIT_CLIFF_", "GIT_")
    return {k: v for k, v in os.environ.items() if not k.startswith(dropped)}


def measure(command: Sequence[str]) -> Sample:
    """Run `command` once as a whole process; its stdout is discarded."""
    proc = subprocess.run(
        [PYTHON, "-c", _WRAPPER, json.dumps(list(command))],
        capture_output=True,
        text=True,
        env=clean_environment(),
        check=True,
    )
    result = json.loads(proc.stdout)
    if result["returncode"] != 0:
        raise CommandFailedError(
            f"{' '.join(command)} exited {result['returncode']}: {result['stderr'].strip()}"
        )
    return Sample(seconds=result["seconds"], peak_mb=result["peak_kb"] / 1024)


def compare(
    commands: Mapping[str, Sequence[str]],
    *,
    runs: int,
    before: Mapping[str, Callable[[], None]] | None = None,
) -> dict[str, Figures]:
    """Time each command `runs` times in interleaved rounds, after one untimed warm-up each.

    `before[name]`, when given, runs untimed ahead of every run of that command (e.g. to empty
    a store).
    """
    setup = before or {}
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            if name in setup:
                setup[name]()
            sample = measure(command)
            if round_number > 0:
                samples[name].append(sample)
    return {name: Figures(tuple(found)) for name, found in samples.items()}


def run_output(command: Sequence[str], *, cwd: Path | None = None) -> str:
    """Run a command untimed and return its stdout; a failure raises with its stderr."""
    proc = subprocess.run(
        list(command), capture_output=True, text=True, env=clean_environment(), cwd=cwd, check=False
    )
    if proc.returncode != 0:
        raise CommandFailedError(
            f"{' '.join(command)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"
        )
    return proc.stdout


def write_config(
    path: Path,
    *,
    store: Path,
    repo: Path | None,
    first_day: date,
    length_days: int,
    since: date | None = None,
    branch: str = "main",
) -> Path:
    """A release-train config: one train `bench`, a SQLite store, at most one git source.

    Without `repo` the train's source points at an empty folder that is never read, for
    benchmarks that fill the store directly.
    """
    source = repo if repo is not None else path.parent / "no-repository"
    lines = [
        "[store]",
        f'url = "sqlite:///{store.as_posix()}"',
        "auto_upgrade = true",
        "",
        "[[trains]]",
        'name = "bench"',
        'timezone = "UTC"',
        "",
        "  [trains.sprint]",
        f"  length_days = {length_days}",
        f'  first_day = "{first_day.isoformat()}"',
        "",
        "  [[trains.sources]]",
        '  name = "app"',
        '  kind = "git"',
        f'  path = "{source.as_posix()}"',
        f'  branch = "{branch}"',
        '  web_url = "https://git.example.com/acme/app/commit/{sha}"',
    ]
    if since is not None:
        lines.append(f'  since = "{since.isoformat()}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ratio(numerator: float, denominator: float) -> str:
    """A ratio as printed in every figure line."""
    return f"{numerator / denominator:.2f}" if denominator > 0 else "n/a"


def verdict(ok: bool) -> str:
    """How a figure line says whether its target was met."""
    return "met" if ok else "MISSED"


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages ("2.09 2.91 2.87"), printed beside every
    figure: on a shared machine a ratio is read with the load it was measured under."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
