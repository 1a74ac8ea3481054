"""Cold `sync` of real git histories (a fresh store), as whole processes, beside git-cliff.

    .venv/bin/python benchmarks/bench_git_cold.py --pytest PATH [--since-rev 8.4.2]
        [--rails PATH] [--rails-changes 2700] [--runs 5] [--before DIR]

PATH is a clone of pytest (`git clone https://github.com/pytest-dev/pytest`) and of a large
Rails application (discourse, mastodon, rubygems.org...); a missing one is skipped, saying so.
Nothing is written to them. For each: `release-train sync` into an empty store, reading the
trunk's first-parent commits since a day (the day `--since-rev` was committed; the day of the
`--rails-changes`-th trunk commit from the tip), against `git-cliff --offline` over the same
commits (`<oldest trunk commit>^..<branch>`), and against the floor: the same sync of an empty
range (store created, nothing read from git). Before timing, both tools must see the same
work: the store holds one change per trunk commit and every commit of the range, and git-cliff
lists them (those it leaves out are named; more than one in a thousand stops the benchmark).

`--before DIR` also times, in the same rounds, the sync of another copy of the code (say
`git archive main | tar -x -C DIR`), so a change is measured against what it replaces.

Targets: pytest at most 3x git-cliff; the Rails application at most 1.5 ms per change.
The load average is printed with the figures: on a shared machine, quote ratios with it.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from harness import (
    GIT_CLIFF,
    PYTHON,
    RELEASE_TRAIN,
    compare,
    load_average,
    ratio,
    run_output,
    scratch,
    verdict,
    write_config,
)

# The command line of another checkout of the code, for --before.
_RUN_FROM = "import sys; sys.path.insert(0, {!r}); from bot.cli import main; main()"

PYTEST_TARGET = 3.0  # x git-cliff
RAILS_TARGET_MS = 1.5  # per change

# Every commit of the range, merges and unconventional ones included: one line each.
_CLIFF_CONFIG = '''
[changelog]
body = """
{% for commit in commits %}
- {{ commit.id }} {{ commit.author.name }}: {{ commit.message | split(pat="\\n") | first }}
{%- endfor %}
"""
trim = true

[git]
conventional_commits = false
filter_unconventional = false
filter_commits = false
sort_commits = "oldest"
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pytest", type=Path, help="a clone of pytest")
    parser.add_argument("--since-rev", default="8.4.2", help="pytest: read since this day")
    parser.add_argument("--rails", type=Path, help="a clone of a large Rails application")
    parser.add_argument("--rails-changes", type=int, default=2700)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout of release-train to time")
    args = parser.parse_args()
    print(f"bot from: {_bot_location()}")
    print(f"load average at start: {load_average()}")
    if _usable(args.pytest, "--pytest", "a clone of pytest"):
        when = _commit_day(args.pytest, args.since_rev)
        with scratch("git-cold") as folder:
            _run(
                folder,
                "pytest",
                args.pytest,
                when,
                runs=args.runs,
                before=args.before,
                target_ratio=PYTEST_TARGET,
            )
    if _usable(args.rails, "--rails", "a clone of a large Rails application"):
        branch = _branch(args.rails)
        nth = run_output(["git", "-C", str(args.rails), "rev-list", "--first-parent", branch])
        shas = nth.split()
        when = _commit_day(args.rails, shas[min(args.rails_changes, len(shas)) - 1])
        with scratch("git-cold") as folder:
            _run(
                folder,
                "rails",
                args.rails,
                when,
                runs=args.runs,
                before=args.before,
                target_ms=RAILS_TARGET_MS,
            )
    print(f"load average at end: {load_average()}")


def _usable(path: Path | None, option: str, what: str) -> bool:
    if path is None or not (path / ".git").exists():
        shown = "not given" if path is None else f"{path} is not a git clone"
        print(f"skipped {option}: {shown}; pass {option} PATH, {what}")
        return False
    return True


def _run(
    folder: Path,
    label: str,
    repo: Path,
    since: date,
    *,
    runs: int,
    before: Path | None = None,
    target_ratio: float | None = None,
    target_ms: float | None = None,
) -> None:
    branch = _branch(repo)
    trunk = _first_parent(repo, branch, since)
    oldest = trunk[-1]
    parents = run_output(["git", "-C", str(repo), "rev-list", "--parents", "-n1", oldest]).split()
    commit_range = f"{oldest}^..{branch}" if len(parents) > 1 else branch
    commits = int(run_output(["git", "-C", str(repo), "rev-list", "--count", commit_range]))
    cliff = folder / "cliff.toml"
    cliff.write_text(_CLIFF_CONFIG, encoding="utf-8")
    # The range goes before --repository, which takes every path that follows it.
    cliff_command = [GIT_CLIFF, "--offline", "--config", str(cliff), commit_range]
    cliff_command += ["--repository", str(repo)]

    check = _config(folder, "check", repo, branch, since)
    fresh = _config(folder, "fresh", repo, branch, since)
    floor = _config(
        folder, "floor", repo, branch, since, read_from=date.today() + timedelta(days=2)
    )
    run_output([RELEASE_TRAIN, "-c", str(check), "sync"])
    changes, recorded = _store_counts(folder / "check.db")
    listed = {
        line.split()[1] for line in run_output(cliff_command).splitlines() if line[:2] == "- "
    }
    in_range = set(run_output(["git", "-C", str(repo), "rev-list", commit_range]).split())
    assert changes == len(trunk), f"the store holds {changes} changes, not {len(trunk)}"
    assert recorded == commits, f"release-train recorded {recorded} commits, not {commits}"
    assert listed <= in_range, "git-cliff listed commits outside the range"
    # git-cliff may leave out a commit of the range (2.14 drops a few it has its own reasons
    # for): they are named, and more than one in a thousand makes the comparison meaningless.
    missed = sorted(in_range - listed)
    assert len(missed) * 1000 <= commits, f"git-cliff left out {len(missed)} of {commits}"
    note = ", as git-cliff lists them"
    if missed:
        note = f"; git-cliff leaves out {len(missed)}: {', '.join(m[:12] for m in missed)}"
    print(
        f"{label}: {repo} since {since} on {branch}: {changes} trunk changes, {commits} commits "
        f"({commit_range}); release-train records them all{note}"
    )

    commands = {
        "sync": [RELEASE_TRAIN, "-c", str(fresh), "sync"],
        "git-cliff": cliff_command,
        "floor": [RELEASE_TRAIN, "-c", str(floor), "sync"],
    }
    setup = {
        "sync": lambda: _empty_store(folder / "fresh.db"),
        "floor": lambda: _empty_store(folder / "floor.db"),
    }
    if before is not None:
        old = _config(folder, "before", repo, branch, since)
        commands["before"] = [PYTHON, "-c", _RUN_FROM.format(str(before)), "-c", str(old), "sync"]
        setup["before"] = lambda: _empty_store(folder / "before.db")
    figures = compare(commands, runs=runs, before=setup)
    sync, baseline, empty = (figures[k].median for k in ("sync", "git-cliff", "floor"))
    per_change = sync * 1000 / changes
    line = (
        f"cold_sync_{label}: release-train {sync:.3f} s, git-cliff {baseline:.3f} s, "
        f"ratio {ratio(sync, baseline)}; {per_change:.2f} ms per change"
    )
    if target_ratio is not None:
        line += f" (target <= {target_ratio:g}x: {verdict(sync <= target_ratio * baseline)})"
    if target_ms is not None:
        line += f" (target <= {target_ms:g} ms per change: {verdict(per_change <= target_ms)})"
    print(line)
    print(
        f"floor_{label}: the same sync of an empty range {empty:.3f} s "
        f"(ratio {ratio(empty, baseline)} to git-cliff); reading and recording the "
        f"{changes} changes adds {sync - empty:.3f} s ({(sync - empty) * 1000 / changes:.2f} ms "
        "per change)"
    )
    if before is not None:
        old_sync = figures["before"].median
        print(
            f"before_{label}: release-train from {before} {old_sync:.3f} s, ratio "
            f"{ratio(old_sync, baseline)} to git-cliff, {old_sync * 1000 / changes:.2f} ms per "
            f"change; now {ratio(sync, old_sync)}x of it"
        )
    print(
        f"peak_memory_{label}: sync {figures['sync'].peak_mb:.0f} MB, "
        f"git-cliff {figures['git-cliff'].peak_mb:.0f} MB"
    )
    print(
        f"runs: {runs} each (medians), interleaved, after one warm-up; "
        f"load average {load_average()}"
    )


def _config(
    folder: Path, name: str, repo: Path, branch: str, since: date, *, read_from: date | None = None
) -> Path:
    return write_config(
        folder / f"{name}.toml",
        store=folder / f"{name}.db",
        repo=repo,
        first_day=since,
        length_days=14,
        since=read_from or since,
        branch=branch,
    )


def _first_parent(repo: Path, branch: str, since: date) -> list[str]:
    """The trunk commits a first sync reads: first-parent, committed since midnight UTC."""
    moment = int(datetime.combine(since, datetime.min.time(), tzinfo=UTC).timestamp())
    out = run_output(
        ["git", "-C", str(repo), "rev-list", "--first-parent", f"--max-age={moment}", branch]
    )
    return out.split()


def _commit_day(repo: Path, rev: str) -> date:
    stamp = run_output(["git", "-C", str(repo), "log", "-1", "--format=%ct", rev]).strip()
    return datetime.fromtimestamp(int(stamp), tz=UTC).date()


def _branch(repo: Path) -> str:
    return run_output(["git", "-C", str(repo), "symbolic-ref", "--short", "HEAD"]).strip()


def _store_counts(store: Path) -> tuple[int, int]:
    with sqlite3.connect(store) as db:
        changes = db.execute("select count(*) from changes").fetchone()[0]
        commits = db.execute("select count(*) from change_commits").fetchone()[0]
    return int(changes), int(commits)


def _empty_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _bot_location() -> str:
    out = subprocess.run(
        [PYTHON, "-c", "import bot; print(bot.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


if __name__ == "__main__":
    main()
