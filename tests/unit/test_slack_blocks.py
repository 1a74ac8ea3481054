"""The draft message, modals and text helpers of the Slack app: limits, escaping, round trips."""

from __future__ import annotations

import json
from typing import Any

from bot.ports.chat import MessageMark
from bot.ports.tracker import Ticket
from bot.services.approvals.drafts import (
    FORMAT_SLACK,
    FORMAT_TEXT,
    DraftCard,
    DraftRef,
    plain_notes,
)
from bot.slack_app.draft_blocks import MESSAGE_BLOCKS, draft_message, text_message
from bot.slack_app.ids import APPROVE, EDIT, REQUEST_CHANGES, decode_ref, encode_ref
from bot.slack_app.modals import edit_view, request_changes_view, submitted_notes
from bot.slack_app.text import SECTION_LIMIT, escape, split_text

REF = DraftRef(train="payments", sprint="Sprint 42", version=3, content_hash="ab" * 32)
HOSTILE = "<!channel> <@U999> <!subteam^S1> <https://evil.test|click> & more"


def card(**fields: Any) -> DraftCard:
    values: dict[str, Any] = {
        "ref": REF,
        "text": "*Features*\n• Add refunds",
        "fmt": FORMAT_SLACK,
        "counts": {"continuous": 2, "flagged": 1, "needs-flag": 0},
    }
    values.update(fields)
    return DraftCard(**values)


def texts(blocks: Any) -> list[str]:
    """Every text string anywhere in the blocks."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(blocks)
    return found


def test_pending_draft_has_context_line_and_three_buttons_naming_the_version() -> None:
    message = draft_message(card())
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert len(actions) == 1
    buttons = actions[0]["elements"]
    assert [b["action_id"] for b in buttons] == [APPROVE, REQUEST_CHANGES, EDIT]
    assert all(decode_ref(b["value"]) == REF for b in buttons)
    context = next(b for b in message.blocks if b["type"] == "context")
    line = context["elements"][0]["text"]
    assert line == "payments · Sprint 42 · version 3 · 3 changes: 2 continuous, 1 flagged"
    assert message.mark == MessageMark(
        event_type="release_train_draft",
        payload={"train": "payments", "sprint": "Sprint 42", "version": 3},
    )


def test_long_notes_fit_section_and_block_limits_with_a_pointer_to_notes() -> None:
    lines = [f"• change number {n} " + "x" * 80 for n in range(3000)]
    message = draft_message(card(text="\n".join(lines)))
    assert len(message.blocks) == MESSAGE_BLOCKS
    sections = [b for b in message.blocks if b["type"] == "section"]
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in sections)
    assert "/release-train notes" in sections[-1]["text"]["text"]
    assert message.blocks[-1]["type"] == "actions"


def test_short_notes_are_shown_whole() -> None:
    text = "\n".join(f"line {n}" for n in range(500))
    shown = "\n".join(b["text"]["text"] for b in draft_message(card(text=text)).blocks[:-2])
    assert shown == text


def test_edited_text_and_names_are_inert_in_every_text_object() -> None:
    message = draft_message(
        card(
            ref=DraftRef(train="payments", sprint=HOSTILE, version=1, content_hash="x"),
            text=HOSTILE,
            fmt=FORMAT_TEXT,
            edited_by="U123",
        )
    )
    for text in [*texts(message.blocks), message.text]:
        assert "<!" not in text and "<@U999" not in text and "<https://evil" not in text
    assert escape(HOSTILE) in texts(message.blocks)[0]


def test_changes_requested_replaces_buttons_with_who_and_the_escaped_reason() -> None:
    message = draft_message(
        card(
            state="changes_requested",
            decided_by="U42",
            decided_at="2026-11-27 10:00",
            reason="<!here> fix & retry",
        )
    )
    assert not [b for b in message.blocks if b["type"] == "actions"]
    last = message.blocks[-1]["text"]["text"]
    assert "<@U42>" in last and "&lt;!here&gt; fix &amp; retry" in last


def test_approval_shows_who_when_and_the_ticket_link() -> None:
    ticket = Ticket(key="PAY-1", url="https://jira.example.com/browse/PAY-1")
    message = draft_message(
        card(state="approved", decided_by="U42", decided_at="2026-11-27 10:00", ticket=ticket)
    )
    last = message.blocks[-1]["text"]["text"]
    assert last.endswith(
        "Approved by <@U42> on 2026-11-27 10:00 · Jira: "
        "<https://jira.example.com/browse/PAY-1|PAY-1>"
    )


def test_superseded_version_points_at_the_newer_one() -> None:
    message = draft_message(card(state="superseded", superseded_by=4))
    assert "Superseded by version 4" in message.blocks[-1]["text"]["text"]


def test_split_never_cuts_an_entity_in_half() -> None:
    line = "a" * 2998 + "&amp;" + "b" * 100
    pieces = split_text(line)
    assert "".join(pieces) == line
    assert all(len(p) <= SECTION_LIMIT for p in pieces)
    assert pieces[1].startswith("&amp;")


def test_button_value_round_trips_and_rejects_foreign_values() -> None:
    assert decode_ref(encode_ref(REF)) == REF
    assert decode_ref("not json") is None
    assert decode_ref(json.dumps({"train": "t", "sprint": "s", "version": 0, "hash": "h"})) is None
    assert (
        decode_ref(json.dumps({"train": "t", "sprint": "s", "version": True, "hash": "h"})) is None
    )
    assert decode_ref(None) is None


def test_edit_modal_holds_long_notes_in_parts_that_join_back() -> None:
    text = "\n".join(f"line {n} " + "y" * 60 for n in range(200))
    view = edit_view(REF, text)
    assert view["callback_id"] == "edit_draft"
    assert decode_ref(view["private_metadata"]) == REF
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert len(inputs) > 1
    values = {
        b["block_id"]: {
            "notes_input": {"type": "plain_text_input", "value": b["element"]["initial_value"]}
        }
        for b in inputs
    }
    assert submitted_notes(values) == text


def test_request_changes_modal_carries_the_version() -> None:
    view = request_changes_view(REF)
    assert view["callback_id"] == "request_changes"
    assert decode_ref(view["private_metadata"]) == REF


def test_plain_notes_undo_link_syntax_and_entities_of_rendered_notes() -> None:
    rendered = "• Fix &lt;b&gt; &amp;lt; (<https://x.test/1|#1>)"
    assert plain_notes(rendered, FORMAT_SLACK) == "• Fix <b> &lt; (#1 (https://x.test/1))"
    assert plain_notes(rendered, FORMAT_TEXT) == rendered


def test_text_message_escapes_its_fallback() -> None:
    message = text_message("*Digest*", fallback="Digest for <!channel>", command="/rt")
    assert message.text == "Digest for &lt;!channel&gt;"
    assert message.blocks[0]["text"]["text"] == "*Digest*"
