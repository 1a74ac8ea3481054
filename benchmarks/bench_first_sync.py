"""Inside `serve`: the first sync of 200 GitHub repositories of 2 pull requests each, at 50 ms.

    .venv/bin/python benchmarks/bench_first_sync.py [--repos N] [--pulls N] [--latency S]
        [--concurrency N] [--runs N]

The scheduled sync job runs as `serve` runs it (the job runner around the job body, which opens
the train's runtime and syncs it), in this process, against an empty store each run; the fake
GitHub of the test suite runs in a process of its own (every answer held `latency`), so its
request handling shares neither this process's interpreter lock nor its cores' accounting.

Each repository has `pulls` merged pull requests (squash and merge commits, so every trunk
commit belongs to one) and no configured branch, so a first sync reads, per repository: the
repository (its default branch), the branch, one page of pull requests, one page of trunk
commits and each pull request's files: 3 + `pulls` + 1 requests, 1,200 for the defaults.

Figures: requests, the most the fake held at once, the HTTP span (first request in to last
answer out) and the job's wall time, each against the floor requests / concurrency x latency
(every slot busy all the time). Target: wall <= 1.5x that floor. The load average is printed
beside it: on a shared machine the ratio moves with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from harness import REPO_ROOT, load_average, ratio, scratch, verdict

sys.path.insert(0, str(REPO_ROOT))  # the fake GitHub lives with the tests

from bench_serve import RemoteGitHub, _config, _runner

from tests.fakes.github import TOKEN, FakeFile, FakeGitHub

TARGET = 1.5
PULLS = 2  # per repository; read by the fake's process, which gets no arguments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["RELEASE_TRAIN_GITHUB__TOKEN"] = TOKEN
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    first_day = (datetime.now(UTC) - timedelta(days=3)).date()
    github = RemoteGitHub(
        latency=args.latency, repos=args.repos, first_day=first_day, populate=populate
    )
    walls: list[float] = []
    spans: list[float] = []
    counts: set[tuple[int, int]] = set()
    try:
        for run in range(args.runs):
            with scratch(f"first-sync-{run}") as folder:
                runner, specs = _runner(
                    _config(folder, github.url, {"bench": github.names}, first_day, args)
                )
                github.clear_log()
                start = time.perf_counter()
                runner.run(specs[0])
                walls.append(time.perf_counter() - start)
                requests, _not_modified, span = github.counts()
                spans.append(span)
                counts.add((requests, github.max_in_flight()))
    finally:
        github.close()
    requests = max(r for r, _ in counts)
    floor = requests / args.concurrency * args.latency
    wall, span = statistics.median(walls), statistics.median(spans)
    load = load_average()
    print(
        f"setup: {args.repos} repositories x {PULLS} pull requests, {args.latency * 1000:.0f} ms "
        f"per request, concurrency {args.concurrency}, {args.runs} runs"
    )
    print(
        f"first_sync_in_serve: {sorted(counts)} (requests, most in flight) per run; floor "
        f"{floor:.3f} s; wall median {wall:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}) "
        f"= {ratio(wall, floor)}x floor, of which the HTTP span {span:.3f} s "
        f"({ratio(span, floor)}x floor); target wall <= {TARGET}x floor: "
        f"{verdict(wall <= TARGET * floor)}; load average {load}"
    )


def populate(github: FakeGitHub, repos: int, first_day: date) -> list[str]:
    """`repos` repositories with PULLS merged pull requests each (run in the fake's process)."""
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    names = [f"acme/first-{n:03d}" for n in range(repos)]
    for name in names:
        repo = github.add_repo(name)
        for step in range(PULLS):
            repo.merge_pull(
                f"feat: change {step}",
                merged_at=start + timedelta(minutes=10 * step),
                method=("squash", "merge")[step % 2],
                files=[FakeFile(f"src/module_{step}.py", added=5)],
            )
    return names


if __name__ == "__main__":
    main()
