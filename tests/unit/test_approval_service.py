"""Approving a draft, fast: the approval service over in-memory store roles, chat and tracker.

The same service the Slack app runs, wired as the bootstrap wires it, with every counterpart a
stateful in-memory fake: a decision is taken once, only its click writes to Jira, a lost answer
is read back rather than repeated, and what is still owed is finished once by a later call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import AuthError
from bot.services.approvals.decide import ApprovalService, approvers_of
from bot.services.approvals.drafts import DraftMessages, DraftRef, DraftService, ref_of
from bot.services.approvals.follow_up import (
    ApprovalFollowUps,
    ApprovedNotesWriter,
    Approver,
    follow_up_key,
    owed_follow_up,
)
from bot.slack_app.draft_blocks import BlockKitComposer
from tests.fakes.clock import FakeClock
from tests.fakes.memory_chat import MemoryChat
from tests.fakes.memory_store import MemoryState, MemoryStore
from tests.fakes.memory_tracker import AnswerLostError, MemoryTracker

TRAIN = "payments"
SPRINT = "Sprint 7"
CHANNEL = "C0RELEASE"
ALICE, BOB, MALLORY = "U0ALICE", "U0BOB", "U0MALLORY"
TZ = ZoneInfo("Europe/Berlin")
MARKER = "Release notes approved in Slack"


@dataclass
class Desk:
    """One train's approval, as one process (one store object) sees it."""

    store: MemoryStore
    chat: MemoryChat
    tracker: MemoryTracker
    approval: ApprovalService
    follow_ups: ApprovalFollowUps
    drafts: DraftService


def wire(
    *,
    state: MemoryState,
    chat: MemoryChat,
    tracker: MemoryTracker | None,
    holder: str = "one",
) -> Desk:
    store = MemoryStore(state, holder=holder)
    clock = FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    composer = BlockKitComposer()
    messages = DraftMessages(chat=chat, composer=composer, changes=store, tz=TZ)
    drafts = DraftService(
        train=TRAIN,
        channel=CHANNEL,
        store=store,
        chat=chat,
        composer=composer,
        clock=clock,
        notes=None,  # type: ignore[arg-type]  # these tests post notes they were given
    )
    writer = None
    if tracker is not None:
        writer = ApprovedNotesWriter(train=TRAIN, tracker=tracker, ledger=store)
    follow_ups = ApprovalFollowUps(
        train=TRAIN,
        tz=TZ,
        store=store,
        writer=writer,
        ticket_link=(lambda key: f"https://jira.example/browse/{key}") if tracker else None,
        show=messages.show_decision,
    )
    approval = ApprovalService(
        train=TRAIN,
        approvers=approvers_of([ALICE], ["S0LEADS"]),
        store=store,
        chat=chat,
        drafts=drafts,
        messages=messages,
        follow_ups=follow_ups,
        clock=clock,
        tz=TZ,
    )
    return Desk(store, chat, tracker or MemoryTracker(), approval, follow_ups, drafts)


@pytest.fixture
def state() -> MemoryState:
    return MemoryState()


@pytest.fixture
def chat() -> MemoryChat:
    return MemoryChat(names={ALICE: "Alice Approver", BOB: "Bob Lead"}, groups={"S0LEADS": {BOB}})


@pytest.fixture
def tracker() -> MemoryTracker:
    jira = MemoryTracker()
    jira.add_issue("PAY-1", summary="Release Train: Sprint 7")
    return jira


@pytest.fixture
def desk(state: MemoryState, chat: MemoryChat, tracker: MemoryTracker) -> Desk:
    wired = wire(state=state, chat=chat, tracker=tracker)
    wired.store.state.tickets[(TRAIN, SPRINT)] = "PAY-1"
    return wired


def posted(desk: Desk, notes: str = "*Features*\n• Add refund reason") -> DraftRef:
    outcome = desk.drafts.post_notes(sprint=SPRINT, notes=notes, counts={"continuous": 1})
    assert outcome.posted
    draft = desk.store.latest_draft(train=TRAIN, sprint=SPRINT)
    assert draft is not None
    return ref_of(draft)


def approved_comments(tracker: MemoryTracker) -> list[str]:
    return [c.text for c in tracker.issues["PAY-1"].comments if MARKER in c.text]


def test_an_approval_writes_one_comment_and_the_label_and_shows_the_ticket(desk: Desk) -> None:
    ref = posted(desk)

    answer = desk.approval.approve(ref, Approver(user_id=ALICE, name="alice"))

    assert answer.changed and "PAY-1" in answer.text
    comments = approved_comments(desk.tracker)
    assert len(comments) == 1 and "Alice Approver (Slack user U0ALICE)" in comments[0]
    assert desk.tracker.issues["PAY-1"].labels == ["release-notes-approved"]
    message = desk.chat.messages[0]
    shown = desk.chat.last_block_text(message.ts)
    assert "Approved by <@U0ALICE>" in shown and "PAY-1" in shown and "hourglass" not in shown
    assert "writing the approved notes to PAY-1" in message.versions[1]  # shown before Jira
    assert desk.store.ledger_get(key=follow_up_key(TRAIN, SPRINT, 1)).state == "done"  # type: ignore[union-attr]


