"""One sync of a train: gather from every source, classify, assign sprints, record, report.

What a sync costs the store: one query for every cursor of the train (before the first
request goes out), one for the recorded expand history and one for revert targets, then the
changes written a few sources per transaction (RECORD_CHUNK changes at most each, a source's
changes and its cursor always in the same one), plus the run's start and finish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from bot.domain.model import (
    Change,
    Classification,
    ExpandRecord,
    MigrationStage,
    RecordedChange,
    SourceBatch,
    Sprint,
)
from bot.domain.policy import PolicyConfig, classify
from bot.domain.reverts import pair_reverts, revert_targets
from bot.errors import BotError
from bot.ports.calendar import SprintCalendar
from bot.ports.clock import Clock
from bot.ports.sources import ChangeSource
from bot.ports.store import ChangeLog, SourceRecord, SyncRuns

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
_Gathering = tuple[str, "Future[SourceBatch]"]  # a source's name and its batch to come

# Threads only wait on git processes and HTTP answers; the clients bound real concurrency.
MAX_GATHER_THREADS = 32
# Changes recorded per transaction at most (a source with more gets one of its own): a first
# sync of hundreds of sources is a handful of transactions, not one per source.
RECORD_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source of the train and where its first sync starts."""

    source: ChangeSource
    since: datetime


@dataclass(slots=True)
class SyncOutcome:
    """What a sync did: the changes it gathered (and would record), per source."""

    train: str
    dry_run: bool
    recorded: list[RecordedChange] = field(default_factory=list)
    new_ids: set[str] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)
    failures: list[tuple[str, BotError]] = field(default_factory=list)
    held: set[str] = field(default_factory=set)  # sources whose cursor waits for a sprint
    cursors: dict[str, str | None] = field(default_factory=dict)  # as they were before the sync
    run_id: int | None = None
    since: datetime | None = None  # gathered again from here (`sync --since`), not the cursors


