"""Atlassian Document Format as Jira Cloud checks it, and the plain text a fake shows for it."""

from __future__ import annotations

from typing import Any

# Which nodes each node may hold; an absent entry means the node holds none.
_CHILDREN: dict[str, frozenset[str]] = {
    "doc": frozenset(
        {
            "paragraph",
            "heading",
            "bulletList",
            "orderedList",
            "codeBlock",
            "blockquote",
            "rule",
            "panel",
        }
    ),
    "paragraph": frozenset({"text", "hardBreak", "mention", "emoji", "inlineCard"}),
    "heading": frozenset({"text", "hardBreak", "emoji", "inlineCard"}),
    "bulletList": frozenset({"listItem"}),
    "orderedList": frozenset({"listItem"}),
    "listItem": frozenset({"paragraph", "bulletList", "orderedList", "codeBlock"}),
    "codeBlock": frozenset({"text"}),
    "blockquote": frozenset({"paragraph", "bulletList", "orderedList", "codeBlock"}),
    "panel": frozenset({"paragraph", "heading", "bulletList", "orderedList"}),
}
_MARKS = frozenset({"strong", "em", "code", "link", "strike", "underline", "subsup", "textColor"})
_BLOCKS_WITH_LINES = frozenset({"paragraph", "heading", "codeBlock"})


def adf_problems(value: Any) -> list[str]:
    """Why `value` is not a document Jira Cloud accepts as a v3 body (empty when it is)."""
    if not isinstance(value, dict) or value.get("type") != "doc":
        return ["the body is not an Atlassian Document (a {'type': 'doc', ...} object)"]
    if value.get("version") != 1:
        return ["the document's version must be 1"]
    problems: list[str] = []
    _check_node(value, "doc", problems)
    return problems


def _check_node(node: Any, where: str, problems: list[str]) -> None:
    if not isinstance(node, dict) or not isinstance(node.get("type"), str):
        problems.append(f"{where}: not a node")
        return
    kind = node["type"]
    if kind == "text":
        _check_text(node, where, problems)
        return
    if kind == "heading" and node.get("attrs", {}).get("level") not in range(1, 7):
        problems.append(f"{where}: a heading needs attrs.level 1 to 6")
    content = node.get("content", [])
    if not isinstance(content, list):
        problems.append(f"{where}: content is not a list")
        return
    allowed = _CHILDREN.get(kind, frozenset())
    for index, child in enumerate(content):
        child_kind = child.get("type") if isinstance(child, dict) else None
        if child_kind not in allowed:
            problems.append(f"{where}.content[{index}]: {child_kind!r} cannot go in {kind!r}")
            continue
        if kind == "codeBlock" and child.get("marks"):
            problems.append(f"{where}.content[{index}]: code block text cannot have marks")
        _check_node(child, f"{where}.content[{index}]", problems)


def _check_text(node: dict[str, Any], where: str, problems: list[str]) -> None:
    text = node.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: a text node needs non-empty text")
    for mark in node.get("marks", []):
        kind = mark.get("type") if isinstance(mark, dict) else None
        if kind not in _MARKS:
            problems.append(f"{where}: unknown mark {kind!r}")
        elif kind == "link" and not isinstance(mark.get("attrs", {}).get("href"), str):
            problems.append(f"{where}: a link mark needs attrs.href")


def adf_text(node: Any) -> str:
    """The document's text, one line per paragraph, heading or code block."""
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return str(node.get("text", ""))
    if node.get("type") == "hardBreak":
        return "\n"
    parts = [adf_text(child) for child in node.get("content", [])]
    if node.get("type") in _BLOCKS_WITH_LINES:
        return "".join(parts) + "\n"
    return "".join(parts)


def text_adf(text: str) -> dict[str, Any]:
    """A document holding `text` as paragraphs (how Cloud shows a v2 string body in v3)."""
    paragraphs = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}]}
        if line
        else {
            "type": "paragraph",
            "content": [],
        }
        for line in text.split("\n")
    ]
    return {"type": "doc", "version": 1, "content": paragraphs}
