"""Text for Slack: untrusted text made inert, and long mrkdwn cut to Slack's per-block limits."""

from __future__ import annotations

import re

SECTION_LIMIT = 3000  # characters in one section block's text
PLAIN_INPUT_LIMIT = 3000  # characters in one plain_text_input
_MRKDWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ENTITY_START = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """`&`, `<` and `>` as entities, so no mention, channel ping or link can form; lines kept."""
    return text.translate(_MRKDWN)


def split_text(text: str, *, limit: int = SECTION_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut between lines where possible.

    A line longer than the limit is cut inside, never in the middle of an entity such as
    `&amp;` (half an entity would show as text). Empty input gives no pieces.
    """
    pieces: list[str] = []
    current = ""
    for line in text.strip("\n").split("\n"):
        candidate = line if not current else f"{current}\n{line}"
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while len(line) > limit:
            cut = _cut_point(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current.strip():
        pieces.append(current)
    return pieces


def _cut_point(line: str, limit: int) -> int:
    head = line[:limit]
    partial = _ENTITY_START.search(head)
    cut = partial.start() if partial else limit
    space = head.rfind(" ", 0, cut)
    # Prefer a word boundary in the last tenth of the piece; else cut where allowed.
    return space + 1 if space > limit * 9 // 10 else max(cut, 1)


def shorten(text: str, *, limit: int, tail: str = "…") -> str:
    """`text` (already escaped) cut to at most `limit` characters, ending in `tail` when cut,
    never in the middle of an entity such as `&amp;`."""
    if len(text) <= limit:
        return text
    return text[: _cut_point(text, limit - len(tail))] + tail


def link(url: str | None, text: str) -> str:
    """`<url|text>` with both escaped; the text alone unless the url is http(s)."""
    shown = escape(text)
    if not url or not url.lower().startswith(("http://", "https://")):
        return shown
    return f"<{escape(url).replace('|', '%7C')}|{shown}>"
