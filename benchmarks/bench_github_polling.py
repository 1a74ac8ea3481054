"""Polling GitHub through `release-train sync`: 200 repositories behind a fake GitHub at 50 ms.

    .venv/bin/python benchmarks/bench_github_polling.py [--repos N] [--latency S]
        [--concurrency N] [--idle-runs N]

The fake GitHub of the test suite (a local HTTP server; every request waits `latency`) holds
`repos` repositories with a few merged pull requests and a direct push each. Whole
`release-train sync` processes run against it: a first sync, then idle syncs (nothing
changed), then an active sync (one pull request merged in a tenth of the repositories). Each
line gives the requests made, how many were 304, the process's wall time and the span of its
HTTP traffic (first request in to last answer out), against the floor
ceil(repos / concurrency) x latency. Target for the idle sync: one request per repository,
all 304, wall time within 1.5x the floor. Both readings of "wall time" are judged: the HTTP span,
and the whole process (which adds the interpreter, imports, the store and the report).

Then git-cliff's GitHub integration (`[remote.github]` pointed at the same fake) runs twice
over one repository, and its requests are compared with what an idle sync costs there.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from harness import GIT_CLIFF, RELEASE_TRAIN, REPO_ROOT, clean_environment, ratio, scratch, verdict

sys.path.insert(0, str(REPO_ROOT))  # the fake GitHub lives with the tests

from tests.fakes.github import TOKEN, FakeFile, FakeGitHub, LoggedRequest, running

TARGET = 1.5


@dataclass(frozen=True)
class Phase:
    """One whole sync process and the traffic it made."""

    seconds: float
    requests: list[LoggedRequest]

    @property
    def not_modified(self) -> int:
        return sum(1 for r in self.requests if r.status == 304)

    @property
    def http_span(self) -> float:
        if not self.requests:
            return 0.0
        return max(r.finished for r in self.requests) - min(r.started for r in self.requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--idle-runs", type=int, default=3)
    args = parser.parse_args()
    with scratch("github") as folder, running(latency=args.latency, validate=False) as github:
        run(folder, github, args)


def run(folder: Path, github: FakeGitHub, args: argparse.Namespace) -> None:
    first_day = (datetime.now(UTC) - timedelta(days=3)).date()
    names = _populate(github, repos=args.repos, first_day=first_day)
    config = _config(folder, github, names=names, first_day=first_day, concurrency=args.concurrency)
    floor = math.ceil(args.repos / args.concurrency) * args.latency
    print(
        f"setup: {args.repos} repositories, {args.latency * 1000:.0f} ms per request, "
        f"concurrency {args.concurrency}, floor {floor:.3f} s"
    )

    first = _sync(config, github)
    _report("first_sync", first, args=args)
    idle = [_sync(config, github) for _ in range(args.idle_runs)]
    for phase in idle:
        assert phase.requests, "the idle sync made no request at all"
    span = statistics.median(p.http_span for p in idle)
    wall = statistics.median(p.seconds for p in idle)
    counts = {(len(p.requests), p.not_modified) for p in idle}
    one_each = counts == {(args.repos, args.repos)}
    met = verdict(one_each and span <= TARGET * floor)
    met_wall = verdict(one_each and wall <= TARGET * floor)
    print(
        f"idle_sync: {sorted(counts)} (requests, 304s) per run, http span {span:.3f} s "
        f"({ratio(span, floor)}x floor), process wall {wall:.3f} s ({ratio(wall, floor)}x floor); "
        f"target {args.repos} requests all 304 and span <= {TARGET}x floor: {met}; "
        f"whole process <= {TARGET}x floor: {met_wall}"
    )
    moved = names[:: max(1, len(names) // 10)]
    for name in moved:
        github.repos[name].merge_pull(
            "feat: one more", merged_at=datetime.now(UTC) - timedelta(minutes=1)
        )
    active = _sync(config, github)
    _report(f"active_sync ({len(moved)} repositories moved)", active, args=args)
    print(f"active_sync_requests: {_by_endpoint(active.requests)}")
    _git_cliff(folder, github, name=names[0], idle=idle[-1])


def _populate(github: FakeGitHub, *, repos: int, first_day: date) -> list[str]:
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    names = [f"acme/svc-{n:03d}" for n in range(repos)]
    for name in names:
        repo = github.add_repo(name)
        for step in range(3):
            repo.merge_pull(
                f"feat: change {step}",
                merged_at=start + timedelta(minutes=10 * step),
                method=("squash", "merge", "rebase")[step],
                files=[FakeFile(f"src/module_{step}.py", added=5)],
            )
        repo.push("fix: hot patch", at=start + timedelta(hours=1))
    return names


def _config(
    folder: Path, github: FakeGitHub, *, names: list[str], first_day: date, concurrency: int
) -> Path:
    lines = [
        "[store]",
        f'url = "sqlite:///{(folder / "store.db").as_posix()}"',
        "",
        "[github]",
        f'api_url = "{github.url}"',
        f"concurrency = {concurrency}",
        "",
        "[[trains]]",
        'name = "bench"',
        "",
        "  [trains.sprint]",
        "  length_days = 14",
        f'  first_day = "{first_day.isoformat()}"',
    ]
    for name in names:
        lines += ["", "  [[trains.sources]]", '  kind = "github"', f'  repo = "{name}"']
    path = folder / "release-train.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sync(config: Path, github: FakeGitHub) -> Phase:
    env = {**clean_environment(), "RELEASE_TRAIN_GITHUB__TOKEN": TOKEN}
    github.clear_log()
    start = time.perf_counter()
    proc = subprocess.run(
        [RELEASE_TRAIN, "-c", str(config), "sync"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"sync exited {proc.returncode}: {proc.stderr[-2000:]}")
    return Phase(seconds=seconds, requests=github.api_requests())


def _report(label: str, phase: Phase, *, args: argparse.Namespace) -> None:
    """One sync's figures; its floor is what its requests need at full concurrency."""
    floor = math.ceil(len(phase.requests) / args.concurrency) * args.latency
    print(
        f"{label}: {len(phase.requests)} requests, {phase.not_modified} were 304, "
        f"http span {phase.http_span:.3f} s ({ratio(phase.http_span, floor)}x the {floor:.3f} s "
        f"those requests need at full concurrency), process wall {phase.seconds:.3f} s"
    )


