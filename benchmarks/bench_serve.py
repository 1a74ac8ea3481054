"""Inside `serve`: an idle sync cycle over 200 GitHub repositories, and memory over 100 cycles.

    .venv/bin/python benchmarks/bench_serve.py [--repos N] [--latency S] [--concurrency N]
        [--idle-runs N] [--trains N] [--sources N] [--cycles N]

Both parts run the scheduled job as `serve` does (the job runner around the sync job body,
which opens the train's runtime and runs the train's sync), in this process, so neither the
interpreter's start nor the imports are counted, as they are not in a running `serve`. The
fake GitHub of the test suite runs in a process of its own, so its request handling neither
shares this process's interpreter lock nor counts in its memory.

1. Idle cycle: `repos` repositories, every answer held `latency`; after a first sync, idle
   syncs (nothing changed) are timed. Target: `repos` requests, all 304, wall time <= 1.1x the
   floor ceil(repos / concurrency) x latency.
2. Memory: `trains` trains of `sources` GitHub repositories each (no added latency), synced in
   `cycles` idle cycles (every train once per cycle); this process's resident set size (VmRSS)
   at cycles 1, 10 and the last, and the last against cycle 10 (flat is about 1.0).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from harness import REPO_ROOT, load_average, ratio, scratch, verdict

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
    first_day = (datetime.now(UTC) - timedelta(days=3)).date()
    with scratch("serve-idle") as folder:
        idle_cycle(folder, args, first_day=first_day)
    with scratch("serve-memory") as folder:
        memory(folder, args, first_day=first_day)


def idle_cycle(folder: Path, args: argparse.Namespace, *, first_day: date) -> None:
    github = RemoteGitHub(latency=args.latency, repos=args.repos, first_day=first_day)
    try:
        trains = {"bench": github.names}
        runner, specs = _runner(_config(folder, github.url, trains, first_day, args))
        floor = math.ceil(args.repos / args.concurrency) * args.latency
        print(
            f"setup: {args.repos} repositories, {args.latency * 1000:.0f} ms per request, "
            f"concurrency {args.concurrency}, floor {floor:.3f} s"
        )
        runner.run(specs[0])  # the first sync: everything is new
        walls, spans, counts = [], [], set()
        for _ in range(args.idle_runs):
            github.clear_log()
            start = time.perf_counter()
            runner.run(specs[0])
            walls.append(time.perf_counter() - start)
            requests, not_modified, span = github.counts()
            counts.add((requests, not_modified))
            spans.append(span)
    finally:
        github.close()
    wall, span = statistics.median(walls), statistics.median(spans)
    one_each = counts == {(args.repos, args.repos)}
    print(
        f"idle_cycle_in_serve: {sorted(counts)} (requests, 304s) per cycle, wall median "
        f"{wall:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}) = {ratio(wall, floor)}x "
        f"floor, of which the HTTP span {span:.3f} s ({ratio(span, floor)}x floor); target "
        f"{args.repos} requests all 304 and wall <= {TARGET}x floor: "
        f"{verdict(one_each and wall <= TARGET * floor)}; load average " + load_average()
    )


def memory(folder: Path, args: argparse.Namespace, *, first_day: date) -> None:
    repos = args.trains * args.sources
    github = RemoteGitHub(latency=0.0, repos=repos, first_day=first_day)
    rss: dict[int, float] = {}
    try:
        names = github.names
        trains = {
            f"train-{t:02d}": names[t * args.sources : (t + 1) * args.sources]
            for t in range(args.trains)
        }
        runner, specs = _runner(_config(folder, github.url, trains, first_day, args))
        for cycle in range(1, args.cycles + 1):
            for spec in specs:
                runner.run(spec)
            github.clear_log()
            if cycle in (1, 10, args.cycles):
                rss[cycle] = _rss_mb()
    finally:
        github.close()
    print(
        f"memory_idle_serve: {args.trains} trains x {args.sources} sources, {args.cycles} "
        f"cycles: RSS {rss[1]:.1f} MB at cycle 1, {rss[10]:.1f} MB at cycle 10, "
        f"{rss[args.cycles]:.1f} MB at cycle {args.cycles} "
        f"({ratio(rss[args.cycles], rss[10])}x cycle 10)"
    )


Populate = Callable[[FakeGitHub, int, date], list[str]]


def _polling_repos(github: FakeGitHub, repos: int, first_day: date) -> list[str]:
    return _populate(github, repos=repos, first_day=first_day)


class RemoteGitHub:
    """The fake GitHub in a process of its own, driven through a pipe; `populate` (a module-level
    function, so the new process can import it) fills it with repositories."""

    def __init__(
        self, *, latency: float, repos: int, first_day: date, populate: Populate = _polling_repos
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._proc = context.Process(
            target=_serve_fake, args=(child, latency, repos, first_day, populate), daemon=True
        )
        self._proc.start()
        self.url, self.names = self._conn.recv()

    def _ask(self, command: str) -> Any:
        self._conn.send(command)
        return self._conn.recv()

    def clear_log(self) -> None:
        self._ask("clear")

    def counts(self) -> tuple[int, int, float]:
        """Requests, how many were 304, and the span from the first request in to the last
        answer out, since the log was last cleared."""
        requests, not_modified, span = self._ask("count")
        return int(requests), int(not_modified), float(span)

    def max_in_flight(self) -> int:
        """The most requests the fake held at once since the log was last cleared."""
        return int(self._ask("in_flight"))

    def close(self) -> None:
        self._ask("stop")
        self._proc.join(10)


def _serve_fake(
    conn: Connection, latency: float, repos: int, first_day: date, populate: Populate
) -> None:
    with running(latency=latency, validate=False) as github:
        names = populate(github, repos, first_day)
        conn.send((github.url, names))
        while (command := conn.recv()) != "stop":
            if command == "clear":
                github.clear_log()
                github.max_in_flight = 0
                conn.send(None)
            elif command == "in_flight":
                conn.send(github.max_in_flight)
            else:
                logged = github.api_requests()
                span = max((r.finished for r in logged), default=0.0) - min(
                    (r.started for r in logged), default=0.0
                )
                conn.send((len(logged), sum(1 for r in logged if r.status == 304), span))
        conn.send(None)


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
    api_url: str,
    trains: dict[str, list[str]],
    first_day: date,
    args: argparse.Namespace,
) -> Path:
    lines = ["[store]", f'url = "sqlite:///{(folder / "store.db").as_posix()}"', ""]
    lines += ["[github]", f'api_url = "{api_url}"', f"concurrency = {args.concurrency}"]
    for train, names in trains.items():
        lines += ["", "[[trains]]", f'name = "{train}"', "", "  [trains.sprint]"]
        lines += ["  length_days = 14", f'  first_day = "{first_day.isoformat()}"']
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
