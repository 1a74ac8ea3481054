"""A train of 10,000 changes: `release-train notes` as a whole process, and where its time goes.

    .venv/bin/python benchmarks/bench_big_train.py [--changes N] [--runs N] [--profile]

The store (SQLite) is filled in this process by the product's own sync service, fed by a
synthetic source (see synthetic.py), so every change is classified and recorded as a real sync
would. Then `notes` runs as a whole process against `python -c pass`, with its peak memory, and
its pieces are timed in this process. Targets: notes under 1 s, peak memory under 200 MB.
`--profile` adds the top functions of one in-process `notes` run (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import (
    PYTHON,
    RELEASE_TRAIN,
    clean_environment,
    compare,
    scratch,
    verdict,
    write_config,
)
from import_report import import_times, summarise
from synthetic import SyntheticSource

from bot.bootstrap import open_train
from bot.bootstrap.build import build_renderer
from bot.services.notes.context import build_notes_context
from bot.services.sync.record import SourceSpec, SyncService
from bot.settings import Settings, TrainSettings, load_settings

TARGET_SECONDS = 1.0
TARGET_MB = 200
# What `notes` imports before it does any work, timed in a fresh interpreter.
_IMPORTS = (
    "import time; t = time.perf_counter(); "
    "import bot.cli, bot.commands.notes, bot.bootstrap, bot.settings, bot.adapters.store, "
    "bot.adapters.renderer, bot.services.notes.context, bot.services.notes.render; "
    "print(time.perf_counter() - t)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with scratch("big-train") as folder:
        run(folder, changes=args.changes, runs=args.runs, profile=args.profile)


def run(folder: Path, *, changes: int, runs: int, profile: bool) -> None:
    now = datetime.now(UTC)
    config = write_config(
        folder / "bench.toml",
        store=folder / "store.db",
        repo=None,
        first_day=(now - timedelta(days=5)).date(),
        length_days=30,
    )
    settings = load_settings(config, environ={})
    train = settings.train(None)
    fill_seconds = fill_store(settings, train, changes=changes, now=now)
    label = f"{changes}_changes"
    print(f"fill_{label}: sync service (classify + record) {fill_seconds:.3f} s, in process")

    figures = compare(
        {"notes": [RELEASE_TRAIN, "-c", str(config), "notes"], "python": [PYTHON, "-c", "pass"]},
        runs=runs,
    )
    notes, bare = figures["notes"].median, figures["python"].median
    peak = figures["notes"].peak_mb
    print(
        f"notes_{label}: release-train {notes:.3f} s, python -c pass {bare:.3f} s, "
        f"overhead {notes - bare:.3f} s (target < {TARGET_SECONDS:.0f} s: "
        f"{verdict(notes < TARGET_SECONDS)})"
    )
    print(
        f"peak_memory_notes_{label}: {peak:.0f} MB "
        f"(target < {TARGET_MB} MB: {verdict(peak < TARGET_MB)})"
    )
    print(f"runs: {runs} each (medians), interleaved, after one warm-up")
    pieces(settings, train, config=config, runs=runs, changes=changes)
    summarise("notes", import_times(["-c", str(config), "notes"], report=folder / "importtime.txt"))
    if profile:
        profile_notes(config)


def fill_store(settings: Settings, train: TrainSettings, *, changes: int, now: datetime) -> float:
    """Sync `changes` synthetic changes of the current sprint into the store; returns seconds."""
    with open_train(settings, train) as runtime:
        calendar = runtime.calendar
        sprint = calendar.sprint_for(now)
        assert sprint is not None, "the benchmark's sprint must hold the current date"
        source = SyntheticSource(
            name="app", count=changes, first=sprint.start + timedelta(hours=1), last=now
        )
        service = SyncService(
            train=train.name,
            store=runtime.store,
            sources=[SourceSpec(source=source, since=sprint.start)],
            calendar=calendar,
            policy=runtime.policy,
            clock=runtime.clock,
        )
        start = time.perf_counter()
        outcome = service.run(dry_run=False)
        seconds = time.perf_counter() - start
    assert len(outcome.new_ids) == changes, f"recorded {len(outcome.new_ids)} of {changes}"
    return seconds


def pieces(
    settings: Settings, train: TrainSettings, *, config: Path, runs: int, changes: int
) -> None:
    """Time what `notes` does, step by step, in this process (medians of `runs`)."""
    imports = statistics.median(_fresh_import_seconds() for _ in range(runs))
    print(f"piece_imports: {imports:.3f} s (a fresh interpreter importing what notes needs)")
    _piece("settings_load", runs, lambda: load_settings(config, environ={}))
    view = _store_pieces(settings, train, runs=runs, label=f"{changes}_changes")
    assert view.sprint is not None and len(view.changes) == changes
    context = _piece(
        "build_notes_context",
        runs,
        lambda: build_notes_context(
            train=train.name,
            sprint=view.sprint,
            changes=view.changes,
            ticket=None,
            draft=view.draft,
            tz=train.tz,
        ),
    )
    renderer = _piece("renderer_setup", runs, lambda: build_renderer(settings))
    for fmt in ("markdown", "slack", "jira"):
        text = _piece(
            f"render_{fmt}", runs, lambda fmt=fmt: renderer.render_notes(context=context, fmt=fmt)
        )
        print(f"  ({fmt}: {len(text) / 1024:.0f} KiB, {text.count(chr(10))} lines)")


def _store_pieces(settings: Settings, train: TrainSettings, *, runs: int, label: str) -> Any:
    """Open the store, read the sprint's changes (with and without the collector), the view."""
    _piece("store_open_and_check", runs, lambda: _opened(settings, train))
    with open_train(settings, train, read_only=True) as runtime:
        store = runtime.store
        current = runtime.calendar.sprint_for(datetime.now(UTC))
        assert current is not None, "the benchmark's sprint must hold the current date"
        sprint = current.name
        _piece(
            f"store_read_{label}",
            runs,
            lambda: store.changes_for_sprint(train=train.name, sprint=sprint),
        )
        # The store pauses the cyclic garbage collector while rows become objects; what is
        # left of the collector's share, if anything:
        gc.disable()
        try:
            _piece(
                f"store_read_{label}_without_gc",
                runs,
                lambda: store.changes_for_sprint(train=train.name, sprint=sprint),
            )
        finally:
            gc.enable()
        # What notes, status and the sync report read: no files, messages, commits or body.
        _piece(
            f"store_lean_read_{label}",
            runs,
            lambda: store.changes_for_sprint(train=train.name, sprint=sprint, details=False),
        )
        return _piece("current_view", runs, lambda: runtime.views.read())


