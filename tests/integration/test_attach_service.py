"""Attaching a sprint to its Jira ticket: an in-memory, counting tracker over the real store (on
SQLite and PostgreSQL) and over the in-memory store roles (fast, and proof that the service
needs nothing but the roles it names)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.store import SqlStore
from bot.domain.model import Category, Classification, RecordedChange, ReleaseClass, Sprint
from bot.domain.policy import PolicyConfig, classify
from bot.errors import AuthError, RateLimitedError, ServiceError, TicketNotFoundError
from bot.ports.tracker import RemoteLink
from bot.services.tickets.attach import AttachResult, AttachService
from bot.services.tickets.find import TicketRules, TicketService
from tests.fakes.clock import FakeClock
from tests.fakes.memory_store import MemoryStore
from tests.fakes.memory_tracker import AnswerLostError, FakeIssue, MemoryTracker
from tests.unit.builders import make_change

TRAIN = "payments"
START = datetime(2026, 11, 16, tzinfo=UTC)
SPRINT = Sprint(
    name="Sprint 42", start=START, end=START + timedelta(days=14), id="42", state="active"
)
RULES = TicketRules(
    jql='project = PAY AND labels = "release-train" AND sprint = {sprint_id}',
    create=True,
    project="PAY",
    summary="Release Train: {sprint_name}",
    labels=("release-train",),
)


class World:
    """One train's store and Jira, and a sync's attach step."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.tracker = MemoryTracker()
        self.tracker.boards[7] = [SPRINT]
        self.tracker.add_issue("PAY-77", summary="Refund reasons")
        self.clock = FakeClock(START + timedelta(days=4))
        self.rules = RULES

    def record(self, *changes: RecordedChange) -> None:
        self.store.record_batch(
            train=TRAIN, source="api", cursor=changes[-1].change.id, changes=changes, run_id=None
        )

    def sync(self, *, dry_run: bool = False, sprint: Sprint = SPRINT) -> AttachResult:
        tickets = TicketService(
            train=TRAIN,
            rules=self.rules,
            tracker=self.tracker,
            store=self.store,
            clock=self.clock,
            browse_url="https://jira.example/",
        )
        service = AttachService(
            train=TRAIN,
            tracker=self.tracker,
            store=self.store,
            tickets=tickets,
            link_referenced_issues=self.rules.link_referenced_issues,
        )
        return service.run(sprint=sprint, dry_run=dry_run)

    def requests_during(self, run: Callable[[], object]) -> list[str]:
        """The tracker methods called by `run()`, in order."""
        before = len(self.tracker.requests)
        run()
        return [name for name, _ in self.tracker.requests[before:]]

    def ticket(self) -> FakeIssue:
        key = self.store.get_ticket_key(train=TRAIN, sprint=SPRINT)
        assert key is not None
        return self.tracker.issues[key]

    def attached(self) -> dict[str, bool]:
        changes = self.store.changes_for_sprint(train=TRAIN, sprint=SPRINT.name)
        return {rc.change.id: rc.attached for rc in changes}

    def ledger(self, kind: str) -> list[tuple[str, int]]:
        entries = self.store.ledger_entries(prefix=f"jira:{TRAIN}:{self.ticket().key}:{kind}:")
        return [(entry.state, entry.attempts) for entry in entries]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres), "memory"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "memory":
        yield World(MemoryStore())  # type: ignore[arg-type]
        return
    url = (
        f"sqlite:///{tmp_path / 'release-train.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = SqlStore(url=url)
    store.prepare(auto_upgrade=True)
    yield World(store)
    store.close()


def change(
    n: int,
    *,
    keys: tuple[str, ...] = (),
    url: str | None = "https://github.com/acme/api/pull/{n}",
    release_class: ReleaseClass = ReleaseClass.CONTINUOUS,
) -> RecordedChange:
    merged = make_change(
        id=f"github:acme/api#{n}",
        source="api",
        title=f"Change {n}",
        merged_at=START + timedelta(hours=n),
        url=url.format(n=n) if url else None,
    )
    verdict = Classification(
        release_class=release_class, category=Category.FEATURE, reasons=(), jira_keys=keys
    )
    return RecordedChange(change=merged, classification=verdict, train=TRAIN, sprint=SPRINT.name)


def gid(n: int) -> str:
    return f"release-train:github:acme/api#{n}"


def test_a_first_sync_creates_the_ticket_and_attaches_every_change(world: World) -> None:
    world.record(change(1, keys=("PAY-77",)), change(2, url=None))

    result = world.sync()

    ticket = world.ticket()
    assert result.ticket is not None and result.ticket.key == ticket.key
    assert result.ticket.url == f"https://jira.example/browse/{ticket.key}"
    assert (ticket.summary, ticket.labels, ticket.sprints) == (
        "Release Train: Sprint 42",
        ["release-train"],
        {"42"},
    )
    assert ticket.remote_links == {
        gid(1): RemoteLink(
            global_id=gid(1),
            url="https://github.com/acme/api/pull/1",
            title="[api] Change 1",
            summary="continuous",
        )
    }
    assert ticket.links == {"PAY-77"}
    assert len(ticket.comments) == 1
    assert world.attached() == {"github:acme/api#1": True, "github:acme/api#2": True}
    assert (result.writes, result.attached, result.queued) == (5, 2, 0)
    assert world.ledger("remote-link") == [("done", 1)]
    assert world.ledger("summary") == [("done", 1)]


def test_a_rerun_with_nothing_new_makes_no_write_request(world: World) -> None:
    world.record(change(1, keys=("PAY-77",)), change(2))
    world.sync()

    calls = world.requests_during(world.sync)

    assert calls == ["remote_links"]


def test_one_new_merge_makes_one_remote_link_and_one_summary_update(world: World) -> None:
    world.record(change(1))
    world.sync()
    world.record(change(2))

    calls = world.requests_during(world.sync)

    assert calls == ["remote_links", "put_remote_link", "update_comment"]
    assert world.tracker.calls("put_remote_link")[-1]["global_id"] == gid(2)
    assert "Changes: 2" in world.ticket().comments[0].text


def test_three_syncs_leave_one_summary_comment(world: World) -> None:
    for n in (1, 2, 3):
        world.record(change(n))
        world.sync()

    comments = world.ticket().comments
    assert len(comments) == 1
    assert "Changes: 3" in comments[0].text
    assert world.ledger("summary") == [("done", 1), ("done", 1), ("done", 1)]


def test_a_link_whose_answer_was_lost_is_not_sent_again(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("put_remote_link", AnswerLostError("connection dropped"), commit=True)

    first = world.sync()
    calls = world.requests_during(world.sync)

    assert isinstance(first.failure, AnswerLostError)
    assert "put_remote_link" not in calls
    assert list(world.ticket().remote_links) == [gid(1)]
    assert world.ledger("remote-link") == [("done", 1)]
    assert world.attached() == {"github:acme/api#1": True}


def test_a_summary_whose_answer_was_lost_is_found_again_not_added_twice(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("add_comment", AnswerLostError("connection dropped"), commit=True)
    world.sync()

    second = world.requests_during(world.sync)
    third = world.requests_during(world.sync)

    assert second == ["remote_links", "comments"]
    assert third == ["remote_links"]
    assert len(world.ticket().comments) == 1
    assert world.ledger("summary") == [("done", 1)]


def test_a_summary_add_that_never_happened_is_made_once_on_the_next_sync(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("add_comment", AnswerLostError("connection dropped"))
    world.sync()

    calls = world.requests_during(world.sync)

    assert calls == ["remote_links", "comments", "add_comment"]
    assert len(world.ticket().comments) == 1
    assert world.ledger("summary") == [("done", 2)]


def test_an_issue_link_whose_answer_was_lost_is_read_back_not_repeated(world: World) -> None:
    world.record(change(1, keys=("PAY-77",)))
    world.tracker.fail("link_issues", AnswerLostError("connection dropped"), commit=True)
    world.sync()

    calls = world.requests_during(world.sync)

    assert calls == ["remote_links", "linked_issue_keys"]
    assert world.ledger("issue-link") == [("done", 1)]
    assert world.attached() == {"github:acme/api#1": True}


def test_text_that_only_looks_like_an_issue_key_is_tried_once(world: World) -> None:
    world.record(change(1, keys=("UTF-8", "PAY-77")))

    result = world.sync()
    calls = world.requests_during(world.sync)

    assert [c["other"] for c in world.tracker.calls("link_issues")] == ["UTF-8", "PAY-77"]
    assert any("UTF-8" in notice for notice in result.notices)
    assert calls == ["remote_links"]
    assert world.attached() == {"github:acme/api#1": True}


def test_a_change_naming_two_thousand_issues_makes_at_most_twenty_issue_links(
    world: World,
) -> None:
    named = make_change(
        id="github:acme/api#9",
        title="Refs " + " ".join(f"OPS-{n}" for n in range(1, 2001)),
        merged_at=START + timedelta(hours=1),
        url="https://github.com/acme/api/pull/9",
    )
    verdict = classify(named, config=PolicyConfig(), history=(), sprint=SPRINT.name)
    world.record(
        RecordedChange(change=named, classification=verdict, train=TRAIN, sprint=SPRINT.name)
    )

    world.sync()

    assert len(world.tracker.calls("link_issues")) == 20
    assert "1,980 left out" in verdict.reasons[-1]


def test_an_auth_error_stops_the_writes_at_once(world: World) -> None:
    world.record(change(1), change(2), change(3))
    world.tracker.fail("put_remote_link", AuthError("Jira denied the write (HTTP 403)"))

    with pytest.raises(AuthError):
        world.sync()

    assert len(world.tracker.calls("put_remote_link")) == 1
    assert world.tracker.calls("add_comment") == []
    assert set(world.attached().values()) == {False}
    world.sync()
    assert len(world.ticket().remote_links) == 3
    assert len(world.ticket().comments) == 1
    assert set(world.attached().values()) == {True}


def test_a_failed_write_leaves_its_change_queued_while_the_rest_goes_on(world: World) -> None:
    world.record(change(1), change(2), change(3))
    world.tracker.fail("put_remote_link", ServiceError("Jira answered with HTTP 500"))

    result = world.sync()

    assert isinstance(result.failure, ServiceError)
    assert (result.attached, result.queued) == (2, 1)
    assert world.attached()["github:acme/api#1"] is False
    assert len(world.ticket().comments) == 1
    calls = world.requests_during(world.sync)
    assert calls == ["remote_links", "put_remote_link"]
    assert world.tracker.calls("put_remote_link")[-1]["global_id"] == gid(1)
    assert set(world.attached().values()) == {True}


def test_throttling_beyond_the_budget_leaves_the_rest_for_the_next_sync(world: World) -> None:
    world.record(change(1), change(2))
    world.tracker.fail("put_remote_link", RateLimitedError("Jira kept answering 429"))

    result = world.sync()

    assert isinstance(result.failure, RateLimitedError)
    assert len(world.tracker.calls("put_remote_link")) == 1
    assert world.tracker.calls("add_comment") == []
    assert result.queued == 2


def test_a_crash_between_claiming_and_sending_is_finished_by_the_next_sync(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("put_remote_link", KeyboardInterrupt())

    with pytest.raises(KeyboardInterrupt):
        world.sync()
    world.sync()

    assert world.ledger("remote-link") == [("done", 2)]
    assert list(world.ticket().remote_links) == [gid(1)]


def test_a_crash_after_jira_took_a_link_settles_its_entry_by_reading(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("put_remote_link", KeyboardInterrupt(), commit=True)

    with pytest.raises(KeyboardInterrupt):
        world.sync()
    calls = world.requests_during(world.sync)

    assert "put_remote_link" not in calls
    assert world.ledger("remote-link") == [("done", 1)]


def test_a_link_changed_by_hand_is_put_back(world: World) -> None:
    world.record(change(1))
    world.sync()
    world.ticket().remote_links[gid(1)] = RemoteLink(gid(1), url="https://x.example", title="x")

    calls = world.requests_during(world.sync)

    assert calls == ["remote_links", "put_remote_link"]
    assert world.ticket().remote_links[gid(1)].url == "https://github.com/acme/api/pull/1"


def test_a_deleted_summary_comment_is_added_again(world: World) -> None:
    world.record(change(1))
    world.sync()
    world.ticket().comments.clear()
    world.record(change(2))

    calls = world.requests_during(world.sync)

    assert calls[-3:] == ["update_comment", "comments", "add_comment"]
    assert len(world.ticket().comments) == 1
    assert world.requests_during(world.sync) == ["remote_links"]


def test_a_summary_comment_the_store_does_not_know_is_adopted(world: World) -> None:
    world.record(change(1))
    world.sync()
    key = world.ticket().key
    world.store.close()
    fresh = World(SqlStore(url="sqlite://"))
    fresh.store.prepare(auto_upgrade=True)
    fresh.tracker = world.tracker
    fresh.record(change(1))
    fresh.store.set_ticket_key(train=TRAIN, sprint=SPRINT, key=key)

    calls = fresh.requests_during(fresh.sync)

    assert calls == ["remote_links", "comments", "update_comment"]
    assert len(world.tracker.issues[key].comments) == 1
    fresh.store.close()


def test_a_remembered_ticket_that_cannot_be_seen_is_named_not_replaced(world: World) -> None:
    world.record(change(1))
    world.sync()
    ticket = world.ticket()
    ticket.hidden = True

    with pytest.raises(TicketNotFoundError, match=f"{ticket.key}.*Sprint 42.*does not create"):
        world.sync()

    assert len(world.tracker.calls("create_ticket")) == 1
    assert len(world.tracker.calls("search_tickets")) == 1


def test_an_existing_ticket_is_found_by_jql_and_remembered(world: World) -> None:
    world.tracker.add_issue("PAY-5", labels=["release-train"], sprints={"42"})
    world.record(change(1))

    first = world.sync()
    calls = world.requests_during(world.sync)

    assert first.ticket is not None and first.ticket.key == "PAY-5"
    assert world.tracker.calls("create_ticket") == []
    assert calls == ["remote_links"]


def test_several_matching_tickets_are_refused_by_name(world: World) -> None:
    for key in ("PAY-5", "PAY-6"):
        world.tracker.add_issue(key, labels=["release-train"], sprints={"42"})
    world.record(change(1))

    with pytest.raises(ServiceError, match="PAY-5, PAY-6"):
        world.sync()

    assert world.tracker.writes == 0


def test_without_create_and_no_match_nothing_is_attached(world: World) -> None:
    world.rules = dataclasses.replace(RULES, create=False)
    world.record(change(1))

    result = world.sync()

    assert result.ticket is None
    assert world.tracker.writes == 0
    assert any("create is false" in notice for notice in result.notices)
    assert world.attached() == {"github:acme/api#1": False}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "project = PAY AND sprint = {sprint_name}",
            r'project = PAY AND sprint = "Plan \"B\" \\ AND project = OPS"',
        ),
        (
            "project = PAY AND sprint = '{sprint_name}' AND sprint = \"{sprint_id}\"",
            r'project = PAY AND sprint = "Plan \"B\" \\ AND project = OPS" AND sprint = 42',
        ),
    ],
    ids=["bare", "quoted-in-the-template"],
)
def test_sprint_values_are_quoted_so_they_cannot_change_the_query(
    world: World, template: str, expected: str
) -> None:
    world.rules = dataclasses.replace(RULES, jql=template, create=False)
    hostile = dataclasses.replace(SPRINT, name='Plan "B" \\ AND project = OPS')

    world.sync(sprint=hostile)

    assert world.tracker.calls("search_tickets")[0]["jql"] == expected


def test_a_create_whose_answer_was_lost_waits_for_search_then_finds_it(world: World) -> None:
    world.tracker.search_lag = 3
    world.record(change(1))
    world.tracker.fail("create_ticket", AnswerLostError("connection dropped"), commit=True)
    with pytest.raises(AnswerLostError):
        world.sync()

    world.clock.at += timedelta(minutes=1)
    waiting = world.sync()
    world.clock.at += timedelta(minutes=15)
    found = world.sync()

    assert waiting.ticket is None
    assert any("does not show it yet" in notice for notice in waiting.notices)
    assert len(world.tracker.calls("create_ticket")) == 1
    assert found.ticket is not None
    assert world.ticket().sprints == {"42"}
    assert list(world.ticket().remote_links) == [gid(1)]


def test_a_create_that_never_happened_is_made_after_the_search_delay(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("create_ticket", AnswerLostError("connection dropped"))
    with pytest.raises(AnswerLostError):
        world.sync()

    world.clock.at += timedelta(minutes=15)
    result = world.sync()

    assert result.ticket is not None
    assert len(world.tracker.calls("create_ticket")) == 2
    assert len(world.tracker.issues) == 2  # PAY-77 and the one ticket


def test_a_dry_run_writes_nothing_anywhere(world: World) -> None:
    world.record(change(1))

    nothing_yet = world.sync(dry_run=True)
    world.tracker.add_issue("PAY-5", labels=["release-train"], sprints={"42"})
    planned = world.sync(dry_run=True)

    assert nothing_yet.ticket is None
    assert any("would create" in notice for notice in nothing_yet.notices)
    assert planned.planned == [
        f"put remote link {gid(1)} on PAY-5: [api] Change 1",
        "add the summary comment to PAY-5",
    ]
    assert world.tracker.writes == 0
    assert world.store.get_ticket_key(train=TRAIN, sprint=SPRINT) is None
    assert world.store.ledger_entries(prefix="jira:") == []
    assert world.attached() == {"github:acme/api#1": False}


def test_a_create_refused_for_permission_is_made_again_once_allowed(world: World) -> None:
    world.record(change(1))
    world.tracker.fail("create_ticket", AuthError("Jira denied POST /issue (HTTP 403)"))
    with pytest.raises(AuthError):
        world.sync()

    result = world.sync()

    assert result.ticket is not None
    assert len(world.tracker.issues) == 2
    entries = world.store.ledger_entries(prefix=f"jira:{TRAIN}:create-ticket:42:")
    assert [(e.key.rsplit(":", 1)[1], e.state) for e in entries] == [("1", "failed"), ("2", "done")]


def test_a_ticket_being_created_by_another_sync_is_not_created_twice(world: World) -> None:
    world.record(change(1))
    world.store.ledger_claim(
        key=f"jira:{TRAIN}:create-ticket:42:1",
        service="jira",
        operation="create-ticket",
        request={"at": world.clock.now().isoformat()},
    )

    result = world.sync()

    assert result.ticket is None
    assert world.tracker.calls("create_ticket") == []


def test_a_remembered_ticket_the_bot_may_not_read_is_named_not_replaced(world: World) -> None:
    world.record(change(1))
    world.sync()
    key = world.ticket().key
    world.tracker.fail("remote_links", AuthError("Jira denied GET remotelink (HTTP 403)."))

    with pytest.raises(AuthError, match=f"HTTP 403.*{key} is the Release Train ticket"):
        world.sync()

    assert len(world.tracker.calls("create_ticket")) == 1