def test_a_click_that_lost_the_decision_writes_nothing_and_is_told_who_decided(
    desk: Desk,
) -> None:
    ref = posted(desk)
    desk.approval.approve(ref, Approver(user_id=ALICE, name="alice"))
    writes, updates = desk.tracker.writes, desk.chat.calls.count("update_message")

    answer = desk.approval.approve(ref, Approver(user_id=BOB, name="bob"))

    assert not answer.changed and "already approved by <@U0ALICE>" in answer.text
    assert desk.tracker.writes == writes
    assert desk.chat.calls.count("update_message") == updates


def test_a_comment_whose_answer_was_lost_is_found_by_its_marker_not_posted_again(
    desk: Desk,
) -> None:
    ref = posted(desk)
    desk.tracker.fail("add_comment", AnswerLostError("the answer never came"), commit=True)

    answer = desk.approval.approve(ref, Approver(user_id=ALICE, name="alice"))
    waiting = desk.chat.last_block_text(desk.chat.messages[0].ts)
    finished = desk.follow_ups.complete_pending()

    assert "next sync" in answer.text and "later click" not in answer.text
    assert "next sync" in waiting
    assert [f.done for f in finished] == [True]
    assert len(approved_comments(desk.tracker)) == 1
    assert len(desk.tracker.calls("add_comment")) == 1
    assert "release-notes-approved" in desk.tracker.issues["PAY-1"].labels
    assert "next sync" not in desk.chat.last_block_text(desk.chat.messages[0].ts)


def test_a_failed_label_is_added_once_by_the_next_completion(desk: Desk) -> None:
    ref = posted(desk)
    desk.tracker.fail("add_label", AuthError("Jira denied PUT /issue/PAY-1 (HTTP 403)"))

    desk.approval.approve(ref, Approver(user_id=ALICE, name="alice"))
    desk.follow_ups.complete_pending()
    again = desk.follow_ups.complete_pending()

    assert again == []
    assert len(desk.tracker.calls("add_label")) == 2  # the refused one, then the one that took
    assert len(approved_comments(desk.tracker)) == 1


def test_a_follow_up_another_process_holds_is_left_to_it(
    state: MemoryState, chat: MemoryChat, tracker: MemoryTracker
) -> None:
    first = wire(state=state, chat=chat, tracker=tracker, holder="replica-1")
    second = wire(state=state, chat=chat, tracker=tracker, holder="replica-2")
    state.tickets[(TRAIN, SPRINT)] = "PAY-1"
    ref = posted(first)
    # replica-1 took the decision (and holds what it owes) but has not written Jira yet.
    won, _ = first.store.decide_draft(
        train=TRAIN,
        sprint=SPRINT,
        version=ref.version,
        decision="approved",
        user=ALICE,
        at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        note="Alice Approver",
        owed=owed_follow_up(TRAIN, SPRINT, ref.version),
    )

    elsewhere = second.follow_ups.complete_pending()

    assert won and [f.elsewhere for f in elsewhere] == [True]
    assert tracker.writes == 0


def test_without_a_ticket_the_approval_waits_for_one_and_says_so(
    state: MemoryState, chat: MemoryChat, tracker: MemoryTracker
) -> None:
    desk = wire(state=state, chat=chat, tracker=tracker)
    ref = posted(desk)

    answer = desk.approval.approve(ref, Approver(user_id=ALICE, name="alice"))
    waiting = desk.follow_ups.complete_pending()
    state.tickets[(TRAIN, SPRINT)] = "PAY-1"
    finished = desk.follow_ups.complete_pending()

    assert "No Release Train ticket is known" in answer.text
    assert [f.done for f in waiting] == [False]
    assert [f.done for f in finished] == [True]
    assert len(approved_comments(tracker)) == 1


def test_without_jira_an_approval_only_updates_the_message(
    state: MemoryState, chat: MemoryChat
) -> None:
    desk = wire(state=state, chat=chat, tracker=None)
    ref = posted(desk)

    answer = desk.approval.approve(ref, Approver(user_id=ALICE, name="alice"))

    assert answer.text == "You approved version 1."
    assert chat.calls.count("update_message") == 1
    assert desk.follow_ups.complete_pending() == []


def test_someone_not_an_approver_is_refused_and_nothing_changes(desk: Desk) -> None:
    ref = posted(desk)

    answer = desk.approval.approve(ref, Approver(user_id=MALLORY, name="mallory"))

    assert not answer.changed and "Only the approvers" in answer.text
    assert desk.store.latest_draft(train=TRAIN, sprint=SPRINT).state == "pending"  # type: ignore[union-attr]


def test_a_member_of_an_approver_group_may_approve(desk: Desk) -> None:
    ref = posted(desk)

    answer = desk.approval.approve(ref, Approver(user_id=BOB, name="bob"))

    assert answer.changed


def test_when_the_group_cannot_be_read_the_answer_is_no(desk: Desk) -> None:
    ref = posted(desk)
    desk.chat.fail_next("group_members")

    answer = desk.approval.approve(ref, Approver(user_id=BOB, name="bob"))

    assert not answer.changed and "could not be read" in answer.text
