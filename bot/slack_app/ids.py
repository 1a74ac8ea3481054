"""The names Slack sends back to the bot: action and view ids, and what a draft button carries."""

from __future__ import annotations

import json

from bot.services.approvals.drafts import DraftRef

APPROVE = "approve_draft"
REQUEST_CHANGES = "request_changes"
EDIT = "edit_draft"
DRAFT_ACTIONS = (APPROVE, REQUEST_CHANGES, EDIT)
REQUEST_CHANGES_VIEW = "request_changes"
EDIT_VIEW = "edit_draft"
REASON_BLOCK = "reason"
REASON_INPUT = "reason_input"
NOTES_BLOCK = "notes_part_"  # one input block per part of long notes, numbered from 0
NOTES_INPUT = "notes_input"
# Slack keeps a button's value to 2,000 characters.
_VALUE_LIMIT = 2000
# Versions the store can hold (a 32-bit integer column); a larger one was never posted.
_MAX_VERSION = 2**31 - 1


def encode_ref(ref: DraftRef) -> str:
    """A button's `value` (or a modal's private_metadata) naming the draft version."""
    value = json.dumps(
        {
            "train": ref.train,
            "sprint": ref.sprint,
            "version": ref.version,
            "hash": ref.content_hash,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
    if len(value) > _VALUE_LIMIT:
        raise ValueError("a draft reference is longer than a Slack button value may be")
    return value


def decode_ref(value: str | None) -> DraftRef | None:
    """The draft version a button names; None for anything the bot did not put there."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    train, sprint, version, digest = (data.get(k) for k in ("train", "sprint", "version", "hash"))
    if not (isinstance(train, str) and isinstance(sprint, str) and isinstance(digest, str)):
        return None
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not 1 <= version <= _MAX_VERSION
    ):
        return None
    return DraftRef(train=train, sprint=sprint, version=version, content_hash=digest)