def _by_endpoint(requests: list[LoggedRequest]) -> str:
    counts: Counter[str] = Counter()
    for request in requests:
        parts = request.path.split("/")
        tail = "/".join("{n}" if p.isdigit() or len(p) == 40 else p for p in parts[4:])
        counts[f"{tail or 'repo'} {request.status}"] += 1
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))


def _git_cliff(folder: Path, github: FakeGitHub, *, name: str, idle: Phase) -> None:
    """git-cliff's GitHub integration over one repository, run twice."""
    local = folder / "cliff-repo"
    env = {**clean_environment(), "GITHUB_TOKEN": TOKEN, "XDG_CACHE_HOME": str(folder / "cache")}
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-C", str(local)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(local)], check=True, env=env)
    for message in ("feat: change 0", "feat: change 1", "fix: hot patch"):
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", message], check=True, env=env)
    owner, repo = name.split("/")
    cliff = folder / "cliff.toml"
    cliff.write_text(
        "[changelog]\n"
        'body = """\n{% for commit in commits %}- {{ commit.message }}\n{% endfor %}"""\n\n'
        "[remote.github]\n"
        f'owner = "{owner}"\nrepo = "{repo}"\napi_url = "{github.url}"\n',
        encoding="utf-8",
    )
    command = [GIT_CLIFF, "--config", str(cliff), "--repository", str(local)]
    runs: list[Phase] = []
    for _ in range(2):
        github.clear_log()
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        runs.append(Phase(seconds=time.perf_counter() - start, requests=github.api_requests()))
    ours = [r for r in idle.requests if f"/repos/{name}/" in r.path]
    for label, phase in zip(("first", "repeated"), runs, strict=True):
        conditional = sum(1 for r in phase.requests if "if-none-match" in r.headers)
        print(
            f"git_cliff_{label}_run ({name}): {len(phase.requests)} requests, "
            f"{phase.not_modified} were 304, {conditional} conditional, {phase.seconds:.3f} s"
        )
    print(
        f"repeated_run_requests ({name}): git-cliff {len(runs[1].requests)} "
        f"({runs[1].not_modified} were 304), release-train idle sync {len(ours)} "
        f"({sum(1 for r in ours if r.status == 304)} were 304)"
    )


if __name__ == "__main__":
    main()
