"""The App Home tab in Block Kit, from each train's digest data (pure: data in, view out).

Per train: a header, the sprint and days left with the ticket link, counts by class, the
violations, the contract stages still owed, and the draft's state. A home view holds at most
100 blocks, so each list shows its first few and counts the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack_app.text import escape, link

SHOWN = 5
_HOME_BLOCKS = 100
_HEADER_LIMIT = 150


def home_view(trains: Sequence[Mapping[str, Any]], problems: Sequence[str] = ()) -> dict[str, Any]:
    """The Home tab: one part per train (digest data), then any train that could not be read."""
    blocks: list[Block] = []
    for data in trains:
        blocks.extend(train_blocks(data))
        blocks.append(DividerBlock())
    for problem in problems:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f":warning: {escape(problem)}")))
    if not blocks:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="No trains are configured.")))
    return View(type="home", blocks=blocks[:_HOME_BLOCKS]).to_dict()


def train_blocks(data: Mapping[str, Any]) -> list[Block]:
    """One train's part of the Home tab."""
    sprint = data["sprint"]
    title = f"{data['train']} — {sprint['name']}"[:_HEADER_LIMIT]
    return [
        HeaderBlock(text=PlainTextObject(text=escape(title))),
        _section(_overview(data)),
        _section(_list("Policy violations", data["violations"], data["violations_more"], _broken)),
        _section(
            _list("Contract stages still owed", data["owed_contracts"], data["owed_more"], _owed)
        ),
        ContextBlock(elements=[MarkdownTextObject(text=_draft(data))]),
    ]


def _overview(data: Mapping[str, Any]) -> str:
    sprint = data["sprint"]
    days = sprint["days_left"]
    left = f"{days} day{'s' if days != 1 else ''} left" if days else "ended"
    lines = [f"*{escape(sprint['name'])}*: {left} (last day {sprint['last_day']})"]
    ticket = data.get("ticket")
    if ticket:
        lines.append(f"Ticket: {link(ticket['url'], ticket['key'])}")
    elif data.get("tracked"):
        lines.append("Ticket: none yet")
    counted = ", ".join(f"{n} {name}" for name, n in data["counts"].items() if n)
    total = data["total"]
    lines.append(f"{total} change{'s' if total != 1 else ''}" + (f": {counted}" if counted else ""))
    return "\n".join(lines)


def _list(heading: str, items: Sequence[Mapping[str, Any]], more: int, line: Any) -> str:
    if not items:
        return f"*{heading}*: none"
    shown = [f"• {line(item)}" for item in items[:SHOWN]]
    hidden = len(items) - SHOWN + more
    if hidden > 0:
        shown.append(f"… and {hidden} more")
    return f"*{heading}*\n" + "\n".join(shown)


def _broken(v: Mapping[str, Any]) -> str:
    name = link(v["url"], v["title"]) if v.get("url") else escape(v["title"])
    return f"{name} ({escape(v['source'])}): {escape(v['message'] or '')}"


def _owed(o: Mapping[str, Any]) -> str:
    return f"`{escape(o['table'])}` since {escape(o['since_sprint'])}"


def _draft(data: Mapping[str, Any]) -> str:
    draft = data["draft"]
    state, version = draft["state"], draft["version"]
    if state == "none":
        return "Release notes: no draft yet"
    if state == "approved":
        who = f" by <@{_alnum(draft['approved_by'] or '')}>" if draft["approved_by"] else ""
        return f"Release notes: version {version} approved{who} on {draft['approved_at_local']}"
    if state == "changes_requested":
        return f"Release notes: changes requested to version {version}"
    return f"Release notes: version {version} {escape(state)}"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def _alnum(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum())
