"""How every Slack Web API call is made: 429s waited out within a budget, failures mapped.

slack_sdk's own retries are switched off (`retry_handlers=[]`): its connection-error retry
would resend a `chat.postMessage` that Slack may already have posted. The policy here: a 429 is
retried after `Retry-After` (at least a second) while the waits stay within the budget; a read
that loses its connection is retried twice; a write that loses its answer is never resent, it
raises WriteOutcomeUnknownError so the caller looks for the message first. Slack's `error`
names become the bot's errors with a hint; SlackApiError's own text is never shown.
"""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.adapters.slack.scopes import METHOD_SCOPES
from bot.errors import AuthError, RateLimitedError, ServiceError, WriteOutcomeUnknownError

log = logging.getLogger(__name__)

TOKEN_ENV = "RELEASE_TRAIN_SLACK__BOT_TOKEN"  # noqa: S105 - the variable's name, not a secret
_MIN_WAIT = 1.0
_READ_RETRIES = 2
_AUTH_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "no_permission",
    }
)
_HINTS = {
    "channel_not_found": "no such channel, or the bot cannot see it (use the channel's id)",
    "not_in_channel": "invite the bot to the channel",
    "is_archived": "the channel is archived",
    "no_such_subteam": "no such user group",
    "user_not_in_channel": "the user is not in the channel",
    "expired_trigger_id": "the interaction is too old to open a view (over 3 seconds)",
    "message_not_found": "the message no longer exists",
    "cant_update_message": "the message was not posted by this bot",
    "msg_too_long": "the message text is too long",
    "no_text": "the message has no text",
}
_CONNECTION_ERRORS = (OSError, http.client.HTTPException)


@dataclass(frozen=True, slots=True)
class Call:
    """One Web API call: its method name, whether it changes Slack, and what it is about."""

    method: str
    write: bool
    subject: str = ""  # "channel C0123", "user group S0123": named in errors


class SlackCalls:
    """Runs Web API calls under the waiting and error policy above."""

    def __init__(
        self,
        *,
        api_url: str,
        rate_limit_budget: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._api_url = api_url
        self._budget = rate_limit_budget
        self.sleep = sleep

    def run(self, call: Call, send: Callable[[], SlackResponse]) -> dict[str, Any]:
        """The answer's data; raises the bot's errors (never SlackApiError)."""
        data = self.answer(call, send).data
        return data if isinstance(data, dict) else {}

    def answer(self, call: Call, send: Callable[[], SlackResponse]) -> SlackResponse:
        """The whole answer (its headers too); raises the bot's errors (never SlackApiError).

        A method whose scope `METHOD_SCOPES` does not declare is a bug, refused before it is
        sent: the app's manifests ask for those scopes only, so Slack might refuse it anyway.
        """
        if call.method not in METHOD_SCOPES:
            raise RuntimeError(f"Slack {call.method} is called but METHOD_SCOPES omits it")
        waited, failures = 0.0, 0
        while True:
            try:
                return send()
            except SlackApiError as error:
                wait = self._rate_limit_wait(call, error=error, waited=waited)
                self.sleep(wait)
                waited += wait
            except _CONNECTION_ERRORS as error:
                failures += 1
                if call.write or failures > _READ_RETRIES:
                    raise self._lost(call, error) from None
                log.info("Slack %s lost its connection; trying again", call.method)

    def wait_for(self, call: Call, *, retry_after: str | None, waited: float) -> float:
        """How long to wait before resending after a 429; RateLimitedError past the budget."""
        try:
            wait = max(float(retry_after or _MIN_WAIT), _MIN_WAIT)
        except ValueError:
            wait = _MIN_WAIT
        if waited + wait > self._budget:
            raise RateLimitedError(
                f"Slack kept rate-limiting {call.method} for over {self._budget:g} seconds; "
                "try again later"
            )
        log.info("Slack rate-limited %s; waiting %g s as Retry-After asks", call.method, wait)
        return wait

    def _rate_limit_wait(self, call: Call, *, error: SlackApiError, waited: float) -> float:
        response = error.response
        if response.status_code != 429:
            raise refusal(call, response) from None
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        value = headers.get("retry-after")
        if isinstance(value, list):
            value = value[0] if value else None
        return self.wait_for(call, retry_after=value, waited=waited)

    def _lost(self, call: Call, error: BaseException) -> ServiceError:
        reason = getattr(error, "reason", None) if isinstance(error, URLError) else error
        if isinstance(reason, ConnectionRefusedError):
            return ServiceError(
                f"Slack is unreachable at {self._api_url} (connection refused); check slack.api_url"
            )
        if call.write:
            return WriteOutcomeUnknownError(
                f"Slack's answer to {call.method} was lost ({type(error).__name__}); "
                "it may have been applied: look before sending it again"
            )
        return ServiceError(
            f"Slack at {self._api_url} did not answer {call.method} "
            f"({type(error).__name__}); check slack.api_url and the network"
        )


def refusal(call: Call, response: SlackResponse) -> ServiceError:
    """The bot's error for an `ok: false` answer (or a non-200 one), built from Slack's names."""
    data = response.data if isinstance(response.data, dict) else {}
    code = str(data.get("error") or f"HTTP {response.status_code}")
    about = f" for {call.subject}" if call.subject else ""
    if code in _AUTH_ERRORS:
        return AuthError(f"Slack refused the bot token ({code}); check {TOKEN_ENV}")
    if code == "missing_scope":
        needed = str(data.get("needed") or "?")
        return AuthError(
            f"Slack refused {call.method}{about}: the app lacks the scope {needed} "
            "(add it to the app from the manifest under deploy/ and reinstall it)"
        )
    detail = _HINTS.get(code)
    if code == "invalid_blocks":
        messages = (data.get("response_metadata") or {}).get("messages") or []
        detail = "; ".join(str(m) for m in messages[:3]) or "the blocks break Slack's limits"
    hint = f" ({detail})" if detail else ""
    return ServiceError(f"Slack refused {call.method}{about}: {code}{hint}")
