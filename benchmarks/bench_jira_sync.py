"""Attaching to the Release Train ticket with `release-train sync`, against a fake Jira at 50 ms.

    .venv/bin/python benchmarks/bench_jira_sync.py [--latency S] [--mode cloud|datacenter|both]
        [--sizes 1,10,50] [--idle-runs N]

The fake Jira of the test suite (a local HTTP server; every answer waits `latency`) holds a
board with an active sprint; a git repository feeds one train. Whole `release-train sync`
processes run against it: a first sync (it creates the ticket and attaches one change), then,
for each N in `sizes`, N new trunk commits and a sync that attaches them, then idle syncs.
Each line gives the requests made (reads, writes, by endpoint), the process's wall time and the
floor `requests x latency` (the bot sends its Jira requests one at a time).

Targets: a sync attaching N changes makes N writes plus a constant (the same for every N) and
as many reads whatever N is (no read per change); an idle sync makes no write and at most one
read of the ticket's remote links.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import RELEASE_TRAIN, REPO_ROOT, clean_environment, ratio, scratch, verdict

sys.path.insert(0, str(REPO_ROOT))  # the fake Jira lives with the tests

from tests.fakes.jira import FakeJira, Request
from tests.gitrepo import GitRepo

START = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=3)
JQL = 'project = PAY AND labels = "release-train" AND sprint = {sprint_id}'
_IDS = re.compile(r"(?<=/)(PAY-\d+|\d{3,})(?=/|$)")  # keys and ids, not the API version


@dataclass(frozen=True)
class Phase:
    """One whole sync process and the Jira traffic it made."""

    seconds: float
    requests: list[Request]

    @property
    def reads(self) -> list[Request]:
        return [r for r in self.requests if not r.is_write]

    @property
    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.is_write]

    @property
    def link_reads(self) -> int:
        return sum(1 for r in self.reads if r.path.endswith("/remotelink"))

    def line(self, label: str, *, latency: float) -> str:
        floor = len(self.requests) * latency
        return (
            f"{label}: {len(self.requests)} requests ({len(self.reads)} reads, "
            f"{len(self.writes)} writes), process wall {self.seconds:.3f} s, floor {floor:.3f} s "
            f"({ratio(self.seconds, floor)}x); {_by_endpoint(self.requests)}"
        )


class Site:
    """The fake Jira, one repository and a config for them."""

    def __init__(self, folder: Path, fake: FakeJira) -> None:
        self.fake = fake
        board = fake.add_board("PAY")
        fake.add_sprint(board, "Sprint 7", "active", START, START + timedelta(days=14))
        self.repo = GitRepo(folder / "api", start=START + timedelta(days=1))
        self.repo.commit("Initial import", files={"README.md": "hello\n"})
        self.config = folder / "release-train.toml"
        email = f'email = "{fake.email}"' if fake.mode == "cloud" else ""
        self.config.write_text(
            "\n".join(
                [
                    "[store]",
                    f'url = "sqlite:///{(folder / "store.db").as_posix()}"',
                    "[jira]",
                    f'url = "{fake.base_url}"',
                    f'deployment = "{fake.mode}"',
                    email,
                    "[[trains]]",
                    'name = "bench"',
                    "  [trains.sprint]",
                    f"  board_id = {board}",
                    "  [trains.ticket]",
                    f"  jql = '{JQL}'",
                    "  create = true",
                    '  project = "PAY"',
                    "  [[trains.sources]]",
                    '  name = "api"',
                    '  kind = "git"',
                    f'  path = "{self.repo.path.as_posix()}"',
                    '  branch = "main"',
                    '  web_url = "https://git.example.com/api/commit/{sha}"',
                    f'  since = "{START:%Y-%m-%d}"',
                ]
            )
            + "\n",
            encoding="utf-8",
        )

    def merge(self, count: int) -> None:
        for _ in range(count):
            self.repo.commit("feat: one more change", files={"src/app.py": f"{time.time_ns()}\n"})

    def sync(self) -> Phase:
        env = {
            **clean_environment(),
            "RELEASE_TRAIN_JIRA__TOKEN": self.fake.token,
            "NO_PROXY": "127.0.0.1,localhost",
        }
        before = len(self.fake.requests)
        start = time.perf_counter()
        proc = subprocess.run(
            [RELEASE_TRAIN, "-c", str(self.config), "sync"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"sync exited {proc.returncode}: {proc.stderr[-2000:]}")
        return Phase(seconds=seconds, requests=self.fake.requests[before:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--mode", choices=("cloud", "datacenter", "both"), default="both")
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--idle-runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    modes = ("cloud", "datacenter") if args.mode == "both" else (args.mode,)
    missed = False
    for mode in modes:
        with scratch(f"jira-{mode}") as folder, FakeJira(mode=mode, latency=args.latency) as fake:
            missed |= not run(Site(folder, fake), mode=mode, sizes=sizes, args=args)
    if missed:
        sys.exit(1)


def run(site: Site, *, mode: str, sizes: list[int], args: argparse.Namespace) -> bool:
    """The figures of one deployment; whether every target was met."""
    print(f"setup ({mode}): {args.latency * 1000:.0f} ms per request, sizes {sizes}")
    print(
        site.sync().line(f"{mode} first_sync (creates the ticket, 1 change)", latency=args.latency)
    )
    active: dict[int, Phase] = {}
    for size in sizes:
        site.merge(size)
        active[size] = site.sync()
        print(active[size].line(f"{mode} attach_{size}", latency=args.latency))
    constants = {len(p.writes) - n for n, p in active.items()}
    reads = {len(p.reads) for p in active.values()}
    attach_met = len(constants) == 1 and len(reads) == 1
    print(
        f"{mode} attach target: writes - N = {sorted(constants)} (one constant), reads = "
        f"{sorted(reads)} (the same for every N): {verdict(attach_met)}"
    )
    idle = [site.sync() for _ in range(args.idle_runs)]
    print(idle[-1].line(f"{mode} idle_sync", latency=args.latency))
    idle_met = all(not p.writes and p.link_reads <= 1 for p in idle)
    wall = statistics.median(p.seconds for p in idle)
    print(
        f"{mode} idle target: writes {sorted({len(p.writes) for p in idle})}, remote-link reads "
        f"{sorted({p.link_reads for p in idle})} over {len(idle)} runs (median wall "
        f"{wall:.3f} s); zero writes, at most one link read: {verdict(idle_met)}"
    )
    site.fake.assert_faithful()
    return attach_met and idle_met


def _by_endpoint(requests: list[Request]) -> str:
    counts: Counter[str] = Counter()
    for request in requests:
        counts[f"{request.method} {_IDS.sub('{id}', request.path)}"] += 1
    return ", ".join(f"{key} x{count}" for key, count in sorted(counts.items()))


if __name__ == "__main__":
    main()
