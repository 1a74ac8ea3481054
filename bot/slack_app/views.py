"""The two modals' submissions: the reason for requesting changes, and the edited notes.

Each submission is acknowledged at once (closing the modal) and handled afterwards on the writes
pool; the answer
reaches the person as a direct ephemeral-style message from the bot when there is one to give.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack_app.actions import clicker
from bot.slack_app.desk import Desk
from bot.slack_app.ids import EDIT_VIEW, REQUEST_CHANGES_VIEW, decode_ref
from bot.slack_app.modals import submitted_notes, submitted_reason
from bot.slack_app.pools import WRITES, WorkPools


def register(app: App, *, desk: Desk, pools: WorkPools) -> None:
    """Listen for the two modals' submissions."""

    def ack_reason(ack: Ack, body: dict[str, Any]) -> None:
        if not submitted_reason(_values(body)).strip():
            ack(response_action="errors", errors={"reason": "Say what should change."})
            return
        ack()
        pools.run(WRITES, request_changes, body)

    def request_changes(body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        ref = decode_ref(view.get("private_metadata"))
        reason = submitted_reason(_values(body)).strip()
        if ref is not None and reason:
            desk.request_changes(ref, clicker(body), reason)

    def ack_edit(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        pools.run(WRITES, edit, body)

    def edit(body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        ref = decode_ref(view.get("private_metadata"))
        if ref is not None:
            desk.edit(ref, clicker(body), submitted_notes(_values(body)))

    app.view(REQUEST_CHANGES_VIEW)(ack_reason)
    app.view(EDIT_VIEW)(ack_edit)


def _values(body: dict[str, Any]) -> dict[str, Any]:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    return values if isinstance(values, dict) else {}
