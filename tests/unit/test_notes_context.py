"""The release-notes context: sections, reverts, violations, customer communication, counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import (
    Category,
    Change,
    Classification,
    DraftState,
    RecordedChange,
    ReleaseClass,
    Sprint,
)
from bot.services.notes.context import build_notes_context, short_id

START = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)  # 16 Nov 00:00 in Berlin
SPRINT = Sprint(name="Sprint 42", start=START, end=START + timedelta(days=14), id="42")


def recorded(
    number: int,
    *,
    category: Category = Category.FEATURE,
    release_class: ReleaseClass = ReleaseClass.CONTINUOUS,
    reasons: tuple[str, ...] = ("additive change",),
    author: str = "alice",
    violation: str | None = None,
    reverts: str | None = None,
    reverted_by: str | None = None,
) -> RecordedChange:
    change = Change(
        id=f"github:acme/api#{number}",
        source="api",
        title=f"Change {number}",
        merged_at=START + timedelta(hours=number),
        author=author,
        url=f"https://github.com/acme/api/pull/{number}",
        number=number,
    )
    classification = Classification(
        release_class=release_class, category=category, reasons=reasons, violation=violation
    )
    return RecordedChange(
        change=change,
        classification=classification,
        train="payments",
        sprint=SPRINT.name,
        reverts=reverts,
        reverted_by=reverted_by,
    )


def build(changes: list[RecordedChange], **overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "train": "payments",
        "sprint": SPRINT,
        "changes": changes,
        "ticket": None,
        "draft": DraftState(),
        "tz": "Europe/Berlin",
    }
    arguments.update(overrides)
    return build_notes_context(**arguments)


def listed_ids(context: dict[str, Any]) -> list[str]:
    in_sections = [c["id"] for s in context["sections"] for c in s["changes"]]
    return in_sections + [c["id"] for c in context["reverts"]]


def test_sections_follow_the_fixed_order_and_skip_empty_categories() -> None:
    changes = [
        recorded(1, category=Category.OTHER),
        recorded(2, category=Category.FIX),
        recorded(3, category=Category.FEATURE),
        recorded(4, category=Category.MIGRATION),
        recorded(5, category=Category.FEATURE),
    ]
    sections = build(changes)["sections"]
    assert [(s["category"], s["heading"]) for s in sections] == [
        ("feature", "Features"),
        ("fix", "Fixes"),
        ("migration", "Migrations"),
        ("other", "Other"),
    ]
    assert [c["short_id"] for c in sections[0]["changes"]] == ["#3", "#5"]


def test_every_category_has_a_heading() -> None:
    changes = [recorded(n, category=c) for n, c in enumerate(Category) if c is not Category.REVERT]
    headings = [s["heading"] for s in build(changes)["sections"]]
    assert headings == [
        "Features",
        "API",
        "UI",
        "Data",
        "Performance",
        "Fixes",
        "Migrations",
        "Other",
    ]


def test_change_and_its_revert_in_one_sprint_are_left_out_everywhere() -> None:
    bad = recorded(
        1,
        release_class=ReleaseClass.NEEDS_FLAG,
        author="mallory",
        violation="Backwards-incompatible without a flag.",
        reverted_by="github:acme/api#2",
    )
    revert = recorded(2, category=Category.REVERT, author="bob", reverts="github:acme/api#1")
    context = build([bad, revert, recorded(3)])
    assert listed_ids(context) == ["github:acme/api#3"]
    assert context["violations"] == []
    assert context["contributors"] == ["alice"]
    assert context["total"] == 1
    assert context["omitted"] == 2


def test_pair_is_found_from_either_side_of_the_link() -> None:
    only_reverted_by = [recorded(1, reverted_by="github:acme/api#2"), recorded(2)]
    only_reverts = [recorded(1), recorded(2, reverts="github:acme/api#1")]
    assert listed_ids(build(only_reverted_by)) == []
    assert listed_ids(build(only_reverts)) == []


def test_revert_of_an_earlier_trains_change_is_listed_under_reverts_only() -> None:
    revert = recorded(5, category=Category.REVERT, reverts="github:acme/api#1")
    context = build([revert, recorded(6)])
    assert [c["id"] for c in context["reverts"]] == ["github:acme/api#5"]
    assert [s["category"] for s in context["sections"]] == ["feature"]
    assert context["total"] == 2


def test_revert_whose_target_is_unknown_is_listed_under_reverts() -> None:
    context = build([recorded(5, category=Category.REVERT)])
    assert [c["id"] for c in context["reverts"]] == ["github:acme/api#5"]
    assert context["sections"] == []


@pytest.mark.parametrize(
    ("length", "original_listed"), [(1, False), (2, True), (2000, True), (2001, False)]
)
def test_reverting_a_revert_brings_the_original_back(length: int, original_listed: bool) -> None:
    # change 0, then each change reverts the one before: 0 stands when an even number of reverts
    # follow it. Long chains check the walk is not recursive.
    chain = [recorded(0)] + [
        recorded(n, category=Category.REVERT, reverts=f"github:acme/api#{n - 1}")
        for n in range(1, length + 1)
    ]
    expected = ["github:acme/api#0"] if original_listed else []
    assert listed_ids(build(chain)) == expected


def test_violations_name_the_rule_and_message() -> None:
    change = recorded(
        7, release_class=ReleaseClass.MIGRATION_CONTRACT, violation="Drops a column too early."
    )
    assert build([change, recorded(8)])["violations"] == [
        {
            "id": "github:acme/api#7",
            "short_id": "#7",
            "title": "Change 7",
            "url": "https://github.com/acme/api/pull/7",
            "source": "api",
            "rule": "migration-contract",
            "message": "Drops a column too early.",
            "waiver": None,
        }
    ]


@pytest.mark.parametrize(
    ("category", "release_class", "reasons", "expected"),
    [
        (Category.DATA, ReleaseClass.CONTINUOUS, ("labelled data-impact",), True),
        (Category.FEATURE, ReleaseClass.NEEDS_FLAG, ("changes customer data sets",), True),
        (Category.UI, ReleaseClass.FLAGGED, ("Data-impact label, behind flag x",), True),
        (Category.API, ReleaseClass.NEEDS_FLAG, ("backwards-incompatible API",), False),
        (Category.FEATURE, ReleaseClass.CONTINUOUS, ("data",), False),
        (Category.FIX, ReleaseClass.FLAGGED, ("metadata cache behind flag",), False),
    ],
)
def test_customer_communication_lists_data_changes(
    category: Category, release_class: ReleaseClass, reasons: tuple[str, ...], expected: bool
) -> None:
    change = recorded(1, category=category, release_class=release_class, reasons=reasons)
    listed = build([change])["customer_communication"]
    assert [c["id"] for c in listed] == (["github:acme/api#1"] if expected else [])


def test_counts_hold_every_release_class_with_zeros() -> None:
    changes = [recorded(1), recorded(2), recorded(3, release_class=ReleaseClass.FLAGGED)]
    context = build(changes)
    assert context["counts"] == {
        "continuous": 2,
        "flagged": 1,
        "needs-flag": 0,
        "migration-expand": 0,
        "migration-contract": 0,
    }
    assert context["total"] == 3


def test_contributors_are_unique_sorted_and_skip_unknown_authors() -> None:
    authors = ["bob", "alice", "Carol", "bob", ""]
    changes = [recorded(n, author=a) for n, a in enumerate(authors)]
    assert build(changes)["contributors"] == ["alice", "bob", "Carol"]


@pytest.mark.parametrize(
    ("change_id", "number", "sha", "expected"),
    [
        ("github:acme/api#418", 418, None, "#418"),
        ("gitlab:acme/web!12", 12, None, "!12"),
        ("git:ledger:" + "ab12cd34" * 5, None, "ab12cd34" * 5, "ab12cd3"),
        ("git:ledger:0f0f0f0f0f0f0f0f", None, None, "0f0f0f0f0f0f"),
    ],
)
def test_short_id_is_how_people_name_a_change(
    change_id: str, number: int | None, sha: str | None, expected: str
) -> None:
    change = Change(id=change_id, source="s", title="t", merged_at=START, number=number, sha=sha)
    assert short_id(change) == expected


@pytest.mark.parametrize(
    ("start", "days", "first", "last", "dates"),
    [
        (START, 14, "2026-11-16", "2026-11-29", "16 Nov \u2013 29 Nov 2026"),
        (datetime(2026, 12, 27, 23, 0, tzinfo=UTC), 14, "2026-12-28", "2027-01-10",
         "28 Dec 2026 \u2013 10 Jan 2027"),
        (datetime(2026, 11, 16, 9, 0, tzinfo=UTC), 1, "2026-11-16", "2026-11-17",
         "16 Nov \u2013 17 Nov 2026"),
    ],
)  # fmt: skip
def test_sprint_days_are_shown_in_the_trains_timezone(
    start: datetime, days: int, first: str, last: str, dates: str
) -> None:
    sprint = Sprint(name="S", start=start, end=start + timedelta(days=days))
    shown = build([], sprint=sprint, tz=ZoneInfo("Europe/Berlin"))["sprint"]
    assert (shown["first_day"], shown["last_day"], shown["dates"]) == (first, last, dates)
    assert shown["start"] == start.isoformat()


def test_context_holds_ticket_draft_and_merge_times_as_plain_data() -> None:
    approved_at = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    draft = DraftState(version=3, state="approved", approved_by="U1", approved_at=approved_at)
    ticket = {"key": "PAY-123", "url": "https://acme.atlassian.net/browse/PAY-123"}
    context = build([recorded(1)], ticket=ticket, draft=draft)
    assert context["ticket"] == ticket
    assert context["draft"] == {
        "version": 3,
        "state": "approved",
        "approved_by": "U1",
        "approved_at": "2026-11-27T09:30:00+00:00",
        "approved_at_local": "2026-11-27 10:30",
    }
    change = context["sections"][0]["changes"][0]
    assert (change["merged_at"], change["merged_on"]) == ("2026-11-16T00:00:00+00:00", "2026-11-16")
    assert_plain(context)


def assert_plain(value: object) -> None:
    if isinstance(value, dict):
        assert all(isinstance(key, str) for key in value)
        for item in value.values():
            assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain(item)
    else:
        assert value is None or type(value) in (str, int), repr(value)


def test_ten_thousand_changes_are_all_counted() -> None:
    categories = [c for c in Category if c is not Category.REVERT]
    changes = [
        recorded(n, category=categories[n % len(categories)], author=f"dev{n % 40}")
        for n in range(10_000)
    ]
    context = build(changes)
    assert context["total"] == 10_000
    assert len(context["contributors"]) == 40
