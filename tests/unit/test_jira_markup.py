"""Documents rendered for Jira: ADF text nodes stay literal, wiki markup escapes untrusted text."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.adapters.jira_tracker.adf import adf_plain_text, to_adf
from bot.adapters.jira_tracker.wiki import to_wiki, wiki_plain_text
from bot.domain.document import (
    BulletList,
    CodeBlock,
    Document,
    Heading,
    Link,
    Paragraph,
    Text,
)

HOSTILE = "[~accountid:x] !http://evil.test/a.png! {code}"
HOSTILE_TITLES = [
    HOSTILE,
    "[click|https://evil.test] {color:red}red{color} {noformat}",
    "*bold* _italic_ +under+ ^sup^ ~sub~ -strike- ??cite??",
    "|| a || b || | c |",
    "# numbered",
    "h1. heading",
    "bq. quote",
    "- dash item",
    "---- rule",
    "back\\slash \\\\ break",
    "fix PAY-77: keep a-b and 10-20",
]


def _paragraph(*content: Text | Link) -> Document:
    return Document((Paragraph(content),))


def _text_nodes(node: Any) -> list[dict[str, Any]]:
    if node.get("type") == "text":
        return [node]
    return [found for child in node.get("content", []) for found in _text_nodes(child)]


def _markup_left(wiki: str) -> str:
    """What Jira's wiki renderer still sees as markup: every escaped character blanked out."""
    return re.sub(r"\\.", "  ", wiki.replace("&#92;", "     "))


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_adf_text_node_holds_the_title_exactly(title: str) -> None:
    adf = to_adf(_paragraph(Text(title)))

    assert adf["type"] == "doc"
    assert adf["version"] == 1
    assert _text_nodes(adf) == [{"type": "text", "text": title}]


def test_adf_link_is_a_link_mark_on_literal_text() -> None:
    adf = to_adf(_paragraph(Link(HOSTILE, "https://github.com/acme/api/pull/7")))

    assert _text_nodes(adf) == [
        {
            "type": "text",
            "text": HOSTILE,
            "marks": [{"type": "link", "attrs": {"href": "https://github.com/acme/api/pull/7"}}],
        }
    ]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "//evil.test/a", "ftp://evil.test/a", ""]
)
def test_adf_link_without_an_http_target_is_plain_text(url: str) -> None:
    adf = to_adf(_paragraph(Link("the change", url)))

    assert _text_nodes(adf) == [{"type": "text", "text": "the change"}]


def test_adf_blocks_have_their_adf_shapes() -> None:
    document = Document(
        (
            Heading("Release Train", level=9),
            Paragraph((Text("Approved by "), Text("Alice", strong=True))),
            BulletList(((Text("one"),), (Text("two"),))),
            CodeBlock("## Features\n- {code} [x](y)\n"),
        )
    )

    heading, paragraph, bullets, code = to_adf(document)["content"]

    assert heading == {
        "type": "heading",
        "attrs": {"level": 6},
        "content": [{"type": "text", "text": "Release Train"}],
    }
    assert paragraph["content"] == [
        {"type": "text", "text": "Approved by "},
        {"type": "text", "text": "Alice", "marks": [{"type": "strong"}]},
    ]
    assert bullets["type"] == "bulletList"
    assert [item["type"] for item in bullets["content"]] == ["listItem", "listItem"]
    assert bullets["content"][1]["content"] == [
        {"type": "paragraph", "content": [{"type": "text", "text": "two"}]}
    ]
    assert code == {
        "type": "codeBlock",
        "content": [{"type": "text", "text": "## Features\n- {code} [x](y)\n"}],
    }


def test_adf_never_holds_an_empty_text_node_and_breaks_lines_with_hard_breaks() -> None:
    adf = to_adf(Document((Paragraph((Text(""), Text("a\n\nb"))), CodeBlock(""))))

    paragraph, code = adf["content"]
    assert paragraph["content"] == [
        {"type": "text", "text": "a"},
        {"type": "hardBreak"},
        {"type": "hardBreak"},
        {"type": "text", "text": "b"},
    ]
    assert code == {"type": "codeBlock", "content": []}


