"""What polling GitLab costs: requests and wall time of first, idle and active syncs.

    .venv/bin/python benchmarks/bench_gitlab_poll.py [--projects N] [--merges N] [--latency MS]

The fake GitLab of the tests (a real HTTP server on loopback, with injected per-request
latency standing in for the network) holds N projects with M merged requests each, some
fast-forwarded, plus direct pushes. The product's gitlab source gathers every project through
one shared client from a thread pool, as the sync service does, three times: from nothing,
idle (nothing changed), and active (one new merge per project). Targets: an idle poll costs
one request per project, and an idle poll of 20 projects at 20 ms latency takes under 1 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' fake GitLab

from harness import verdict

from bot.adapters.sources.gitlab import GitLabClient, GitLabSource
from bot.domain.model import SourceBatch
from tests.fakes.gitlab import FakeGitLab

MIGRATIONS = ("**/migrations/**",)


def populate(fake: FakeGitLab, *, projects: int, merges: int) -> None:
    """Projects with merged requests (every fifth fast-forwarded) and a push every tenth."""
    start = datetime.now(UTC) - timedelta(days=5)
    for p in range(projects):
        project = fake.add_project(f"acme/group/p{p}", start=start - timedelta(days=1))
        for n in range(merges):
            when = start + timedelta(minutes=n)
            project.merge_request(
                f"feat: change {n}",
                at=when,
                method="ff" if n % 5 == 0 else "merge",
                files={f"src/m{n}.py": "x\n", f"db/migrations/{n:04}.sql": "SELECT 1;\n"},
            )
            if n % 10 == 0:
                project.push(f"fix: direct {n}", at=when + timedelta(seconds=30))


def poll(
    sources: list[GitLabSource], cursors: dict[str, str | None], since: datetime
) -> tuple[float, int]:
    """Gather every source at once; returns seconds and changes, and moves the cursors."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        batches: list[SourceBatch] = list(
            pool.map(lambda s: s.gather(cursor=cursors[s.name], since=since), sources)
        )
    for batch in batches:
        cursors[batch.source] = batch.cursor
    return time.perf_counter() - started, sum(len(b.changes) for b in batches)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--merges", type=int, default=50)
    parser.add_argument("--latency", type=float, default=20.0, help="per request, in ms")
    args = parser.parse_args()
    since = datetime.now(UTC) - timedelta(days=7)
    with FakeGitLab() as fake:
        populate(fake, projects=args.projects, merges=args.merges)
        fake.latency = args.latency / 1000
        client = GitLabClient(url=fake.url, token=fake.token, concurrency=8)
        sources = [
            GitLabSource(
                name=project.path.rsplit("/", 1)[-1],
                project=project.path,
                branch=None,
                paths=(),
                migration_paths=MIGRATIONS,
                client=client,
            )
            for project in fake.projects.values()
        ]
        cursors: dict[str, str | None] = {s.name: None for s in sources}
        try:
            rows = [("first", *poll(sources, cursors, since), len(fake.served()))]
            fake.clear_log()
            rows.append(("idle", *poll(sources, cursors, since), len(fake.served())))
            for project in fake.projects.values():
                project.merge_request("feat: one more", at=datetime.now(UTC))
            fake.clear_log()
            rows.append(("active", *poll(sources, cursors, since), len(fake.served())))
        finally:
            client.close()
    print(
        f"{args.projects} projects x {args.merges} merges, {args.latency:.0f} ms per request, "
        "concurrency 8"
    )
    for name, seconds, changes, requests in rows:
        print(
            f"  {name:<7} {seconds * 1000:8.0f} ms  {requests:6} requests  {changes:6} changes  "
            f"({requests / args.projects:.1f} requests per project)"
        )
    idle_requests, idle_seconds = rows[1][3], rows[1][1]
    ok_requests = idle_requests == args.projects
    print(
        f"idle poll: {idle_requests} requests for {args.projects} projects  {verdict(ok_requests)}"
    )
    ok_time = idle_seconds < 1.0 or args.projects > 20 or args.latency > 20
    print(f"idle poll: {idle_seconds * 1000:.0f} ms (target under 1 s)  {verdict(ok_time)}")
    return 0 if ok_requests else 1


if __name__ == "__main__":
    sys.exit(main())
