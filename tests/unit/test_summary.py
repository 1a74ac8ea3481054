"""The summary comment: a findable marker, counts, violations as literal text, the draft state."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain.document import BulletList, Document, Heading, Inline, Link, Paragraph, Text
from bot.domain.model import Category, Classification, DraftState, RecordedChange, ReleaseClass
from bot.services.tickets.summary import (
    SUMMARY_MARKER,
    VIOLATIONS_SHOWN,
    build_summary,
    document_hash,
    is_summary_comment,
)
from tests.fakes.memory_tracker import plain_text
from tests.unit.builders import make_change

NO_DRAFT = DraftState()
HOSTILE = "{code}[~accountid:123] !http://evil.example/x.png! *bold* <b>"


def _rc(
    n: int,
    *,
    release_class: ReleaseClass = ReleaseClass.CONTINUOUS,
    violation: str | None = None,
    url: str | None = "https://git.example/{n}",
    title: str | None = None,
) -> RecordedChange:
    change = make_change(
        id=f"git:api:{n:040x}",
        source="api",
        title=title or f"Change {n}",
        url=url.format(n=n) if url else None,
    )
    verdict = Classification(
        release_class=release_class, category=Category.OTHER, reasons=(), violation=violation
    )
    return RecordedChange(change=change, classification=verdict, train="payments", sprint="S 1")


def _inlines(document: Document) -> Iterator[Inline]:
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield from block.content
        elif isinstance(block, BulletList):
            for item in block.items:
                yield from item


def _summary(*changes: RecordedChange, draft: DraftState = NO_DRAFT) -> Document:
    return build_summary(sprint_name="Sprint 42", changes=changes, draft=draft)


def test_the_comment_opens_with_its_heading_and_the_marker_the_bot_finds_again() -> None:
    document = _summary(_rc(1))

    assert document.blocks[0] == Heading("Release Train — Sprint 42", level=3)
    assert document.blocks[1] == Paragraph((Text(SUMMARY_MARKER),))
    assert is_summary_comment(plain_text(document))
    assert not is_summary_comment("Release Train — Sprint 42\nsomeone's own comment")


def test_changes_are_counted_by_every_release_class() -> None:
    document = _summary(
        _rc(1),
        _rc(2),
        _rc(3, release_class=ReleaseClass.FLAGGED),
        _rc(4, release_class=ReleaseClass.NEEDS_FLAG, violation="needs a flag"),
    )

    text = plain_text(document)

    assert "Changes: 4" in text
    for line in (
        "continuous: 2",
        "flagged: 1",
        "needs-flag: 1",
        "migration-expand: 0",
        "migration-contract: 0",
    ):
        assert line in text.splitlines()


def test_a_violation_is_named_by_source_and_title_and_links_its_url() -> None:
    linked = _rc(1, release_class=ReleaseClass.NEEDS_FLAG, violation="UI change without a flag")
    unlinked = _rc(2, release_class=ReleaseClass.NEEDS_FLAG, violation="no flag", url=None)

    items = [block for block in _summary(linked, unlinked).blocks if isinstance(block, BulletList)]

    violations = items[-1].items
    assert violations == (
        (Link("[api] Change 1", "https://git.example/1"), Text(" — UI change without a flag")),
        (Text("[api] Change 2"), Text(" — no flag")),
    )


def test_untrusted_text_appears_only_in_text_and_link_nodes() -> None:
    hostile = _rc(1, release_class=ReleaseClass.NEEDS_FLAG, violation=HOSTILE, title=HOSTILE)
    approved = DraftState(version=2, state="approved", approved_by=HOSTILE)

    document = _summary(hostile, draft=approved)

    literal = "".join(item.text for item in _inlines(document))
    assert literal.count(HOSTILE) == 3
    headings = [block.text for block in document.blocks if isinstance(block, Heading)]
    assert all(HOSTILE not in text for text in headings)


def test_a_long_list_of_violations_is_cut_short() -> None:
    changes = [
        _rc(n, release_class=ReleaseClass.NEEDS_FLAG, violation="no flag")
        for n in range(VIOLATIONS_SHOWN + 7)
    ]

    text = plain_text(_summary(*changes))

    assert f"Policy violations: {VIOLATIONS_SHOWN + 7}" in text
    assert text.count(" — no flag") == VIOLATIONS_SHOWN
    assert "… and 7 more" in text


@pytest.mark.parametrize(
    ("draft", "line"),
    [
        (DraftState(), "Release notes: no draft yet"),
        (DraftState(version=3, state="pending"), "Release notes: version 3 awaits approval"),
        (
            DraftState(
                version=3,
                state="approved",
                approved_by="Dana (U123)",
                approved_at=datetime(2026, 11, 20, 15, 30, tzinfo=timezone(timedelta(hours=2))),
            ),
            "Release notes: version 3 approved by Dana (U123) on 2026-11-20 13:30 UTC",
        ),
        (
            DraftState(version=1, state="changes_requested"),
            "Release notes: changes requested to version 1",
        ),
    ],
)
def test_the_draft_state_is_stated(draft: DraftState, line: str) -> None:
    assert plain_text(_summary(draft=draft)).splitlines()[-1] == line


def test_the_hash_changes_with_the_counts_and_not_with_bookkeeping() -> None:
    one = _summary(_rc(1))
    again = _summary(dataclasses.replace(_rc(1), attached=True, new=True))
    two = _summary(_rc(1), _rc(2))

    assert document_hash(one) == document_hash(again)
    assert document_hash(one) != document_hash(two)


def test_the_hash_changes_with_the_draft_state() -> None:
    pending = DraftState(version=1, state="pending")
    approved = DraftState(
        version=1, state="approved", approved_by="U1", approved_at=datetime(2026, 1, 1, tzinfo=UTC)
    )

    assert document_hash(_summary(draft=pending)) != document_hash(_summary(draft=approved))
