"""The Slack desk answers status, notes and the App Home from views computed once per store
revision, over a real store (SQLite and PostgreSQL): reused until a write moves the revision,
recomputed after it (a replica's write included), and computed once for requests at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.store import SqlStore
from bot.bootstrap.desk import TrainsDesk
from bot.domain.model import (
    Category,
    Change,
    Classification,
    RecordedChange,
    ReleaseClass,
)
from bot.services.views.memo import ViewMemo
from bot.settings import Settings, load_settings
from tests.fakes.memory_chat import MemoryChat

TRAIN = "payments"
START = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=3)


class CountingStore:
    """The real store, counting the sprint reads a view makes (and able to hold them)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self.reads = 0
        self.hold: Callable[[], None] = lambda: None

    def changes_for_sprint(self, **kwargs: Any) -> list[RecordedChange]:
        self.reads += 1
        self.hold()
        return self._store.changes_for_sprint(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def change(n: int, *, title: str = "fix: refunds") -> RecordedChange:
    return RecordedChange(
        change=Change(
            id=f"api:{n}", source="api", title=f"{title} {n}", merged_at=START + timedelta(hours=n)
        ),
        classification=Classification(
            release_class=ReleaseClass.CONTINUOUS,
            category=Category.FIX,
            reasons=("no schema or flag involved",),
        ),
        train=TRAIN,
        sprint="Sprint 1",
    )


def record(store: SqlStore, *changes: RecordedChange) -> None:
    store.record_batch(train=TRAIN, source="api", cursor=None, changes=list(changes), run_id=None)


@pytest.fixture
def settings(tmp_path: Path, store_url: str) -> Settings:
    config = tmp_path / "release-train.toml"
    config.write_text(
        f"""
[store]
url = "{store_url}"

[[trains]]
name = "{TRAIN}"
  [trains.sprint]
  length_days = 14
  first_day = "{START:%Y-%m-%d}"

  [[trains.sources]]
  name = "api"
  kind = "git"
  path = "{tmp_path}"
""",
        encoding="utf-8",
    )
    return load_settings(config, environ={})


@pytest.fixture
def store(store: SqlStore) -> CountingStore:
    return CountingStore(store)


@pytest.fixture
def memo() -> ViewMemo:
    return ViewMemo()


@pytest.fixture
def desk(settings: Settings, store: CountingStore, memo: ViewMemo) -> TrainsDesk:
    return TrainsDesk(settings=settings, chat=MemoryChat(), store=store, memo=memo)  # type: ignore[arg-type]


def test_status_is_computed_once_until_a_write_moves_the_revision(
    desk: TrainsDesk, store: CountingStore
) -> None:
    record(store._store, change(1))

    first = desk.status(TRAIN)
    again = desk.status(TRAIN)
    reads_before_the_write = store.reads
    record(store._store, change(2))
    after = desk.status(TRAIN)

    assert reads_before_the_write == 1
    assert again == first
    assert "1 changes: 1 continuous" in first.text
    assert "2 changes: 2 continuous" in after.text
    assert store.reads == 2


def test_a_decision_moves_the_revision_and_the_status_shows_it(
    desk: TrainsDesk, store: CountingStore
) -> None:
    record(store._store, change(1))
    store._store.add_draft(
        train=TRAIN, sprint="Sprint 1", content="notes", created_by=None, created_at=START
    )
    pending = desk.status(TRAIN)

    store._store.decide_draft(
        train=TRAIN,
        sprint="Sprint 1",
        version=1,
        decision="approved",
        user="U_ANA",
        at=START + timedelta(hours=5),
        note=None,
    )
    decided = desk.status(TRAIN)

    assert "Release notes draft: pending v1" in pending.text
    assert "Release notes draft: approved v1 by U_ANA" in decided.text


def test_a_replicas_write_is_seen_by_the_next_request(
    desk: TrainsDesk, store: CountingStore, store_url: str
) -> None:
    record(store._store, change(1))
    before = desk.notes(TRAIN)
    replica = SqlStore(url=store_url)
    try:
        record(replica, change(2, title="feat: partial refunds"))
    finally:
        replica.close()

    after = desk.notes(TRAIN)

    assert "partial refunds" not in str(before.blocks)
    assert "partial refunds" in str(after.blocks)


def test_an_edited_notes_template_shows_on_the_next_request_without_a_write(
    tmp_path: Path, settings: Settings, store: CountingStore, memo: ViewMemo
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template = folder / "notes.slack.j2"
    template.write_text("First wording: {{ total }} changes", encoding="utf-8")
    ours = settings.model_copy(
        update={"notes": settings.notes.model_copy(update={"templates_dir": folder})}
    )
    desk = TrainsDesk(settings=ours, chat=MemoryChat(), store=store, memo=memo)  # type: ignore[arg-type]
    record(store._store, change(1))

    before = desk.notes(TRAIN)
    again = desk.notes(TRAIN)
    template.write_text("Reworded after review: {{ total }}", encoding="utf-8")
    after = desk.notes(TRAIN)

    assert "First wording: 1 changes" in str(before.blocks)
    assert again == before
    assert "Reworded after review: 1" in str(after.blocks)


def test_status_notes_and_home_are_each_their_own_view(
    desk: TrainsDesk, store: CountingStore, memo: ViewMemo
) -> None:
    record(store._store, change(1))

    for _ in range(3):
        status, notes, home = desk.status(TRAIN), desk.notes(TRAIN), desk.home("U_ANA")

    assert "1 changes" in status.text
    assert "refunds 1" in str(notes.blocks)
    assert "payments" in str(home)
    assert memo.stats().computed == 3
    assert memo.stats().hits == 6


def test_requests_at_once_compute_the_view_once(
    desk: TrainsDesk, store: CountingStore, memo: ViewMemo
) -> None:
    record(store._store, *(change(n) for n in range(1, 30)))
    requests = 8
    # The first read is held until every other request waits for its computation.
    store.hold = lambda: _until(lambda: memo.stats().waited == requests - 1)

    answers = _at_once(requests, lambda: desk.status(TRAIN).text)

    assert store.reads == 1
    assert len(answers) == requests
    assert len(set(answers)) == 1
    assert "29 changes" in answers[0]


def _at_once(count: int, ask: Callable[[], str]) -> list[str]:
    answers: list[str] = []
    barrier = threading.Barrier(count)

    def run() -> None:
        barrier.wait()
        answers.append(ask())

    threads = [threading.Thread(target=run, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _until(check: Callable[[], bool]) -> None:
    """Wait for `check` (a guard against hanging, not a timing assertion)."""
    deadline = time.monotonic() + 30
    while not check():
        assert time.monotonic() < deadline, "the other requests never waited"
        time.sleep(0.001)
