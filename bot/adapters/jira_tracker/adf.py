"""Documents as Atlassian Document Format (Jira Cloud), where every text node is literal."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bot.adapters.renderer import safe_href
from bot.domain.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Inline,
    Link,
    Paragraph,
)

Node = dict[str, Any]

# Nodes whose text ends a line when an ADF body is read back as plain text.
_LINE_NODES = frozenset({"paragraph", "heading", "codeBlock", "listItem", "blockquote", "rule"})


def to_adf(document: Document) -> Node:
    """The document as an ADF `doc` node (the body of a v3 comment or description)."""
    return {"type": "doc", "version": 1, "content": [_block(block) for block in document.blocks]}


def _block(block: Block) -> Node:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return {"type": "heading", "attrs": {"level": level}, "content": _text_nodes(block.text)}
    if isinstance(block, Paragraph):
        return _paragraph(block.content)
    if isinstance(block, BulletList):
        items = [{"type": "listItem", "content": [_paragraph(item)]} for item in block.items]
        return {"type": "bulletList", "content": items}
    # A code block holds only unmarked text; its newlines are part of that text.
    content = [{"type": "text", "text": block.text}] if block.text else []
    return {"type": "codeBlock", "content": content}


def _paragraph(content: Sequence[Inline]) -> Node:
    return {"type": "paragraph", "content": [node for item in content for node in _inline(item)]}


def _inline(item: Inline) -> list[Node]:
    if isinstance(item, Link):
        href = safe_href(item.url)
        # Without an http(s) target the link text stays, as plain text.
        marks = [{"type": "link", "attrs": {"href": href}}] if href else []
        return _text_nodes(item.text or href, marks)
    return _text_nodes(item.text, [{"type": "strong"}] if item.strong else [])


def _text_nodes(text: str, marks: Sequence[Node] = ()) -> list[Node]:
    """Text nodes for `text`, its line breaks as hardBreak nodes (ADF text may not be empty)."""
    nodes: list[Node] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            nodes.append({"type": "hardBreak"})
        if line:
            node: Node = {"type": "text", "text": line}
            if marks:
                node["marks"] = [dict(mark) for mark in marks]
            nodes.append(node)
    return nodes


def adf_plain_text(body: object) -> str:
    """The text of an ADF body as plain text, one line per block (for finding markers)."""
    return "".join(_plain(body)).strip("\n")


def _plain(node: object) -> Iterator[str]:
    if not isinstance(node, Mapping):
        return
    kind = node.get("type")
    if kind == "text":
        yield str(node.get("text", ""))
    elif kind == "hardBreak":
        yield "\n"
    elif kind == "mention":
        yield str((node.get("attrs") or {}).get("text", ""))
    content = node.get("content")
    if isinstance(content, list):
        for child in content:
            yield from _plain(child)
    if kind in _LINE_NODES:
        yield "\n"