def test_adf_plain_text_reads_back_the_text_of_each_block() -> None:
    document = Document(
        (
            Heading("Summary"),
            Paragraph((Text(HOSTILE), Link(" and more", "https://x.test"))),
            BulletList(((Text("one"),),)),
        )
    )

    lines = adf_plain_text(to_adf(document)).splitlines()

    assert [line for line in lines if line] == ["Summary", HOSTILE + " and more", "one"]


@pytest.mark.parametrize(
    ("title", "escaped"),
    [
        (HOSTILE, r"\[\~accountid:x\] \!http://evil.test/a.png\! \{code\}"),
        ("fix PAY-77: keep a-b", "fix PAY-77: keep a-b"),
        ("# numbered", r"\# numbered"),
        ("h1. heading", r"h1\. heading"),
        ("back\\slash", "back&#92;slash"),
    ],
)
def test_wiki_escapes_untrusted_text(title: str, escaped: str) -> None:
    assert to_wiki(_paragraph(Text(title))) == escaped


@pytest.mark.parametrize("title", HOSTILE_TITLES)
@pytest.mark.parametrize(
    "place",
    [
        lambda t: Document((Paragraph((Text(t),)),)),
        lambda t: Document((Heading(t),)),
        lambda t: Document((BulletList(((Text(t),),)),)),
        lambda t: Document((Paragraph((Text("by "), Text(t, strong=True), Text(t))),)),
    ],
    ids=["paragraph", "heading", "bullet", "mixed"],
)
def test_wiki_leaves_no_markup_from_untrusted_text(title: str, place: Any) -> None:
    wiki = to_wiki(place(title))
    left = _markup_left(wiki)

    # Only the structure this renderer wrote itself may remain: "h3. ", "* " and *strong*.
    structure = re.sub(r"^(h3\. |\* )", "", left)
    structure = structure.replace(f"*{_markup_left(to_wiki(_paragraph(Text(title))))}*", "")
    assert not re.search(r"[\[\]{}!|*_+^~]|\?\?", structure), wiki
    assert not re.search(r"(?m)^(#|h[1-6]\.|bq\.|-)", structure), wiki


def test_wiki_keeps_the_spaces_between_pieces() -> None:
    wiki = to_wiki(_paragraph(Text("Approved by "), Text("Alice", strong=True), Text(" today.")))

    assert wiki == "Approved by *Alice* today."


def test_wiki_pieces_cannot_meet_as_markup() -> None:
    wiki = to_wiki(_paragraph(Text("why ?"), Text("?cite"), Text("-"), Text("strike-")))

    assert "??" not in _markup_left(wiki)
    assert "-" not in _markup_left(wiki)


def test_wiki_line_of_a_paragraph_cannot_start_markup() -> None:
    wiki = to_wiki(_paragraph(Text("first\n# second\nh2. third\n- fourth")))

    assert wiki.splitlines() == ["first", r"\# second", r"h2\. third", r"\- fourth"]


def test_wiki_link_has_escaped_text_and_an_encoded_target() -> None:
    wiki = to_wiki(_paragraph(Link("[~accountid:x] a|b", "https://e.test/p?q=1|2]")))

    assert wiki == r"[\[\~accountid:x\] a\|b|https://e.test/p?q=1%7C2%5D]"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", ""])
def test_wiki_link_without_an_http_target_is_escaped_text(url: str) -> None:
    assert to_wiki(_paragraph(Link("see [here]", url))) == r"see \[here\]"


def test_wiki_code_block_cannot_be_closed_by_its_text() -> None:
    wiki = to_wiki(Document((CodeBlock("a\n{noformat}\n{NoFormat}\n[~accountid:x]"),)))

    assert wiki.startswith("{noformat}\n")
    assert wiki.endswith("\n{noformat}")
    assert wiki.count("{noformat}") == 2
    assert "[~accountid:x]" in wiki  # literal inside the block


def test_wiki_blocks_are_separated_by_blank_lines() -> None:
    document = Document((Heading("Summary", level=2), BulletList(((Text("one"),), (Text("two"),)))))

    assert to_wiki(document) == "h2. Summary\n\n* one\n* two"


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_wiki_plain_text_reads_back_what_was_written(title: str) -> None:
    single_spaced = " ".join(title.split())

    assert wiki_plain_text(to_wiki(_paragraph(Text(title)))) == single_spaced
