"""The store's sprint list, remembered tickets and ledger listing, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.adapters.store import SqlStore
from bot.domain.model import Sprint

TRAIN = "payments"
T0 = datetime(2026, 11, 16, tzinfo=UTC)


def _sprint(n: int, *, state: str = "closed", name: str | None = None) -> Sprint:
    start = T0 + timedelta(days=14 * n)
    return Sprint(
        name=name or f"Sprint {n}",
        start=start,
        end=start + timedelta(days=14),
        id=str(100 + n),
        state=state,
    )


def test_sprints_are_listed_by_start_per_train(store: SqlStore) -> None:
    for sprint in (_sprint(3, state="active"), _sprint(1), _sprint(2)):
        store.save_sprint(train=TRAIN, sprint=sprint)
    store.save_sprint(train="checkout", sprint=_sprint(4))

    listed = store.list_sprints(train=TRAIN)

    assert listed == [_sprint(1), _sprint(2), _sprint(3, state="active")]
    assert store.list_sprints(train="nobody") == []


def test_a_ticket_is_remembered_for_its_sprint_only(store: SqlStore) -> None:
    store.save_sprint(train=TRAIN, sprint=_sprint(1))
    store.save_sprint(train=TRAIN, sprint=_sprint(2))

    store.set_ticket_key(train=TRAIN, sprint=_sprint(1), key="PAY-9")

    assert store.get_ticket_key(train=TRAIN, sprint=_sprint(1)) == "PAY-9"
    assert store.get_ticket_key(train=TRAIN, sprint=_sprint(2)) is None
    assert store.get_ticket_key(train="checkout", sprint=_sprint(1)) is None


def test_remembering_a_ticket_saves_a_sprint_not_yet_saved(store: SqlStore) -> None:
    cadence = Sprint(name="Sprint 5", start=T0, end=T0 + timedelta(days=14))

    store.set_ticket_key(train=TRAIN, sprint=cadence, key="PAY-5")

    assert store.list_sprints(train=TRAIN) == [cadence]
    assert store.get_ticket_key(train=TRAIN, sprint=cadence) == "PAY-5"


def test_saving_a_sprint_again_keeps_its_ticket(store: SqlStore) -> None:
    store.set_ticket_key(train=TRAIN, sprint=_sprint(1, state="active"), key="PAY-9")

    store.save_sprint(train=TRAIN, sprint=_sprint(1))

    assert store.get_ticket_key(train=TRAIN, sprint=_sprint(1)) == "PAY-9"
    assert store.list_sprints(train=TRAIN) == [_sprint(1)]


def test_a_sprint_renamed_in_jira_keeps_its_ticket(store: SqlStore) -> None:
    store.set_ticket_key(train=TRAIN, sprint=_sprint(1), key="PAY-9")
    renamed = _sprint(1, name="Sprint 1 (payments)")
    store.save_sprint(train=TRAIN, sprint=renamed)

    assert store.get_ticket_key(train=TRAIN, sprint=renamed) == "PAY-9"


def test_the_ledger_lists_entries_under_an_exact_prefix(store: SqlStore) -> None:
    keys = [
        "jira:payments:PAY-1:summary:1",
        "jira:payments:PAY-1:remote-link:git:api:1",
        "jira:payments:PAY-10:summary:1",  # a longer key sharing the prefix's text
        "jira:payments:pay-1:summary:1",  # another case
        "jira:payments:PAY_1:summary:1",  # "_" is a LIKE wildcard
        "jira:payments:PAY%1:summary:1",  # so is "%"
    ]
    for key in keys:
        store.ledger_claim(key=key, service="jira", operation="test", request={"k": key})
    store.ledger_complete(key=keys[0], result={"comment_id": "7"})

    listed = store.ledger_entries(prefix="jira:payments:PAY-1:")

    assert [entry.key for entry in listed] == keys[:2]
    assert listed[0].state == "done"
    assert listed[0].result == {"comment_id": "7"}
    assert listed[1].request == {"k": keys[1]}
    assert [e.key for e in store.ledger_entries(prefix="jira:payments:PAY%1:")] == [keys[5]]


def test_a_sprint_saved_with_another_window_is_listed_with_it(store: SqlStore) -> None:
    store.save_sprint(train=TRAIN, sprint=_sprint(1, state="active"))
    closed = dataclasses.replace(_sprint(1), end=T0 + timedelta(days=20))

    store.save_sprint(train=TRAIN, sprint=closed)

    assert store.list_sprints(train=TRAIN) == [closed]
