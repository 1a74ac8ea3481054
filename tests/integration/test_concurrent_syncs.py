"""Two syncs of one train at the same moment, on separate stores of one database and the fake Jira:
every write is sent once, by the sync that holds its ledger claim."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.jira_tracker import JiraTracker
from bot.adapters.store import SqlStore
from bot.domain.document import Document
from bot.domain.model import Category, Classification, RecordedChange, ReleaseClass, Sprint
from bot.ports.tracker import TrackerComment
from bot.services.tickets.attach import AttachResult, AttachService
from bot.services.tickets.find import TicketRules, TicketService
from bot.services.tickets.summary import SUMMARY_MARKER
from tests.fakes.clock import FakeClock
from tests.fakes.jira import FakeJira, fake_jira_cloud  # noqa: F401
from tests.unit.builders import make_change

TRAIN = "payments"
START = datetime(2026, 11, 16, tzinfo=UTC)
RULES = TicketRules(jql='project = PAY AND labels = "release-train" AND sprint = {sprint_id}')
# Long enough for any sync of this test; waiting is only a guard against a hung run.
GUARD_S = 60


class HeldCommentTracker(JiraTracker):
    """The real tracker, whose first comment waits in flight until the test lets it go."""

    def __init__(self, *, gate: Gate, **settings: object) -> None:
        super().__init__(**settings)  # type: ignore[arg-type]
        self._gate = gate

    def add_comment(self, *, key: str, body: Document) -> TrackerComment:
        self._gate.hold()
        return super().add_comment(key=key, body=body)


@dataclass
class Gate:
    """Holds the first comment being sent until `release`; later ones pass at once."""

    inside: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hold(self) -> None:
        with self._lock:
            first = not self.inside.is_set()
            self.inside.set()
        if first and not self.released.wait(GUARD_S):
            raise AssertionError("the held comment was never released")


@dataclass
class Replica:
    store: SqlStore
    tracker: JiraTracker
    sprint: Sprint

    def sync(self) -> AttachResult:
        tickets = TicketService(
            train=TRAIN,
            rules=RULES,
            tracker=self.tracker,
            store=self.store,
            clock=FakeClock(START + timedelta(days=4)),
            browse_url="https://jira.example/",
        )
        service = AttachService(
            train=TRAIN,
            tracker=self.tracker,
            store=self.store,
            tickets=tickets,
            link_referenced_issues=True,
        )
        return service.run(sprint=self.sprint, dry_run=False, current=True)


@dataclass
class Site:
    fake: FakeJira
    ticket: str
    sprint: Sprint
    url: str
    gate: Gate = field(default_factory=Gate)
    opened: list[SqlStore | JiraTracker] = field(default_factory=list)

    def replica(self, *, held: bool = False) -> Replica:
        settings: dict[str, object] = {
            "url": self.fake.base_url,
            "deployment": self.fake.mode,
            "email": self.fake.email,
            "token": self.fake.token,
            "timeout": 10.0,
        }
        tracker = HeldCommentTracker(gate=self.gate, **settings) if held else None
        tracker = tracker or JiraTracker(**settings)  # type: ignore[arg-type]
        store = SqlStore(url=self.url)
        self.opened += [store, tracker]
        return Replica(store=store, tracker=tracker, sprint=self.sprint)

    def summary_comments(self) -> list[str]:
        return [c.id for c in self.fake.comments(self.ticket) if SUMMARY_MARKER in c.text]


@pytest.fixture
def site(fake_jira_cloud: FakeJira, store: SqlStore, store_url: str) -> Iterator[Site]:  # noqa: F811
    fake = fake_jira_cloud
    board = fake.add_board("PAY")
    sprint_id = fake.add_sprint(board, "Sprint 42", "active", START, START + timedelta(days=14))
    ticket = fake.add_issue(
        "PAY", "Release Train: Sprint 42", labels=["release-train"], sprint=sprint_id
    )
    linked = fake.add_issue("PAY", "Refund reasons")
    sprint = Sprint(
        name="Sprint 42",
        start=START,
        end=START + timedelta(days=14),
        id=str(sprint_id),
        state="active",
    )
    changes = [_change(n, sprint=sprint, keys=(linked,)) for n in range(1, 4)]
    store.record_batch(train=TRAIN, source="api", cursor="c3", changes=changes, run_id=None)
    made = Site(fake=fake, ticket=ticket, sprint=sprint, url=store_url)
    yield made
    for opened in made.opened:
        opened.close()


def _change(n: int, *, sprint: Sprint, keys: tuple[str, ...]) -> RecordedChange:
    merged = make_change(
        id=f"github:acme/api#{n}",
        source="api",
        title=f"Change {n}",
        merged_at=START + timedelta(hours=n),
        url=f"https://github.com/acme/api/pull/{n}",
    )
    verdict = Classification(
        release_class=ReleaseClass.CONTINUOUS, category=Category.FIX, reasons=(), jira_keys=keys
    )
    return RecordedChange(change=merged, classification=verdict, train=TRAIN, sprint=sprint.name)


def _in_thread(replica: Replica) -> tuple[threading.Thread, list[AttachResult | BaseException]]:
    outcome: list[AttachResult | BaseException] = []

    def run() -> None:
        try:
            outcome.append(replica.sync())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_two_syncs_at_once_post_one_summary_comment(site: Site) -> None:
    first, second = site.replica(held=True), site.replica()
    thread, outcome = _in_thread(first)
    assert site.gate.inside.wait(GUARD_S), "the first sync never sent its comment"

    # While the first sync's comment is in flight, the second sync runs from start to end.
    during = second.sync()
    site.gate.released.set()
    thread.join(GUARD_S)

    (done,) = outcome
    assert isinstance(done, AttachResult), done
    assert done.failure is None and during.failure is None
    assert len(site.summary_comments()) == 1
    assert any("another sync" in notice for notice in during.notices), during.notices
    assert len(site.fake.issue_links()) == 1  # the one issue the changes name, linked once
    # A third sync, later, reads the first one's outcome back and keeps the one comment.
    third = site.replica().sync()
    assert third.failure is None
    assert len(site.summary_comments()) == 1
    assert (third.attached, third.queued) == (3, 0)
