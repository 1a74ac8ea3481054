"""Inside `serve`: an idle sync cycle over 200 GitHub repositories, and memory over 100 cycles.

    .venv/bin/python benchmarks/bench_serve.py [--repos N] [--latency S] [--concurrency N]
        [--idle-runs N] [--trains N] [--sources N] [--cycles N]

Both parts run the scheduled job exactly as `serve` does (the job runner around the sync job
body, which opens the train's runtime and runs the sync), in this process, so neither the
interpreter's start nor the imports are counted, as they are not in a running `serve`.

1. Idle cycle: the fake GitHub of the test suite (a local HTTP server; every answer waits
   `latency`) holds `repos` repositories; after a first sync, idle syncs (nothing changed) are
   timed. Target: `repos` requests, all 304, wall time <= 1.1x the floor
   ceil(repos / concurrency) x latency.
2. Memory: `trains` trains of `sources` GitHub repositories each (no added latency), synced in
   `cycles` idle cycles (every train once per cycle); the resident set size (VmRSS) at cycle 10
   and at the last cycle, and their ratio (flat is about 1.0).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import REPO_ROOT, ratio, scratch, verdict

sys.path.insert(0, str(REPO_ROOT))  # the fake GitHub lives with the tests

from bench_github_polling import _populate  # the same repositories as the one-shot benchmark

from bot.metrics import Metrics
from bot.scheduling import JobRunner, JobSpec, WallClockCron
from bot.scheduling.jobs import TrainJobs
from bot.settings import load_settings
from tests.fakes.github import TOKEN, FakeGitHub, running

TARGET = 1.1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--idle-runs", type=int, default=5)
    parser.add_argument("--trains", type=int, default=10)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=100)
    args = parser.parse_args()
    os.environ["RELEASE_TRAIN_GITHUB__TOKEN"] = TOKEN
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    with scratch("serve-idle") as folder, running(latency=args.latency, validate=False) as gh:
        idle_cycle(folder, gh, args)
    with scratch("serve-memory") as folder, running(latency=0.0, validate=False) as gh:
        memory(folder, gh, args)


def idle_cycle(folder: Path, github: FakeGitHub, args: argparse.Namespace) -> None:
    first_day = (datetime.now(UTC) - timedelta(days=3)).date()
    names = _populate(github, repos=args.repos, first_day=first_day)
    config = _config(folder, github, trains={"bench": names}, first_day=first_day, args=args)
    runner, specs = _runner(config)
    floor = math.ceil(args.repos / args.concurrency) * args.latency
    print(
        f"setup: {args.repos} repositories, {args.latency * 1000:.0f} ms per request, "
        f"concurrency {args.concurrency}, floor {floor:.3f} s"
    )
    runner.run(specs[0])  # the first sync: everything is new
    walls, counts = [], set()
    for _ in range(args.idle_runs):
        github.clear_log()
        start = time.perf_counter()
        runner.run(specs[0])
        walls.append(time.perf_counter() - start)
        requests = github.api_requests()
        counts.add((len(requests), sum(1 for r in requests if r.status == 304)))
    wall = statistics.median(walls)
    one_each = counts == {(args.repos, args.repos)}
    print(
        f"idle_cycle_in_serve: {sorted(counts)} (requests, 304s) per cycle, wall median "
        f"{wall:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}) = {ratio(wall, floor)}x "
        f"floor; target {args.repos} requests all 304 and <= {TARGET}x floor: "
        f"{verdict(one_each and wall <= TARGET * floor)}"
    )


def memory(folder: Path, github: FakeGitHub, args: argparse.Namespace) -> None:
    first_day = (datetime.now(UTC) - timedelta(days=3)).date()
    names = _populate(github, repos=args.trains * args.sources, first_day=first_day)
    trains = {
        f"train-{t:02d}": names[t * args.sources : (t + 1) * args.sources]
        for t in range(args.trains)
    }
    config = _config(folder, github, trains=trains, first_day=first_day, args=args)
    runner, specs = _runner(config)
    rss: dict[int, float] = {}
    for cycle in range(1, args.cycles + 1):
        for spec in specs:
            runner.run(spec)
        github.clear_log()  # the fake's own request log is not serve's memory
        if cycle in (1, 10, args.cycles):
            rss[cycle] = _rss_mb()
    print(
        f"memory_idle_serve: {args.trains} trains x {args.sources} sources, {args.cycles} "
        f"cycles: RSS {rss[1]:.1f} MB at cycle 1, {rss[10]:.1f} MB at cycle 10, "
        f"{rss[args.cycles]:.1f} MB at cycle {args.cycles} ({ratio(rss[args.cycles], rss[10])}x "
        "cycle 10; includes the in-process fake GitHub)"
    )


def _runner(config: Path) -> tuple[JobRunner, list[JobSpec]]:
    settings = load_settings(config)
    metrics = Metrics()
    jobs = TrainJobs(settings=settings, metrics=metrics)
    runner = JobRunner(body=jobs, claims=_OnlyProcess(), metrics=metrics)
    trigger = WallClockCron.every_seconds(1, timezone=UTC)
    specs = [JobSpec(train=t.name, kind="sync", trigger=trigger) for t in settings.trains]
    return runner, specs


class _OnlyProcess:
    """Run claims of a process that is the only one: every fire time is its own."""

    def claim(self, job: str, fire_time: datetime) -> bool:
        return True

    def renew(self, job: str, fire_time: datetime) -> bool:
        return True

    def finish(self, job: str, fire_time: datetime, outcome: str) -> None:
        return None


def _config(
    folder: Path,
    github: FakeGitHub,
    *,
    trains: dict[str, list[str]],
    first_day: object,
    args: argparse.Namespace,
) -> Path:
    lines = [
        "[store]",
        f'url = "sqlite:///{(folder / "store.db").as_posix()}"',
        "",
        "[github]",
        f'api_url = "{github.url}"',
        f"concurrency = {args.concurrency}",
    ]
    for train, names in trains.items():
        lines += ["", "[[trains]]", f'name = "{train}"', "", "  [trains.sprint]"]
        lines += ["  length_days = 14", f'  first_day = "{first_day}"']
        for name in names:
            lines += ["", "  [[trains.sources]]", '  kind = "github"', f'  repo = "{name}"']
    path = folder / "release-train.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rss_mb() -> float:
    """This process's resident set size, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


if __name__ == "__main__":
    main()