def profile_notes(config: Path, *, top: int = 25) -> None:
    """One `notes` run in this process under cProfile; the top functions, both orders."""
    from bot.cli import main as cli_main

    argv, sys.argv = sys.argv, ["release-train", "-c", str(config), "notes"]
    profiler = cProfile.Profile()
    try:
        with redirect_stdout(io.StringIO()):
            profiler.runcall(cli_main)
    finally:
        sys.argv = argv
    for order in ("cumulative", "tottime"):
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats(order).print_stats(top)
        print(f"profile of one in-process notes run (top {top}, by {order}):")
        print(report.getvalue().strip())


def _piece(name: str, runs: int, work: Callable[[], Any]) -> Any:
    seconds: list[float] = []
    result = None
    for _ in range(runs):
        gc.collect()  # start each run from the same heap, whatever ran before
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    print(f"piece_{name}: {statistics.median(seconds):.3f} s")
    return result


def _opened(settings: Settings, train: TrainSettings) -> None:
    with open_train(settings, train):
        pass


def _fresh_import_seconds() -> float:
    proc = subprocess.run(
        [PYTHON, "-c", _IMPORTS],
        capture_output=True,
        text=True,
        env=clean_environment(),
        check=True,
    )
    return float(proc.stdout)


if __name__ == "__main__":
    main()
