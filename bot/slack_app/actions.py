"""The draft message's buttons: approve, request changes (opens a modal), edit (opens a modal).

Each click is acknowledged at once. Approving is done after the acknowledgement and answered
ephemerally when there is something to say (a refusal, or who decided first); the message itself
is updated by the use-case. The two modals are opened from the acknowledging listener, since a
trigger_id is only good for three seconds: the permission check runs first, so people who may
not decide get a refusal instead of a modal.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack_app.desk import Clicker, Desk
from bot.slack_app.ids import APPROVE, EDIT, REQUEST_CHANGES, decode_ref
from bot.slack_app.modals import edit_view, request_changes_view

NOT_OURS = "That button does not name a release-notes draft; nothing changed."


def clicker(body: dict[str, Any]) -> Clicker:
    """Who clicked (their id, and the name Slack shows for them)."""
    user = body.get("user") or {}
    user_id = str(user.get("id", ""))
    return Clicker(user_id=user_id, name=str(user.get("name") or user.get("username") or user_id))


def _click(body: dict[str, Any]) -> tuple[Any, str | None, str | None]:
    actions = body.get("actions") or [{}]
    ref = decode_ref(actions[0].get("value"))
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return ref, channel, body.get("trigger_id")


def register(app: App, *, desk: Desk) -> None:
    """Listen for the three buttons."""

    def ack_only(ack: Ack) -> None:
        ack()

    def approve(body: dict[str, Any]) -> None:
        ref, channel, _ = _click(body)
        who = clicker(body)
        text = NOT_OURS if ref is None else desk.approve(ref, who)
        if channel and text:
            desk.tell(channel=channel, user=who.user_id, text=text)

    def request_changes(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ref, channel, trigger = _click(body)
        who = clicker(body)
        refusal = NOT_OURS if ref is None else desk.may_decide(ref, who)
        if refusal is None and trigger:
            desk.open_view(trigger, request_changes_view(ref))
        elif refusal and channel:
            desk.tell(channel=channel, user=who.user_id, text=refusal)

    def edit(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ref, channel, trigger = _click(body)
        who = clicker(body)
        text, refusal = (None, NOT_OURS) if ref is None else desk.editable(ref, who)
        if text is not None and trigger and ref is not None:
            desk.open_view(trigger, edit_view(ref, text))
        elif refusal and channel:
            desk.tell(channel=channel, user=who.user_id, text=refusal)

    app.action(APPROVE)(ack=ack_only, lazy=[approve])
    app.action(REQUEST_CHANGES)(request_changes)
    app.action(EDIT)(edit)
