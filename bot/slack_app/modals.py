"""The two modals of the draft message, built as pure functions: the reason for sending a draft
back, and the notes' text to edit (in parts, as one text input holds 3,000 characters)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.services.approvals.drafts import DraftRef
from bot.slack_app.ids import (
    EDIT_VIEW,
    NOTES_BLOCK,
    NOTES_INPUT,
    REASON_BLOCK,
    REASON_INPUT,
    REQUEST_CHANGES_VIEW,
    encode_ref,
)
from bot.slack_app.text import PLAIN_INPUT_LIMIT, escape, split_text

# A modal holds at most 100 blocks; one is the explanation.
_MAX_PARTS = 99
# A reason is shown on the draft message (a section of 3,000 characters, with who and when)
# and posted in its thread: kept short enough for both.
REASON_LIMIT = 2000


def modal_id(trigger_id: str) -> str:
    """The external id a modal is opened with, so it can be replaced once the clicker is
    checked (trigger ids are unique, and Slack keeps an external id to 255 characters)."""
    return f"release-train-{trigger_id}"[:255]


def refusal_view(text: str, *, title: str) -> dict[str, Any]:
    """What a modal becomes when the clicker may not go on: why, and a button to close it."""
    view = View(
        type="modal",
        title=PlainTextObject(text=title),
        close=PlainTextObject(text="Close"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )
    return view.to_dict()


def request_changes_view(ref: DraftRef, *, external_id: str | None = None) -> dict[str, Any]:
    """The modal asking why the draft goes back."""
    intro = (
        f"Version {ref.version} of the release notes for {escape(ref.train)}, "
        f"{escape(ref.sprint)} goes back for changes. The reason is posted in the message's thread."
    )
    view = View(
        type="modal",
        callback_id=REQUEST_CHANGES_VIEW,
        external_id=external_id,
        private_metadata=encode_ref(ref),
        title=PlainTextObject(text="Request changes"),
        submit=PlainTextObject(text="Send back"),
        close=PlainTextObject(text="Cancel"),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=intro)),
            InputBlock(
                block_id=REASON_BLOCK,
                label=PlainTextObject(text="What should change?"),
                element=PlainTextInputElement(
                    action_id=REASON_INPUT, multiline=True, max_length=REASON_LIMIT
                ),
            ),
        ],
    )
    return view.to_dict()


def edit_view(ref: DraftRef, text: str, *, external_id: str | None = None) -> dict[str, Any]:
    """The modal holding the notes' text, split into parts that each fit one input."""
    parts = split_text(text, limit=PLAIN_INPUT_LIMIT) or [""]
    if len(parts) > _MAX_PARTS:
        raise ValueError("the notes are too long to edit in Slack; edit them with a template")
    intro = (
        f"Editing version {ref.version} of the release notes for {escape(ref.train)}, "
        f"{escape(ref.sprint)}. Saving posts your text as a new version for approval."
    )
    inputs = [
        InputBlock(
            block_id=f"{NOTES_BLOCK}{index}",
            label=PlainTextObject(
                text="Release notes" if len(parts) == 1 else f"Part {index + 1} of {len(parts)}"
            ),
            optional=len(parts) > 1,
            element=PlainTextInputElement(
                action_id=NOTES_INPUT,
                multiline=True,
                max_length=PLAIN_INPUT_LIMIT,
                initial_value=part or None,
            ),
        )
        for index, part in enumerate(parts)
    ]
    view = View(
        type="modal",
        callback_id=EDIT_VIEW,
        external_id=external_id,
        private_metadata=encode_ref(ref),
        title=PlainTextObject(text="Edit release notes"),
        submit=PlainTextObject(text="Save and post"),
        close=PlainTextObject(text="Cancel"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=intro)), *inputs],
    )
    return view.to_dict()


def submitted_reason(state_values: Mapping[str, Any]) -> str:
    """The reason typed into the request-changes modal."""
    return _value(state_values, REASON_BLOCK, REASON_INPUT)


def submitted_notes(state_values: Mapping[str, Any]) -> str:
    """The edited notes: every part of the edit modal, in order, joined by line breaks."""
    numbered = sorted(
        (int(block[len(NOTES_BLOCK) :]), block)
        for block in state_values
        if block.startswith(NOTES_BLOCK) and block[len(NOTES_BLOCK) :].isdigit()
    )
    parts = [_value(state_values, block, NOTES_INPUT) for _, block in numbered]
    return "\n".join(part for part in parts if part)


def _value(state_values: Mapping[str, Any], block: str, action: str) -> str:
    entry = state_values.get(block, {}).get(action, {})
    value = entry.get("value") if isinstance(entry, Mapping) else None
    return value if isinstance(value, str) else ""
