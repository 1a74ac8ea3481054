"""The draft message's buttons: approve, request changes (opens a modal), edit (opens a modal).

Each click is acknowledged at once. Approving is done after the acknowledgement and answered
ephemerally when there is something to say (a refusal, or who decided first); the message itself
is updated by the use-case. The two modals open in the acknowledging listener itself, before
anything else is asked of Slack or the store's people, since a trigger_id is good for three
seconds only: the clicker is checked afterwards (an approver group may take a rate-limited read),
and a modal opened for someone who may not decide, or on a version superseded or decided
meanwhile, is replaced by the reason (views.update on the modal's external id).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.services.approvals.drafts import DraftRef
from bot.slack_app.desk import Clicker, Desk
from bot.slack_app.ids import APPROVE, EDIT, REQUEST_CHANGES, decode_ref
from bot.slack_app.modals import edit_view, modal_id, refusal_view, request_changes_view
from bot.slack_app.pools import READS, WRITES, WorkPools

NOT_OURS = "That button does not name a release-notes draft; nothing changed."


def clicker(body: dict[str, Any]) -> Clicker:
    """Who clicked (their id, and the name Slack shows for them)."""
    user = body.get("user") or {}
    user_id = str(user.get("id", ""))
    return Clicker(user_id=user_id, name=str(user.get("name") or user.get("username") or user_id))


def _click(body: dict[str, Any]) -> tuple[DraftRef | None, str | None, str | None]:
    actions = body.get("actions") or [{}]
    ref = decode_ref(actions[0].get("value"))
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return ref, channel, body.get("trigger_id")


def register(app: App, *, desk: Desk, pools: WorkPools) -> None:
    """Listen for the three buttons."""
    buttons = _Buttons(desk, pools)
    app.action(APPROVE)(buttons.ack_approve)
    app.action(REQUEST_CHANGES)(buttons.open_reason)
    app.action(EDIT)(buttons.open_edit)


class _Buttons:
    """The listeners of the three buttons, over the desk and the work pools."""

    def __init__(self, desk: Desk, pools: WorkPools) -> None:
        self._desk = desk
        self._pools = pools

    def ack_approve(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        self._pools.run(WRITES, self.approve, body)

    def approve(self, body: dict[str, Any]) -> None:
        ref, channel, _ = _click(body)
        who = clicker(body)
        text = NOT_OURS if ref is None else self._desk.approve(ref, who)
        if channel and text:
            self._desk.tell(channel=channel, user=who.user_id, text=text)

    def open_reason(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ref, channel, trigger = _click(body)
        if ref is None or not trigger:
            _refuse_in_channel(self._desk, channel, clicker(body), NOT_OURS)
            return
        self._desk.open_view(trigger, request_changes_view(ref, external_id=modal_id(trigger)))
        self._pools.run(READS, self.check_clicker, body)

    def open_edit(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ref, channel, trigger = _click(body)
        text = None if ref is None else self._desk.draft_text(ref)
        if ref is None or text is None or not trigger:
            _refuse_in_channel(self._desk, channel, clicker(body), NOT_OURS)
            return
        self._desk.open_view(trigger, edit_view(ref, text, external_id=modal_id(trigger)))
        self._pools.run(READS, self.check_clicker, body)

    def check_clicker(self, body: dict[str, Any]) -> None:
        ref, _, trigger = _click(body)
        if ref is None or not trigger:
            return
        refusal = self._desk.may_decide(ref, clicker(body))
        if refusal is not None:
            title = "Request changes" if _action(body) == REQUEST_CHANGES else "Edit release notes"
            self._desk.replace_view(modal_id(trigger), refusal_view(refusal, title=title))


def _action(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("action_id", ""))


def _refuse_in_channel(desk: Desk, channel: str | None, who: Clicker, text: str) -> None:
    if channel:
        desk.tell(channel=channel, user=who.user_id, text=text)
