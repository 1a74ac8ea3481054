"""A first sync pipelined: GitHub sources over the fake GitHub, recorded into the real store.

The fake records every request (when it came in and when its answer left) and the most it held
at once; the store is the real one (SQLite and PostgreSQL). Nothing here is timed: the order of
requests, the slots filled and the transactions written are what the pipeline promises.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event

from bot.adapters.sources.github import GitHubClient, GitHubSource
from bot.adapters.store import SqlStore
from bot.domain.policy import PolicyConfig
from bot.ports.store import SourceRecord
from bot.services.sprints.cadence import CadenceCalendar
from bot.services.sync import record
from bot.services.sync.record import SourceSpec, SyncService
from tests.fakes.clock import FakeClock
from tests.fakes.github import TOKEN, FakeFile, FakeGitHub, LoggedRequest, running

NOW = datetime.now(UTC).replace(microsecond=0)
SINCE = NOW - timedelta(days=2)
TRAIN = "payments"
SLOTS = 4


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    # A little latency, so requests sent together are in the fake together.
    with running(latency=0.02) as fake:
        yield fake
        assert fake.schema_errors == [], "the fake answered outside GitHub's schemas"


@pytest.fixture
def client(github: FakeGitHub) -> Iterator[GitHubClient]:
    made = GitHubClient(api_url=github.url, token=TOKEN, concurrency=SLOTS)
    yield made
    made.close()


def _repo(github: FakeGitHub, name: str, pulls: int) -> None:
    repo = github.add_repo(name)
    for n in range(pulls):
        repo.merge_pull(
            f"feat: change {n}",
            merged_at=NOW - timedelta(hours=30) + timedelta(minutes=n),
            method=("squash", "merge")[n % 2],
            files=[FakeFile(f"src/module_{n}.py", added=3)],
        )


def _source(client: GitHubClient, repo: str) -> GitHubSource:
    return GitHubSource(
        name=repo.split("/")[1],
        repo=repo,
        branch="main",
        paths=(),
        migration_paths=("db/migrate/**",),
        client=client,
    )


def _service(store: Any, client: GitHubClient, repos: Sequence[str]) -> SyncService:
    return SyncService(
        train=TRAIN,
        store=store,
        sources=[SourceSpec(source=_source(client, repo), since=SINCE) for repo in repos],
        calendar=CadenceCalendar(
            first_day=(NOW - timedelta(days=3)).date(),
            length_days=14,
            tz=ZoneInfo("UTC"),
            clock=FakeClock(NOW),
        ),
        policy=PolicyConfig(),
        clock=FakeClock(NOW),
    )


def _of(requests: list[LoggedRequest], repo: str, tail: str) -> list[LoggedRequest]:
    """The requests about `repo` whose path ends with `tail` (`/pulls`, `/files`)."""
    return [r for r in requests if f"/repos/{repo}/" in r.path and r.path.endswith(tail)]


def test_one_repositorys_detail_requests_fill_every_slot(
    github: FakeGitHub, client: GitHubClient
) -> None:
    _repo(github, "acme/api", pulls=12)

    batch = _source(client, "acme/api").gather(cursor=None, since=SINCE)

    assert len(batch.changes) == 12
    assert len(_of(github.requests, "acme/api", "/files")) == 12
    # Before, each pull request's files were read one after the other: one request at a time.
    assert github.max_in_flight == SLOTS


def test_details_of_one_repository_start_before_another_ones_listing_is_done(
    github: FakeGitHub, client: GitHubClient, store: SqlStore
) -> None:
    # 120 pull requests list on two pages (then page one is read again); 3 list on one.
    _repo(github, "acme/big", pulls=120)
    _repo(github, "acme/small", pulls=3)

    outcome = _service(store, client, ["acme/big", "acme/small"]).run(dry_run=False)

    assert len(outcome.new_ids) == 123
    requests = github.api_requests()
    big_listing = [r for r in requests if r.path.endswith("/pulls")]
    big_listing = [r for r in big_listing if "/acme/small/" not in r.path]
    assert len(big_listing) == 3  # page one, page two, page one again
    listing_done = max(r.finished for r in big_listing)
    small_files = _of(requests, "acme/small", "/files")
    big_files = _of(requests, "acme/big", "/files")
    # Neither repository after repository, nor every listing before any detail.
    assert min(r.started for r in small_files) < listing_done
    assert min(r.started for r in big_files) < listing_done
    assert github.max_in_flight == SLOTS


def test_a_first_sync_of_many_sources_is_a_few_transactions(
    github: FakeGitHub, client: GitHubClient, store: SqlStore
) -> None:
    repos = [f"acme/svc-{n:02d}" for n in range(24)]
    for name in repos:
        _repo(github, name, pulls=2)
    commits: list[object] = []

    def counted(connection: object) -> None:
        commits.append(connection)

    event.listen(Engine, "commit", counted)
    try:
        outcome = _service(store, client, repos).run(dry_run=False)
    finally:
        event.remove(Engine, "commit", counted)

    assert len(outcome.new_ids) == 48
    # The run's start and finish, and one for the 24 sources' changes and cursors (it was 26).
    assert len(commits) <= 3
    assert set(store.get_cursors(train=TRAIN)) == {name.split("/")[1] for name in repos}


class CrashingStore:
    """The real store, whose `record_sources` raises (a crash) from its `crash_at`-th call on."""

    def __init__(self, store: SqlStore, *, crash_at: int) -> None:
        self._store = store
        self._crash_at = crash_at
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def record_sources(
        self, *, train: str, batches: Sequence[SourceRecord], run_id: int | None
    ) -> list[str]:
        self.calls += 1
        if self.calls >= self._crash_at:
            raise RuntimeError("the process died here")
        return self._store.record_sources(train=train, batches=batches, run_id=run_id)


def test_a_crash_between_transactions_loses_and_repeats_nothing(
    github: FakeGitHub, client: GitHubClient, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    repos = [f"acme/svc-{n:02d}" for n in range(6)]
    for name in repos:
        _repo(github, name, pulls=2)
    monkeypatch.setattr(record, "RECORD_CHUNK", 4)  # two sources per transaction
    crashing = CrashingStore(store, crash_at=2)

    with pytest.raises(RuntimeError, match="died"):
        _service(crashing, client, repos).run(dry_run=False)

    cursors = store.get_cursors(train=TRAIN)
    assert len(cursors) == 2  # the first transaction's two sources, with their changes
    first = _recorded(store)
    assert len(first) == 4
    assert {change_id.split("#")[0] for change_id in first} == {
        f"github:acme/{name}" for name in cursors
    }

    again = _service(store, client, repos).run(dry_run=False)

    assert len(again.new_ids) == 8
    assert not again.new_ids & first
    assert len(_recorded(store)) == 12


def test_a_request_failing_midway_leaves_its_source_to_the_next_sync(
    github: FakeGitHub, client: GitHubClient, store: SqlStore
) -> None:
    repos = [f"acme/svc-{n:02d}" for n in range(5)]
    for name in repos:
        _repo(github, name, pulls=2)
    github.fail(404, path_contains="/acme/svc-03/pulls/2/files")

    outcome = _service(store, client, repos).run(dry_run=False)

    assert [name for name, _ in outcome.failures] == ["svc-03"]
    assert "svc-03" not in store.get_cursors(train=TRAIN)
    assert len(outcome.new_ids) == 8

    again = _service(store, client, repos).run(dry_run=False)

    assert {change_id.split("#")[0] for change_id in again.new_ids} == {"github:acme/svc-03"}
    assert len(_recorded(store)) == 10


def _recorded(store: SqlStore) -> set[str]:
    sprints = {rc.sprint for rc in _every(store)}
    return {
        rc.change.id
        for sprint in sprints
        for rc in store.changes_for_sprint(train=TRAIN, sprint=sprint, details=False)
    }


def _every(store: SqlStore) -> list[Any]:
    latest = store.latest_sprint(train=TRAIN)
    return [] if latest is None else store.changes_for_sprint(train=TRAIN, sprint=latest)


def test_an_idle_sync_reads_every_cursor_in_one_query_and_writes_no_source(
    github: FakeGitHub, client: GitHubClient, store: SqlStore
) -> None:
    repos = [f"acme/svc-{n:02d}" for n in range(12)]
    for name in repos:
        _repo(github, name, pulls=1)
    _service(store, client, repos).run(dry_run=False)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        outcome = _service(store, client, repos).run(dry_run=False)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)

    assert outcome.new_ids == set()
    assert {r.status for r in github.api_requests()[-12:]} == {304}
    on_cursors = [sql for sql in statements if "source_cursors" in sql]
    assert len(on_cursors) == 1 and on_cursors[0].lstrip().upper().startswith("SELECT")
    on_changes = [sql for sql in statements if "FROM changes" in sql or "INTO changes" in sql]
    assert on_changes == []  # no view, no expand history, nothing recorded
