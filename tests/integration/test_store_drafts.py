"""Draft versions for the approval flow: numbering, messages, superseding and decisions racing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from bot.adapters.store import SqlStore
from bot.ports.store import StoredDraft
from tests.integration.replicas import run_together

TRAIN = "payments"
SPRINT = "Sprint 1"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def add(store: SqlStore, content: str, *, fmt: str = "slack", by: str | None = None) -> StoredDraft:
    return store.add_draft(
        train=TRAIN,
        sprint=SPRINT,
        content=content,
        created_by=by,
        created_at=T0,
        fmt=fmt,
        edited=by is not None,
    )


def decide(
    store: SqlStore, version: int, *, user: str = "U_ANA", decision: str = "approved"
) -> tuple[bool, StoredDraft]:
    return store.decide_draft(
        train=TRAIN,
        sprint=SPRINT,
        version=version,
        decision=decision,
        user=user,
        at=T0 + timedelta(hours=1),
        note=f"note from {user}",
    )


def test_a_version_keeps_its_format_author_and_message(store: SqlStore) -> None:
    add(store, "*Fixes*")
    edited = add(store, "Fixes, reworded", fmt="text", by="U_EVE")
    store.set_draft_posted(train=TRAIN, sprint=SPRINT, version=2, channel="C1", ts="171.000200")

    found = store.get_draft(train=TRAIN, sprint=SPRINT, version=2)

    assert (edited.version, edited.fmt, edited.edited, edited.created_by) == (
        2,
        "text",
        True,
        "U_EVE",
    )
    assert found is not None
    assert (found.posted_channel, found.posted_ts, found.edited) == ("C1", "171.000200", True)
    first = store.get_draft(train=TRAIN, sprint=SPRINT, version=1)
    assert first is not None
    assert (first.fmt, first.edited, first.posted_ts) == ("slack", False, None)
    assert store.get_draft(train=TRAIN, sprint=SPRINT, version=3) is None


def test_unchanged_notes_return_the_stored_version_and_where_it_was_posted(
    store: SqlStore,
) -> None:
    add(store, "*Fixes*")
    store.set_draft_posted(train=TRAIN, sprint=SPRINT, version=1, channel="C1", ts="1.2")

    again = add(store, "*Fixes*")

    assert (again.version, again.posted_ts) == (1, "1.2")
    assert [draft.version for draft in store.list_drafts(train=TRAIN, sprint=SPRINT)] == [1]


def test_superseding_retires_only_older_pending_versions(store: SqlStore) -> None:
    add(store, "one")
    decide(store, 1, decision="changes_requested")
    add(store, "two")
    add(store, "three")
    add(store, "four")

    retired = store.supersede_drafts(train=TRAIN, sprint=SPRINT, below=4)

    assert [draft.version for draft in retired] == [2, 3]
    assert all(draft.state == "superseded" for draft in retired)
    states = [draft.state for draft in store.list_drafts(train=TRAIN, sprint=SPRINT)]
    assert states == ["changes_requested", "superseded", "superseded", "pending"]
    assert store.supersede_drafts(train=TRAIN, sprint=SPRINT, below=4) == []


def test_a_decision_keeps_its_note_and_a_lost_click_sees_who_decided(store: SqlStore) -> None:
    add(store, "notes")

    won, decided = decide(store, 1, user="U_ANA", decision="changes_requested")
    lost, current = decide(store, 1, user="U_BOB")

    assert won is True
    assert (decided.state, decided.decision_note) == ("changes_requested", "note from U_ANA")
    assert lost is False
    assert (current.version, current.state, current.decided_by) == (
        1,
        "changes_requested",
        "U_ANA",
    )


def test_a_superseded_version_cannot_be_decided_and_names_the_newer_one(
    store: SqlStore,
) -> None:
    add(store, "one")
    add(store, "two")
    store.supersede_drafts(train=TRAIN, sprint=SPRINT, below=2)

    won, current = decide(store, 1)

    assert won is False
    assert (current.version, current.state) == (2, "pending")


def test_deciding_on_a_sprint_without_drafts_is_a_lookup_error(store: SqlStore) -> None:
    with pytest.raises(LookupError, match="no release-notes draft"):
        decide(store, 1)


def test_five_identical_clicks_at_once_make_one_transition(
    store: SqlStore, store_url: str, raw_engine: Engine
) -> None:
    add(store, "notes")

    results = run_together(5, lambda replica: decide(replica, 1, user="U_ANA"), store_url)

    assert sorted(won for won, _ in results) == [False, False, False, False, True]
    assert {(current.state, current.decided_by) for _, current in results} == {
        ("approved", "U_ANA")
    }
    with raw_engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM decisions")).scalar_one()
    assert count == 1


def test_two_approvers_on_two_replicas_make_one_decision(store: SqlStore, store_url: str) -> None:
    add(store, "notes")
    users = ["U_ANA", "U_BOB"]  # list.pop is atomic: each replica takes one approver

    results = run_together(2, lambda replica: decide(replica, 1, user=users.pop()), store_url)

    winners = [current.decided_by for won, current in results if won]
    assert len(winners) == 1
    assert {current.decided_by for _, current in results} == set(winners)


def test_replicas_adding_different_notes_at_once_get_distinct_versions(
    store: SqlStore, store_url: str
) -> None:
    texts = [f"notes {n}" for n in range(4)]  # each replica pops its own

    results = run_together(4, lambda replica: add(replica, texts.pop()), store_url)

    assert sorted(draft.version for draft in results) == [1, 2, 3, 4]
    stored = store.list_drafts(train=TRAIN, sprint=SPRINT)
    assert sorted(draft.content for draft in stored) == [f"notes {n}" for n in range(4)]


def test_replicas_adding_the_same_notes_at_once_store_one_version(
    store: SqlStore, store_url: str
) -> None:
    results = run_together(4, lambda replica: add(replica, "same notes"), store_url)

    assert [draft.version for draft in results] == [1, 1, 1, 1]
    assert len(store.list_drafts(train=TRAIN, sprint=SPRINT)) == 1


def test_replicas_superseding_at_once_each_retire_a_version_once(
    store: SqlStore, store_url: str
) -> None:
    for n in range(5):
        add(store, f"notes {n}")

    results = run_together(
        3,
        lambda replica: replica.supersede_drafts(train=TRAIN, sprint=SPRINT, below=5),
        store_url,
    )

    retired = sorted(draft.version for result in results for draft in result)
    assert retired == [1, 2, 3, 4]