class SyncService:
    """Runs a sync for one train through the ports it is given."""

    def __init__(
        self,
        *,
        train: str,
        store: _RecordStore,
        sources: Sequence[SourceSpec],
        calendar: SprintCalendar,
        policy: PolicyConfig,
        clock: Clock,
        progress: Progress | None = None,
    ) -> None:
        self._train = train
        self._store = store
        self._sources = sources
        self._calendar = calendar
        self._policy = policy
        self._clock = clock
        self._progress = progress or (lambda _message: None)

    def run(self, *, dry_run: bool, since: datetime | None = None) -> SyncOutcome:
        """Gather, classify and (unless dry_run) record; the store is left consistent on error.

        With `since`, every source is gathered again from that time rather than from its
        cursor; what is already recorded stays as it is, each change once.
        """
        outcome = SyncOutcome(train=self._train, dry_run=dry_run, since=since)
        started = self._clock.now()
        try:
            starts = self._starts(outcome)
            # A source read from its start may take minutes: a store that cannot take the
            # run's row must fail it before that, not after. Otherwise (an idle cycle) the
            # requests go out first and the row is written while they travel.
            first = since is not None or None in starts.values()

            def start_run() -> None:
                if not dry_run:
                    outcome.run_id = self._store.start_run(train=self._train, started_at=started)

            if first:
                start_run()
            with ThreadPoolExecutor(
                max_workers=self._workers(), thread_name_prefix="gather"
            ) as pool:
                futures = self._submit(pool, outcome, starts)
                try:
                    if not first:
                        start_run()
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
                batches = self._collect(futures, outcome)
            recorded = self._classify(batches, outcome)
            self._pair_reverts(recorded, dry_run=dry_run)
            if not dry_run:
                self._record(batches, recorded, outcome)
            else:
                outcome.new_ids = {rc.change.id for rc in recorded.values()}
            outcome.recorded = list(recorded.values())
        except BaseException as exc:
            self._finish(outcome, status="failed", error=type(exc).__name__)
            raise
        failed = ", ".join(name for name, _ in outcome.failures) or None
        self._finish(outcome, status="partial" if failed else "ok", error=failed)
        return outcome

    def _finish(self, outcome: SyncOutcome, *, status: str, error: str | None) -> None:
        if outcome.run_id is None:
            return
        counts = {
            "gathered": len(outcome.recorded),
            "new": len(outcome.new_ids),
            "failed_sources": len(outcome.failures),
        }
        self._store.finish_run(
            run_id=outcome.run_id,
            finished_at=self._clock.now(),
            status=status,
            counts=counts,
            error=error,
        )

    def _workers(self) -> int:
        return max(1, min(len(self._sources), MAX_GATHER_THREADS))

    def _starts(self, outcome: SyncOutcome) -> dict[str, str | None]:
        """Where each source starts (its cursor, or None: from its `since` day), every cursor
        read in one query; the cursors go into the outcome."""
        stored = self._store.get_cursors(train=self._train)
        outcome.cursors.update(
            (spec.source.name, stored.get(spec.source.name)) for spec in self._sources
        )
        if outcome.since is not None:
            return {spec.source.name: None for spec in self._sources}
        return dict(outcome.cursors)

    def _submit(
        self, pool: ThreadPoolExecutor, outcome: SyncOutcome, starts: dict[str, str | None]
    ) -> list[_Gathering]:
        """Start gathering every source at once, each from where `starts` says (`since`
        replacing each source's own day with `sync --since`).

        The sources' own clients bound how many requests are in flight, and share that bound
        across sources, so the requests of different sources interleave.
        """
        specs = [
            spec if outcome.since is None else replace(spec, since=outcome.since)
            for spec in self._sources
        ]
        return [
            (spec.source.name, pool.submit(self._gather_one, spec, starts[spec.source.name]))
            for spec in specs
        ]

    def _collect(self, futures: Sequence[_Gathering], outcome: SyncOutcome) -> list[SourceBatch]:
        """Every source's batch; a source that fails is reported and left out.

        Its cursor stays where it was, so the next sync gathers its changes again.
        """
        batches: list[SourceBatch] = []
        for name, future in futures:
            try:
                batch = future.result()
            except BotError as exc:
                # Reported by whoever runs the sync, from the outcome (once, not here too).
                log.debug("source %s failed: %s", name, exc)
                outcome.failures.append((name, exc))
                continue
            for notice in batch.notices:
                log.warning("%s", notice)
                outcome.notices.append(notice)
            batches.append(batch)
        return batches

    def _gather_one(self, spec: SourceSpec, cursor: str | None) -> SourceBatch:
        name = spec.source.name
        self._progress(f"gathering {name}")
        batch = spec.source.gather(cursor=cursor, since=spec.since)
        self._progress(f"gathered {len(batch.changes)} changes from {name}")
        return batch

    def _classify(
        self, batches: Sequence[SourceBatch], outcome: SyncOutcome
    ) -> dict[str, RecordedChange]:
        """Classify every gathered change in merge order, across sources, growing the history."""
        # A stable sort: changes merged at the same time keep their source's trunk order (a
        # rebased stack's commits share one time, and its contract comes after its expand).
        changes = sorted((c for b in batches for c in b.changes), key=lambda c: c.merged_at)
        if not changes:
            return {}  # an idle sync: the history is not even read
        history = list(self._store.expand_history(train=self._train))
        recorded: dict[str, RecordedChange] = {}
        outside: list[Change] = []
        for change in changes:
            sprint = self._calendar.sprint_for(change.merged_at)
            if sprint is None and self._calendar.may_place_later(change.merged_at):
                if change.source not in outcome.held:
                    outcome.notices.append(
                        f"{change.id} and later changes of {change.source} wait for the next "
                        "sprint; they are gathered again by the next sync"
                    )
                outcome.held.add(change.source)
                continue
            if sprint is None:
                outside.append(change)
                continue
            verdict = classify(change, config=self._policy, history=history, sprint=sprint.name)
            history.extend(_expands(change, verdict, sprint))
            recorded[change.id] = RecordedChange(
                change=change, classification=verdict, train=self._train, sprint=sprint.name
            )
        if outside:
            outcome.notices.append(_outside_notice(outside))
        return recorded

    def _pair_reverts(self, recorded: dict[str, RecordedChange], *, dry_run: bool) -> None:
        """Pair reverts with what they revert, in this batch or already recorded."""
        changes = [rc.change for rc in recorded.values()]
        wanted = {sha for c in changes for sha in revert_targets(c) if len(sha) == 40}
        known = (
            self._store.change_ids_for_commits(train=self._train, shas=sorted(wanted))
            if wanted
            else {}
        )
        for revert_id, reverted_id in pair_reverts(changes, known=known).items():
            recorded[revert_id] = replace(recorded[revert_id], reverts=reverted_id)
            if reverted_id in recorded:
                recorded[reverted_id] = replace(recorded[reverted_id], reverted_by=revert_id)
            if not dry_run:
                # Marked before the revert itself is recorded: a crash in between is repaired
                # by the rerun, which pairs the same revert again.
                self._store.set_revert_pair(
                    train=self._train, revert_id=revert_id, reverted_id=reverted_id
                )

    def _record(
        self,
        batches: Sequence[SourceBatch],
        recorded: dict[str, RecordedChange],
        outcome: SyncOutcome,
    ) -> None:
        """Record the sources' changes and move their cursors, whole sources per transaction.

        A source's changes and its cursor are always written together, so a crash between two
        transactions leaves every cursor covering only recorded changes: the next sync gathers
        the rest again, and what is recorded already is skipped (each change once).
        """
        pending: list[SourceRecord] = []
        for batch in batches:
            rows = [recorded[c.id] for c in batch.changes if c.id in recorded]
            # A held source keeps its cursor, so what waits for a sprint is gathered again.
            cursor = None if batch.source in outcome.held else batch.cursor
            if not rows and cursor in (None, outcome.cursors.get(batch.source)):
                continue  # an idle source: nothing to write
            pending.append(SourceRecord(source=batch.source, cursor=cursor, changes=rows))
        for chunk in _chunks(pending, RECORD_CHUNK):
            new = self._store.record_sources(
                train=self._train, batches=chunk, run_id=outcome.run_id
            )
            outcome.new_ids.update(new)
            fresh = set(new)
            for record in chunk:
                count = sum(1 for rc in record.changes if rc.change.id in fresh)
                self._progress(f"recorded {count} new changes from {record.source}")


