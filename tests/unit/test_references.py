"""Jira keys, conventional-commit titles, breaking-change footers and git trailers."""

from __future__ import annotations

import pytest

from bot.domain.model import Change
from bot.domain.references import (
    Conventional,
    compile_key_pattern,
    display_title,
    find_jira_keys,
    is_breaking,
    parse_conventional,
    parse_trailers,
    strip_html_comments,
)
from tests.unit.builders import make_change


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["PAY-1 and PAY-2"], ("PAY-1", "PAY-2")),
        (["PAY-2 first", "then PAY-1", "PAY-2 again"], ("PAY-2", "PAY-1")),
        (["feature/PAY-77-refunds"], ("PAY-77",)),
        (["feature/PAY-77_refunds"], ("PAY-77",)),
        (["see (OPS-3), [WEB-4]."], ("OPS-3", "WEB-4")),
        (["https://acme.atlassian.net/browse/PAY-123"], ("PAY-123",)),
        (["ABC-12x is not a key"], ()),
        (["xABC-12 is not one either"], ()),
        (["lower-case pay-12 does not count"], ()),
        (["A-1 needs two letters"], ()),
        (["P2P-9 may hold digits"], ("P2P-9",)),
        ([""], ()),
        ([], ()),
    ],
)
def test_jira_keys_are_ordered_deduplicated_and_stand_alone(
    texts: list[str], expected: tuple[str, ...]
) -> None:
    assert find_jira_keys(texts) == expected


def test_jira_key_pattern_is_configurable() -> None:
    assert find_jira_keys(["PAY-1 and OPS-2"], pattern="PAY-[0-9]+") == ("PAY-1",)


def test_invalid_jira_key_pattern_names_the_pattern() -> None:
    with pytest.raises(ValueError, match=r"invalid Jira key pattern '\[A-Z'"):
        compile_key_pattern("[A-Z")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("feat: add refunds", Conventional("feat", None, False, "add refunds")),
        ("fix(api): handle nulls", Conventional("fix", "api", False, "handle nulls")),
        ("feat!: drop v1", Conventional("feat", None, True, "drop v1")),
        ("feat(api)!: drop v1", Conventional("feat", "api", True, "drop v1")),
        ("Perf(db):  faster", Conventional("perf", "db", False, "faster")),
        ("feat: first line\nsecond line", Conventional("feat", None, False, "first line")),
    ],
)
def test_conventional_title_parts_are_read(title: str, expected: Conventional) -> None:
    assert parse_conventional(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Add refunds",
        "feat:no space",
        "feat: ",
        "(api): no type",
        'Revert "feat: add refunds"',
        "",
        "feat(" + "x" * 10_000 + "): long scope",
        "f" * 50_000 + ": long type",
    ],
)
def test_non_conventional_titles_give_none(title: str) -> None:
    assert parse_conventional(title) is None


def test_conventional_label_shows_scope_and_bang() -> None:
    parsed = parse_conventional("feat(api)!: drop v1")
    assert parsed is not None
    assert parsed.label == "feat(api)!"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (make_change(title="feat!: drop v1"), True),
        (make_change(title="refactor(api)!: rename field"), True),
        (make_change(body="Details\n\nBREAKING CHANGE: the v1 endpoint is gone"), True),
        (make_change(body="Details\n\nBREAKING-CHANGE: gone"), True),
        (make_change(messages=("fix: x\n\nBREAKING CHANGE: field renamed",)), True),
        (make_change(title="feat: add v2"), False),
        (make_change(body="This is not a BREAKING CHANGE: mid-line"), False),
        (make_change(body="breaking change: lower case is prose"), False),
        (make_change(body="<!-- BREAKING CHANGE: describe it here -->"), False),
    ],
)
def test_breaking_changes_are_recognised(change: Change, expected: bool) -> None:
    assert is_breaking(change) is expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "fix: x\n\nbody text\n\nFeature-Flag: new-checkout\nSigned-off-by: A <a@b.c>\n",
            (("Feature-Flag", "new-checkout"), ("Signed-off-by", "A <a@b.c>")),
        ),
        ("fix: x\n\nCo-authored-by: A\n  continued\n", (("Co-authored-by", "A continued"),)),
        ("fix: x\r\n\r\nfeature-flag: lower\r\n", (("feature-flag", "lower"),)),
        ("fix: x\n\nFeature-Flag: a\nnot a trailer line\n", ()),
        ("Feature-Flag: only a subject", ()),
        ("fix: x\n\nFeature-Flag: early\n\nclosing prose\n", ()),
        ("", ()),
    ],
)
def test_trailers_come_from_the_last_paragraph(
    message: str, expected: tuple[tuple[str, str], ...]
) -> None:
    assert parse_trailers(message) == expected


def test_a_body_without_subject_may_be_all_trailers() -> None:
    assert parse_trailers("Feature-Flag: x", has_subject=False) == (("Feature-Flag", "x"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a<!-- hidden -->b", "ab"),
        ("a<!-- one -->b<!-- two -->c", "abc"),
        ("a<!-- never closed", "a"),
        ("plain", "plain"),
    ],
)
def test_html_comments_are_stripped(text: str, expected: str) -> None:
    assert strip_html_comments(text) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "A" * 200_000,
        "<!--" * 50_000 + "BREAKING CHANGE" + "-" * 100_000,
        "\n:" * 50_000 + "Feature-Flag:" * 10_000,
        "feat(" * 20_000,
    ],
)
def test_hostile_text_never_raises(hostile: str) -> None:
    # Bounded regexes keep this fast (a backtracking blow-up would hang the run).
    assert find_jira_keys([hostile]) == ()
    parse_trailers(hostile)
    parse_conventional(hostile)
    is_breaking(make_change(title=hostile, body=hostile, messages=(hostile,)))


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("feat(api)!: drop v1", "api!: drop v1"),
        ("feat!: drop v1", "⚠ drop v1"),
        ("fix: rounding of refunds", "rounding of refunds"),
        ("chore(deps): bump jinja2", "deps: bump jinja2"),
        ("README: how it works", "README: how it works"),  # a word before a colon, not a type
        ("Add refunds", "Add refunds"),
    ],
)
def test_the_notes_show_titles_without_their_conventional_type(title: str, shown: str) -> None:
    assert display_title(title) == shown


def test_names_of_standards_are_not_jira_keys() -> None:
    text = "Read UTF-8 and SHA-256 (RFC-7231, CVE-2024-1234, ISO-8601, GPT-4) for PAY-12"
    assert find_jira_keys([text]) == ("PAY-12",)
