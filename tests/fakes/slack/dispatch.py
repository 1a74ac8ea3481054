"""One Web API call from decoded request to answer: the token, the encoding, then the method."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fakes.slack.http import Decoded, Reply
from tests.fakes.slack.methods import METHODS
from tests.fakes.slack.state import SlackError

if TYPE_CHECKING:
    from tests.fakes.slack.fake import FakeSlack


def refusal(error: SlackError, *, headers: dict[str, str] | None = None) -> Reply:
    """Slack's `ok: false` answer: HTTP 200, the error's name and any extra fields."""
    return Reply(200, {"ok": False, "error": error.error, **error.extra}, headers or {})


def perform(fake: FakeSlack, *, method: str, auth: str | None, body: Decoded) -> Reply:
    """Answer one call (the caller holds the fake's lock)."""
    if method == "apps.connections.open":
        return _open_socket(fake, auth)
    known = METHODS.get(method)
    if known is None:
        fake.violations.append(f"{method}: the fake does not implement this method")
        return refusal(SlackError("unknown_method"))
    if auth is None or not auth.startswith("Bearer "):
        return refusal(SlackError("not_authed"))
    if auth != f"Bearer {fake.bot_token}":
        return refusal(SlackError("invalid_auth"))
    if body.encoding == "json" and not known.json_ok:
        fake.violations.append(f"{method}: Slack does not read JSON bodies for this method")
        return refusal(SlackError("invalid_arguments"))
    # Slack lists the token's scopes on every answer to it (auth.test's is the one to read).
    scopes = {"x-oauth-scopes": ",".join(sorted(fake.ws.scopes))}
    if body.problem is not None:
        return refusal(SlackError(body.problem), headers=scopes)
    try:
        if len(known.scopes) == 1:
            fake.ws.need_scope(known.scopes[0])
        return Reply(200, known.handler(fake.ws, body.args), scopes)
    except SlackError as refused:
        return refusal(refused, headers=scopes)


def _open_socket(fake: FakeSlack, auth: str | None) -> Reply:
    if auth is None or not auth.startswith("Bearer "):
        return refusal(SlackError("not_authed"))
    if auth == f"Bearer {fake.bot_token}":
        return refusal(SlackError("not_allowed_token_type"))
    if auth != f"Bearer {fake.app_token}":
        return refusal(SlackError("invalid_auth"))
    return Reply(200, {"ok": True, "url": fake.socket.new_url()}, {})