def _chunks(records: Sequence[SourceRecord], size: int) -> list[list[SourceRecord]]:
    """Whole sources, in order, grouped until a group holds `size` changes or more."""
    chunks: list[list[SourceRecord]] = []
    current: list[SourceRecord] = []
    held = 0
    for record in records:
        current.append(record)
        held += len(record.changes)
        if held >= size:
            chunks.append(current)
            current, held = [], 0
    if current:
        chunks.append(current)
    return chunks


def _outside_notice(outside: Sequence[Change]) -> str:
    """One notice for every change merged outside every sprint: how many, and when."""
    first = min(c.merged_at for c in outside).date().isoformat()
    last = max(c.merged_at for c in outside).date().isoformat()
    when = f"on {first}" if first == last else f"between {first} and {last}"
    if len(outside) == 1:
        return (
            f"{outside[0].id} was merged {when}, outside every sprint; it is not part of any "
            "train (sprints start at the train's first_day)"
        )
    return (
        f"{len(outside)} changes merged {when} fall outside every sprint and are not part of "
        "any train (sprints start at the train's first_day)"
    )


def _expands(change: Change, verdict: Classification, sprint: Sprint) -> list[ExpandRecord]:
    return [
        ExpandRecord(
            change_id=change.id,
            table=op.table,
            column=op.column,
            merged_at=change.merged_at,
            sprint=sprint.name,
            action=op.action,
        )
        for op in verdict.migration_ops
        if op.stage is MigrationStage.EXPAND
    ]


class _RecordStore(ChangeLog, SyncRuns, Protocol):
    """The store roles recording uses: the change log, and the runs."""
