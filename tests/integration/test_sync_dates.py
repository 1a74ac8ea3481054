"""Commit dates at the edges of what git holds, through the real git source and the sync."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.adapters.sources.git import GitSource
from bot.adapters.store import SqlStore
from bot.domain.policy import PolicyConfig
from bot.errors import SourceError
from bot.services.sprints.cadence import CadenceCalendar
from bot.services.sync.record import SourceSpec, SyncService
from tests.fakes.clock import FakeClock
from tests.gitrepo import GitRepo

FIRST_DAY = date(2026, 11, 16)
T0 = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
LAST_DAY_GIT_ACCEPTS = datetime(9999, 12, 31, 12, 0, tzinfo=UTC)
PAST_YEAR_9999 = 99_999_999_999_999  # seconds: a commit object may hold it, Python cannot


def _repo(root: Path, name: str) -> GitRepo:
    repo = GitRepo(root / name, start=T0)
    repo.commit(f"fix: first of {name}", files={"README.md": "hello\n"})
    return repo


def _commit_dated(repo: GitRepo, title: str, seconds: int) -> str:
    """A trunk commit whose author and committer date is `seconds` after the epoch.

    `git commit` refuses such dates, so the object is written directly; `git fsck` accepts it.
    """
    head = repo.rev()
    tree = repo.git("rev-parse", f"{head}^{{tree}}")
    ident = f"Alice Example <alice@example.com> {seconds} +0000"
    body = f"tree {tree}\nparent {head}\nauthor {ident}\ncommitter {ident}\n\n{title}\n"
    sha = repo.git("hash-object", "-t", "commit", "-w", "--stdin", stdin=body)
    repo.git("update-ref", f"refs/heads/{repo.trunk}", sha)
    return sha


def _sync(store: SqlStore, *repos: GitRepo) -> SyncService:
    sources = [
        SourceSpec(
            source=GitSource(
                name=repo.path.name,
                path=repo.path,
                branch=repo.trunk,
                migration_paths=("**/migrations/**",),
            ),
            since=T0 - timedelta(days=1),
        )
        for repo in repos
    ]
    return SyncService(
        train="payments",
        store=store,
        sources=sources,
        calendar=CadenceCalendar(
            first_day=FIRST_DAY,
            length_days=14,
            tz=ZoneInfo("Europe/Berlin"),
            clock=FakeClock(T0 + timedelta(days=1)),
        ),
        policy=PolicyConfig(),
        clock=FakeClock(T0 + timedelta(days=1)),
    )


def test_a_commit_dated_9999_is_noted_and_kept_out_while_every_source_syncs(
    store: SqlStore, tmp_path: Path
) -> None:
    api, web = _repo(tmp_path, "api"), _repo(tmp_path, "web")
    far = _commit_dated(api, "fix: from the far future", int(LAST_DAY_GIT_ACCEPTS.timestamp()))
    api.commit("fix: after it", files={"a.txt": "a\n"}, when=T0 + timedelta(minutes=5))
    assert api.git("fsck") == ""

    outcome = _sync(store, api, web).run(dry_run=False)

    assert outcome.failures == []
    assert sorted(rc.change.title for rc in outcome.recorded) == [
        "fix: after it",
        "fix: first of api",
        "fix: first of web",
    ]
    assert f"git:api:{far} was merged on 9999-12-31, outside every sprint" in (
        "\n".join(outcome.notices)
    )
    recorded = store.changes_for_sprint(train="payments", sprint="Sprint 1")
    assert len(recorded) == 3
    assert store.get_cursor(train="payments", source="api") == api.rev()
    assert store.get_cursor(train="payments", source="web") == web.rev()


def test_a_date_past_year_9999_fails_its_source_alone_with_one_sentence(
    store: SqlStore, tmp_path: Path
) -> None:
    api, web = _repo(tmp_path, "api"), _repo(tmp_path, "web")
    beyond = _commit_dated(api, "fix: beyond", PAST_YEAR_9999)

    outcome = _sync(store, api, web).run(dry_run=False)

    ((name, error),) = outcome.failures
    assert (name, type(error)) == ("api", SourceError)
    assert str(error).startswith(
        f"Git source 'api' cannot be read: commit {beyond} has a committer date"
    )
    assert str(error).count(".") == 1 and str(error).endswith(".")
    assert [rc.change.title for rc in outcome.recorded] == ["fix: first of web"]
    assert store.get_cursor(train="payments", source="api") is None
    assert store.get_cursor(train="payments", source="web") == web.rev()
