"""Release notes over a 1,000-change trunk, as whole processes, against git-cliff on the same range.

    .venv/bin/python benchmarks/bench_notes_vs_git_cliff.py [--changes N] [--runs N]

(a) `release-train notes` with the store already synced; (b) the full job, `sync` from an
empty store and then `notes`; (c) `git-cliff --offline` over the same repository with a
minimal config grouping by conventional type. Target: (a) at most 0.5x (c). Also timed, as the
floor of (a): Python importing the libraries `notes` cannot do without, and nothing else.
"""

from __future__ import annotations

import argparse
import re
import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from harness import (
    GIT_CLIFF,
    PYTHON,
    RELEASE_TRAIN,
    compare,
    ratio,
    run_output,
    scratch,
    verdict,
    write_config,
)
from history import build_history

TARGET = 0.5
# The floor for any notes on this stack: starting Python and importing the libraries every
# `notes` needs (the store, the settings, the templates, the command line), doing nothing.
_FLOOR_IMPORTS = "import sqlalchemy, pydantic_settings, jinja2, click"

# One line per conventional commit, grouped by type, like the notes' sections.
_CLIFF_CONFIG = '''
[changelog]
header = "# Changelog\\n"
body = """
{% for group, commits in commits | group_by(attribute="group") %}
## {{ group }}
{% for commit in commits %}
- {% if commit.scope %}{{ commit.scope }}: {% endif %}{{ commit.message }} \\
({{ commit.id | truncate(length=7, end="") }}, {{ commit.author.name }})
{%- endfor %}
{% endfor %}
"""
footer = ""
trim = true

[git]
conventional_commits = true
filter_unconventional = true
split_commits = false
filter_commits = false
sort_commits = "oldest"
commit_parsers = [
  { message = "^feat", group = "Features" },
  { message = "^fix", group = "Fixes" },
  { message = "^perf", group = "Performance" },
  { message = ".*", group = "Other" },
]
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with scratch("notes") as folder:
        run(folder, changes=args.changes, runs=args.runs)


def run(folder: Path, *, changes: int, runs: int) -> None:
    repo = folder / "repo"
    now = datetime.now(UTC)
    history = build_history(repo, changes=changes, start=now - timedelta(days=2))
    first_day = (history.first - timedelta(days=1)).date()
    cliff = folder / "cliff.toml"
    cliff.write_text(_CLIFF_CONFIG, encoding="utf-8")
    synced = _config(folder, "synced", repo=repo, first_day=first_day)
    fresh = _config(folder, "fresh", repo=repo, first_day=first_day)
    fresh_store = folder / "fresh.db"

    run_output([RELEASE_TRAIN, "-c", str(synced), "sync"])
    _check_notes(run_output([RELEASE_TRAIN, "-c", str(synced), "notes"]), changes)
    cliff_command = [GIT_CLIFF, "--offline", "--config", str(cliff), "--repository", str(repo)]
    _check_cliff(run_output(cliff_command), changes)

    figures = compare(
        {
            "notes": [RELEASE_TRAIN, "-c", str(synced), "notes"],
            "git-cliff": cliff_command,
            "sync": [RELEASE_TRAIN, "-c", str(fresh), "sync"],
            "fresh-notes": [RELEASE_TRAIN, "-c", str(fresh), "notes"],
            "floor": [PYTHON, "-c", _FLOOR_IMPORTS],
        },
        runs=runs,
        before={"sync": lambda: _empty_store(fresh_store)},
    )
    notes, baseline = figures["notes"].median, figures["git-cliff"].median
    job_runs = [
        s.seconds + n.seconds
        for s, n in zip(figures["sync"].samples, figures["fresh-notes"].samples, strict=True)
    ]
    job = statistics.median(job_runs)
    label = f"{changes}_commits"
    met = verdict(notes <= TARGET * baseline)
    print(
        f"notes_{label}: release-train {notes:.3f} s, git-cliff {baseline:.3f} s, "
        f"ratio {ratio(notes, baseline)} (target <= {TARGET}: {met})"
    )
    print(
        f"sync_and_notes_{label}: release-train {job:.3f} s "
        f"(sync {figures['sync'].median:.3f} s + notes {figures['fresh-notes'].median:.3f} s), "
        f"git-cliff {baseline:.3f} s, ratio {ratio(job, baseline)}"
    )
    floor = figures["floor"].median
    print(
        f"floor_imports: python -c '{_FLOOR_IMPORTS}' {floor:.3f} s, "
        f"ratio {ratio(floor, baseline)} to git-cliff; notes spends {notes - floor:.3f} s beyond it"
    )
    print(
        f"peak_memory_{label}: notes {figures['notes'].peak_mb:.0f} MB, "
        f"sync {figures['sync'].peak_mb:.0f} MB, git-cliff {figures['git-cliff'].peak_mb:.0f} MB"
    )
    print(f"runs: {runs} each (medians), interleaved, after one warm-up")


def _config(folder: Path, name: str, *, repo: Path, first_day: date) -> Path:
    return write_config(
        folder / f"{name}.toml",
        store=folder / f"{name}.db",
        repo=repo,
        first_day=first_day,
        length_days=14,
        since=first_day,
    )


def _empty_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_notes(text: str, changes: int) -> None:
    """The notes must list every change, or the comparison is meaningless."""
    found = re.search(r"^(\d+) changes", text, re.MULTILINE)
    assert found is not None, f"no change count in the notes:\n{text[:500]}"
    assert int(found[1]) == changes, f"the notes hold {found[1]} changes, not {changes}"


def _check_cliff(text: str, changes: int) -> None:
    """git-cliff must list one entry per trunk change (it skips the unconventional commits)."""
    entries = sum(1 for line in text.splitlines() if line.startswith("- "))
    assert entries == changes, f"git-cliff listed {entries} entries, not {changes}"


if __name__ == "__main__":
    main()
