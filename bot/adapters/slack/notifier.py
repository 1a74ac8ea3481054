"""SlackNotifier: the ChatNotifier port over Slack's Web API (each method is one call, or a few
pages of conversations.history for find_message; check_scopes reuses check's auth.test),
through slack_sdk's WebClient."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.adapters.slack.calls import TOKEN_ENV, Call, SlackCalls
from bot.adapters.slack.scopes import BOT_SCOPES, granted, uses
from bot.errors import AuthError, ConfigError, ServiceError, WriteOutcomeUnknownError
from bot.ports.chat import MessageMark, PostedMessage

Blocks = Sequence[Mapping[str, Any]]
HISTORY_PAGE = 200


class SlackNotifier:
    """Talks to one Slack workspace as the bot; see bot.ports.ChatNotifier for each method."""

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        timeout: float = 10.0,
        rate_limit_budget: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise ConfigError(f"{TOKEN_ENV} is not set; Slack needs the bot token")
        base = api_url if api_url.endswith("/") else api_url + "/"
        self._timeout = timeout
        self._client = WebClient(
            token=token, base_url=base, timeout=int(timeout), retry_handlers=[]
        )
        self._calls = SlackCalls(api_url=base, rate_limit_budget=rate_limit_budget, sleep=sleep)
        self._bot_id: str | None = None
        self._granted: frozenset[str] | None = None  # as auth.test's x-oauth-scopes listed them

    # checks ----------------------------------------------------------------------------------

    def check(self) -> str:
        answer = self._calls.answer(Call("auth.test", write=False), self._client.auth_test)
        data = answer.data if isinstance(answer.data, dict) else {}
        self._bot_id = str(data.get("bot_id") or "")
        headers = {str(k).lower(): v for k, v in (answer.headers or {}).items()}
        self._granted = granted(headers.get("x-oauth-scopes"))
        return f"Slack workspace {data.get('team')} as {data.get('user')} (bot {self._bot_id})"

    def check_scopes(self) -> str:
        if self._granted is None:
            self.check()
        if self._granted is None:
            return (
                f"Slack did not list the token's scopes (no x-oauth-scopes header); the bot "
                f"needs {', '.join(sorted(BOT_SCOPES))}"
            )
        missing = sorted(BOT_SCOPES - self._granted)
        if missing:
            needs = "; ".join(f"{scope} (for {uses(scope)})" for scope in missing)
            raise AuthError(
                f"the bot token lacks {len(missing)} scope(s) the bot needs: {needs}; add them "
                "to the Slack app (the manifests under deploy/ list every scope) and reinstall it"
            )
        return f"the token holds all {len(BOT_SCOPES)} bot scopes the bot needs"

    def bot_in_channel(self, *, channel: str) -> bool:
        call = Call("conversations.info", write=False, subject=f"channel {channel}")
        data = self._calls.run(call, lambda: self._client.conversations_info(channel=channel))
        return bool((data.get("channel") or {}).get("is_member"))

    def display_name(self, *, user: str) -> str:
        call = Call("users.info", write=False, subject=f"user {user}")
        data = self._calls.run(call, lambda: self._client.users_info(user=user))
        found = data.get("user") or {}
        profile = found.get("profile") or {}
        shown = profile.get("display_name") or profile.get("real_name") or found.get("name")
        return str(shown or user)

    def group_members(self, *, group: str) -> frozenset[str]:
        call = Call("usergroups.users.list", write=False, subject=f"user group {group}")
        data = self._calls.run(call, lambda: self._client.usergroups_users_list(usergroup=group))
        users = data.get("users")
        if not isinstance(users, list):
            raise ServiceError(f"Slack answered usergroups.users.list for {group} without users")
        return frozenset(str(u) for u in users)

    # messages --------------------------------------------------------------------------------

    def post_message(
        self,
        *,
        channel: str,
        text: str,
        blocks: Blocks = (),
        mark: MessageMark | None = None,
        thread_ts: str | None = None,
    ) -> PostedMessage:
        args: dict[str, Any] = {"channel": channel, "text": text}
        if blocks:
            args["blocks"] = [dict(b) for b in blocks]
        if mark is not None:
            args["metadata"] = {"event_type": mark.event_type, "event_payload": dict(mark.payload)}
        if thread_ts is not None:
            args["thread_ts"] = thread_ts
        call = Call("chat.postMessage", write=True, subject=f"channel {channel}")
        data = self._calls.run(call, lambda: self._client.chat_postMessage(**args))
        return PostedMessage(channel=str(data["channel"]), ts=str(data["ts"]))

    def find_message(
        self,
        *,
        channel: str,
        mark: MessageMark,
        since: datetime | None = None,
        max_pages: int = 5,
    ) -> PostedMessage | None:
        bot_id = self._own_bot_id()
        call = Call("conversations.history", write=False, subject=f"channel {channel}")
        args: dict[str, Any] = {"channel": channel, "limit": HISTORY_PAGE}
        args["include_all_metadata"] = True
        if since is not None:
            args["oldest"] = f"{since.timestamp():.6f}"
        for _ in range(max_pages):
            data = self._calls.run(call, lambda: self._client.conversations_history(**args))
            for message in data.get("messages") or []:
                if message.get("bot_id") == bot_id and _marked(message, mark):
                    return PostedMessage(channel=channel, ts=str(message["ts"]))
            cursor = (data.get("response_metadata") or {}).get("next_cursor")
            if not data.get("has_more") or not cursor:
                return None
            args["cursor"] = cursor
        return None

    def update_message(
        self,
        *,
        message: PostedMessage,
        text: str,
        blocks: Blocks = (),
        mark: MessageMark | None = None,
    ) -> None:
        args: dict[str, Any] = {"channel": message.channel, "ts": message.ts, "text": text}
        args["blocks"] = [dict(b) for b in blocks]
        if mark is not None:
            args["metadata"] = {"event_type": mark.event_type, "event_payload": dict(mark.payload)}
        call = Call("chat.update", write=True, subject=f"message {message.ts} in {message.channel}")
        self._calls.run(call, lambda: self._client.chat_update(**args))

    def post_ephemeral(self, *, channel: str, user: str, text: str, blocks: Blocks = ()) -> None:
        args: dict[str, Any] = {"channel": channel, "user": user, "text": text}
        if blocks:
            args["blocks"] = [dict(b) for b in blocks]
        call = Call("chat.postEphemeral", write=True, subject=f"user {user} in channel {channel}")
        self._calls.run(call, lambda: self._client.chat_postEphemeral(**args))

    # views -----------------------------------------------------------------------------------

    def open_view(self, *, trigger_id: str, view: Mapping[str, Any]) -> str:
        call = Call("views.open", write=True)
        body = dict(view)
        data = self._calls.run(
            call, lambda: self._client.views_open(trigger_id=trigger_id, view=body)
        )
        return str((data.get("view") or {}).get("id", ""))

    def update_view(self, *, external_id: str, view: Mapping[str, Any]) -> None:
        call = Call("views.update", write=True)
        body = dict(view)
        self._calls.run(call, lambda: self._client.views_update(external_id=external_id, view=body))

    def publish_home(self, *, user: str, view: Mapping[str, Any]) -> None:
        call = Call("views.publish", write=True, subject=f"user {user}")
        body = dict(view)
        self._calls.run(call, lambda: self._client.views_publish(user_id=user, view=body))

    # answers to commands and clicks ----------------------------------------------------------

    def respond(
        self,
        *,
        response_url: str,
        text: str,
        blocks: Blocks = (),
        replace_original: bool = False,
        in_channel: bool = False,
    ) -> None:
        body: dict[str, Any] = {"text": text}
        body["response_type"] = "in_channel" if in_channel else "ephemeral"
        if blocks:
            body["blocks"] = [dict(b) for b in blocks]
        if replace_original:
            body["replace_original"] = True
        hook = WebhookClient(url=response_url, timeout=int(self._timeout), retry_handlers=[])
        call = Call("response_url", write=True)
        waited = 0.0
        while True:
            try:
                answer = hook.send_dict(body)
            except (OSError, ValueError) as error:
                raise WriteOutcomeUnknownError(
                    f"Slack's answer to a response_url post was lost ({type(error).__name__})"
                ) from None
            if answer.status_code != 429:
                break
            headers = {k.lower(): v for k, v in (answer.headers or {}).items()}
            wait = self._calls.wait_for(call, retry_after=headers.get("retry-after"), waited=waited)
            self._calls.sleep(wait)
            waited += wait
        if answer.status_code != 200:
            # The url itself is a credential for this interaction: it is never shown.
            raise ServiceError(
                f"Slack refused the response_url post: HTTP {answer.status_code} {answer.body[:80]}"
            )

    def _own_bot_id(self) -> str:
        if self._bot_id is None:
            self.check()
        return self._bot_id or ""


def _marked(message: Mapping[str, Any], mark: MessageMark) -> bool:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != mark.event_type:
        return False
    payload = metadata.get("event_payload") or {}
    return all(payload.get(key) == value for key, value in mark.payload.items())
