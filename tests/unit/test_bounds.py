"""Bounding text written to services: only untrusted text is cut, and the cut is said."""

from __future__ import annotations

import json

from bot.domain.bounds import bound_document, cut_text, utf16_length
from bot.domain.document import BulletList, Document, Heading, Link, Paragraph, Text

MARKER = "This comment is kept up to date by the bot; edits to it are overwritten."


def _size(document: Document) -> int:
    return utf16_length(json.dumps(repr(document), ensure_ascii=False))


def _summary(title: str, violations: int = 1) -> Document:
    items = tuple(
        (Link(f"[api] {title} {n}", f"https://git.example.com/{n}"), Text(" — needs a flag"))
        for n in range(violations)
    )
    return Document(
        (
            Heading("Release Train — Sprint 7"),
            Paragraph((Text(MARKER),)),
            Paragraph((Text("Changes: ", strong=True), Text(str(violations)))),
            BulletList(items),
            Paragraph((Text("Release notes: ", strong=True), Text("no draft yet"))),
        )
    )


def test_cut_counts_as_jira_does_and_says_it_cut() -> None:
    assert cut_text("short", 10) == "short"
    assert cut_text("abcdefghij", 5) == "abcd…"
    emoji = "😀" * 10  # two UTF-16 units each
    cut = cut_text(emoji, 9, measure=utf16_length)
    assert cut == "😀" * 4 + "…"
    assert utf16_length(cut) <= 9


def test_a_document_that_fits_is_unchanged() -> None:
    document = _summary("Fix rounding")
    bounded = bound_document(document, limit=100_000, size=_size, what="the limit")
    assert bounded.document == document
    assert not bounded.cut


def test_a_forty_thousand_character_title_is_cut_and_the_structure_kept() -> None:
    document = _summary("x" * 40_000)

    bounded = bound_document(document, limit=5_000, size=_size, what="Jira's comment limit")

    assert _size(bounded.document) <= 5_000
    blocks = bounded.document.blocks
    assert blocks[:3] == document.blocks[:3]  # heading, marker and counts kept whole
    assert blocks[4] == document.blocks[4]
    (item,) = blocks[3].items  # type: ignore[union-attr]
    assert item[0].text.startswith("[api] xxx") and item[0].text.endswith("…")
    assert item[0].url == "https://git.example.com/0"  # type: ignore[union-attr]
    assert blocks[-1] == Paragraph(
        (Text("Shortened to fit Jira's comment limit: 1 text(s) shortened."),)
    )


def test_too_many_items_are_left_out_after_texts_are_cut() -> None:
    document = _summary("y" * 1_000, violations=50)

    bounded = bound_document(document, limit=8_000, size=_size, what="the limit")

    assert _size(bounded.document) <= 8_000
    items = bounded.document.blocks[3].items  # type: ignore[union-attr]
    assert items[-1] == (Text(f"… {bounded.left_out_items} more not shown"),)
    assert len(items) - 1 + bounded.left_out_items == 50
    assert bounded.document.blocks[1] == Paragraph((Text(MARKER),))
    assert "list item(s) left out" in bounded.document.blocks[-1].content[0].text  # type: ignore[union-attr]
