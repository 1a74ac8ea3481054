"""A train's sync as every entry point runs it: the real store, in-memory sources and Jira."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.store import SqlStore
from bot.domain.model import Change, Sprint
from bot.domain.policy import PolicyConfig
from bot.errors import AuthError, SourceError
from bot.services.sprints.board import JiraCalendar
from bot.services.sync.record import SourceSpec, SyncService
from bot.services.sync.train import TrainSync, TrainSyncResult
from bot.services.tickets.attach import AttachService
from bot.services.tickets.find import TicketRules, TicketService
from bot.services.views.status import TrainViews
from tests.fakes.clock import FakeClock
from tests.fakes.list_source import ListSource
from tests.fakes.memory_tracker import MemoryTracker

TRAIN = "payments"
START = datetime(2026, 11, 16, tzinfo=UTC)
EARLIER = Sprint(
    name="Sprint 41", start=START - timedelta(days=14), end=START, id="41", state="closed"
)
CURRENT = Sprint(
    name="Sprint 42", start=START, end=START + timedelta(days=14), id="42", state="active"
)
RULES = TicketRules(
    jql='project = PAY AND labels = "release-train" AND sprint = {sprint_id}',
    create=True,
    project="PAY",
    summary="Release Train: {sprint_name}",
    labels=("release-train",),
)


def _change(source: str, n: int, merged_at: datetime) -> Change:
    return Change(
        id=f"github:acme/{source}#{n}",
        source=source,
        title=f"fix: change {n}",
        merged_at=merged_at,
        url=f"https://github.com/acme/{source}/pull/{n}",
        number=n,
    )


class CountedStore:
    """The real store, each method the views call through it written down first."""

    def __init__(self, store: SqlStore, reads: list[str]) -> None:
        self._store = store
        self._reads = reads

    def __getattr__(self, name: str) -> object:
        found = getattr(self._store, name)
        if not callable(found):
            return found

        def called(*args: object, **kwargs: object) -> object:
            self._reads.append(name)
            return found(*args, **kwargs)

        return called


class Train:
    """One train's store, Jira and sources, and the use-case wired over them."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.view_reads: list[str] = []
        self.tracker = MemoryTracker()
        self.tracker.boards[7] = [EARLIER, CURRENT]
        self.sources = [
            ListSource(
                "api",
                [
                    _change("api", 1, START - timedelta(days=2)),
                    _change("api", 2, START + timedelta(days=1)),
                ],
            )
        ]

    def run(self, *, dry_run: bool = False, view: bool = True) -> TrainSyncResult:
        clock = FakeClock(START + timedelta(days=4))
        calendar = JiraCalendar(
            tracker=self.tracker,
            store=self.store,
            train=TRAIN,
            board_id=7,
            clock=clock,
            dry_run=dry_run,
        )
        sync = SyncService(
            train=TRAIN,
            store=self.store,
            sources=[SourceSpec(source=s, since=EARLIER.start) for s in self.sources],
            calendar=calendar,
            policy=PolicyConfig(),
            clock=clock,
        )
        tickets = TicketService(
            train=TRAIN,
            rules=RULES,
            tracker=self.tracker,
            store=self.store,
            clock=clock,
            browse_url="https://jira.example/",
        )
        attach = AttachService(
            train=TRAIN,
            tracker=self.tracker,
            store=self.store,
            tickets=tickets,
            link_referenced_issues=False,
        )
        views = TrainViews(
            train=TRAIN,
            tz=ZoneInfo("Europe/Berlin"),
            store=CountedStore(self.store, self.view_reads),  # type: ignore[arg-type]
            calendar=calendar,
            ticket_link=lambda key: f"https://jira.example/browse/{key}",
        )
        return TrainSync(
            sync=lambda: sync,
            calendar=calendar,
            attach=lambda: attach,
            views=views,
            dry_run=dry_run,
        ).run(view=view)

    def recorded(self, sprint: Sprint) -> list[str]:
        return [
            rc.change.id for rc in self.store.changes_for_sprint(train=TRAIN, sprint=sprint.name)
        ]


@pytest.fixture
def train(store: SqlStore) -> Train:
    return Train(store)


def test_a_sync_run_without_its_view_records_and_attaches_but_reads_no_sprint(
    train: Train,
) -> None:
    result = train.run(view=False)

    assert result.new_count == 2
    assert train.recorded(CURRENT) == ["github:acme/api#2"]
    assert result.error() is None
    assert result.shown is None
    assert train.view_reads == []
    with pytest.raises(RuntimeError, match="without its view"):
        _ = result.view
    assert train.run().view.sprint == CURRENT
    assert "changes_for_sprint" in train.view_reads


def test_sync_brings_every_sprint_that_got_changes_and_the_current_one_to_its_ticket(
    train: Train,
) -> None:
    result = train.run()

    searched = [str(call["jql"]) for call in train.tracker.calls("search_tickets")]
    assert [jql.rsplit(" ", 1)[-1] for jql in searched] == ["41", "42"]
    assert result.error() is None
    assert result.new_count == 2
    assert result.view.sprint == CURRENT
    assert [(rc.change.id, rc.new) for rc in result.view.changes] == [("github:acme/api#2", True)]
    assert result.view.ticket is not None
    assert result.view.ticket["url"].endswith(result.view.ticket["key"])


def test_rerun_attaches_only_the_current_sprint(train: Train) -> None:
    train.run()
    before = len(train.tracker.calls("search_tickets"))

    result = train.run()

    assert result.new_count == 0
    assert result.error() is None
    # The closed sprint got nothing new; the current sprint's ticket is remembered, not searched.
    assert len(train.tracker.calls("search_tickets")) == before
    assert [rc.new for rc in result.view.changes] == [False]


def test_a_source_that_cannot_be_read_is_reported_and_the_others_are_recorded(
    train: Train,
) -> None:
    train.sources.append(ListSource("web", [], broken=True))

    result = train.run()

    assert [name for name, _ in result.failures] == ["web"]
    error = result.error()
    assert isinstance(error, SourceError)
    assert "1 source(s) could not be read (web)" in str(error)
    assert train.recorded(CURRENT) == ["github:acme/api#2"]


def test_dry_run_plans_the_ticket_writes_and_writes_nothing(train: Train) -> None:
    train.tracker.add_issue("PAY-9", labels=["release-train"], sprints={"42"})

    result = train.run(dry_run=True)

    assert train.tracker.writes == 0
    assert train.recorded(CURRENT) == []
    assert result.planned == [
        "put remote link release-train:github:acme/api#2 on PAY-9: [api] fix: change 2",
        "add the summary comment to PAY-9",
    ]
    assert "would add the summary comment to PAY-9" in result.messages()
    assert [rc.change.id for rc in result.view.changes] == ["github:acme/api#2"]


def test_a_refused_ticket_is_reported_once_the_changes_are_recorded(train: Train) -> None:
    train.tracker.fail("search_tickets", AuthError("Jira refused the token (jira.token)"))

    result = train.run()

    assert isinstance(result.refused, AuthError)
    assert result.error() is result.refused
    assert train.recorded(CURRENT) == ["github:acme/api#2"]
    assert result.planned == []
