"""The draft message in Block Kit: the notes in sections, a context line, and the three buttons.

Pure functions (card in, message out). Slack allows 3,000 characters in a section and 50 blocks
in a message: longer notes are split between lines, and what does not fit is summarised with a
pointer to `notes`. Everything from outside (names, reasons, edited text) is escaped; the
rendered notes arrive escaped by their template.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.services.approvals.drafts import FORMAT_TEXT, ChatMessage, DraftCard, mark_of
from bot.slack_app.ids import APPROVE, EDIT, REQUEST_CHANGES, encode_ref
from bot.slack_app.text import SECTION_LIMIT, escape, link, shorten, split_text

MESSAGE_BLOCKS = 50


def draft_message(card: DraftCard, *, command: str = "/release-train") -> ChatMessage:
    """The message for a draft version, in its current state (buttons only while pending)."""
    tail = _tail(card)
    body = section_blocks(notes_mrkdwn(card), budget=MESSAGE_BLOCKS - len(tail), command=command)
    blocks = [block.to_dict() for block in (*body, *tail)]
    return ChatMessage(text=_fallback(card), blocks=tuple(blocks), mark=mark_of(card.ref))


def notes_mrkdwn(card: DraftCard) -> str:
    """The notes as mrkdwn: a person's edited text is escaped, the rendered notes are not."""
    return escape(card.text) if card.fmt == FORMAT_TEXT else card.text


def section_blocks(mrkdwn: str, *, budget: int, command: str) -> list[Block]:
    """Sections of at most 3,000 characters, at most `budget` blocks (the last may summarise)."""
    pieces = split_text(mrkdwn) or ["_(the notes are empty)_"]
    if len(pieces) <= budget:
        return [_section(piece) for piece in pieces]
    shown = pieces[: budget - 1]
    hidden = pieces[budget - 1 :]
    lines = sum(piece.count("\n") + 1 for piece in hidden)
    more = (
        f"… {lines} more line{'s' if lines != 1 else ''} do not fit in one Slack message: "
        f"run `{escape(command)} notes` (or `release-train notes`) for the full notes."
    )
    return [*(_section(piece) for piece in shown), _section(more)]


def context_line(card: DraftCard) -> str:
    """ "payments · Sprint 42 · version 3 · 12 changes: 10 continuous, 2 flagged"."""
    ref = card.ref
    total = sum(card.counts.values())
    counted = ", ".join(f"{n} {name}" for name, n in card.counts.items() if n)
    changes = f"{total} change{'s' if total != 1 else ''}" + (f": {counted}" if counted else "")
    parts = [escape(ref.train), escape(ref.sprint), f"version {ref.version}", changes]
    if card.edited_by:
        parts.append(f"edited by <@{_user_id(card.edited_by)}>")
    return " · ".join(parts)


def _tail(card: DraftCard) -> list[Block]:
    context = ContextBlock(elements=[MarkdownTextObject(text=context_line(card))])
    if card.state == "pending":
        return [context, _buttons(card)]
    return [context, _section(_decision_line(card))]


def _buttons(card: DraftCard) -> ActionsBlock:
    value = encode_ref(card.ref)
    return ActionsBlock(
        block_id="draft_actions",
        elements=[
            ButtonElement(
                text=PlainTextObject(text="Approve"),
                action_id=APPROVE,
                value=value,
                style="primary",
            ),
            ButtonElement(
                text=PlainTextObject(text="Request changes"), action_id=REQUEST_CHANGES, value=value
            ),
            ButtonElement(text=PlainTextObject(text="Edit"), action_id=EDIT, value=value),
        ],
    )


def _decision_line(card: DraftCard) -> str:
    who = f"<@{_user_id(card.decided_by)}>" if card.decided_by else "someone"
    when = f" on {escape(card.decided_at)}" if card.decided_at else ""
    if card.state == "approved":
        line = f":white_check_mark: Approved by {who}{when}"
        if card.ticket is not None:
            line += f" · Jira: {link(card.ticket.url, card.ticket.key)}"
        if card.jira_note:
            line += f"\n:hourglass_flowing_sand: {escape(card.jira_note)}"
        return line
    if card.state == "changes_requested":
        head = f":leftwards_arrow_with_hook: Changes requested by {who}{when}: "
        reason = escape(card.reason or "").strip() or "(no reason given)"
        cut = " … (the whole reason is in the thread)"
        return head + shorten(reason, limit=SECTION_LIMIT - len(head), tail=cut)
    if card.state == "superseded":
        newer = f"version {card.superseded_by}" if card.superseded_by else "a newer version"
        return f":arrows_counterclockwise: Superseded by {newer}; nothing to decide here."
    return escape(card.state)


def _fallback(card: DraftCard) -> str:
    ref = card.ref
    state = {
        "pending": "awaiting approval",
        "approved": "approved",
        "changes_requested": "changes requested",
        "superseded": "superseded",
    }.get(card.state, card.state)
    return escape(f"Release notes for {ref.train}, {ref.sprint}, version {ref.version}: {state}")


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _user_id(value: str) -> str:
    """A Slack user id kept to its letters and digits, so it can form nothing but a mention."""
    return "".join(ch for ch in value if ch.isalnum())


class BlockKitComposer:
    """The DraftComposer the services use: draft messages naming the configured command."""

    def __init__(self, *, command: str = "/release-train") -> None:
        self._command = command

    def draft_message(self, card: DraftCard) -> ChatMessage:
        """The draft message for the card."""
        return draft_message(card, command=self._command)

    def digest_message(self, *, mrkdwn: str, fallback: str) -> ChatMessage:
        """The digest (rendered mrkdwn) in sections that fit one message."""
        return text_message(mrkdwn, fallback=fallback, command=self._command)


def text_message(mrkdwn: str, *, fallback: str, command: str) -> ChatMessage:
    """Rendered mrkdwn as a message of sections (the digest, notes answered to a command)."""
    blocks = section_blocks(mrkdwn, budget=MESSAGE_BLOCKS, command=command)
    return ChatMessage(text=escape(fallback), blocks=tuple(b.to_dict() for b in blocks))
