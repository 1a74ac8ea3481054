"""A driver that sends Slack's signed requests to an app's HTTP endpoint, as Slack does.

    driver = SlackDriver(url="http://127.0.0.1:PORT/slack/events", signing_secret=SECRET,
                         fake=fake_slack)
    sent = driver.command("status", user="U0ALICE", channel="C0RELEASE")
    sent.response.status_code            # the app's ack (httpx.Response)
    fake_slack.responses(sent.response_url)  # what the app answered later

Slash commands are form-encoded fields; interactions (`block_actions`, `view_submission`) are one
form field `payload=<JSON>`. Each request carries `X-Slack-Request-Timestamp` and
`X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{raw body}" with the signing secret>`.
Bad requests: `secret="wrong"` signs with another secret, `age=STALE` sends a timestamp over
five minutes old (correctly signed), `signature=""` leaves the header out. With `fake`, each
request gets a response_url and trigger_id the fake knows (answers land in the fake); without
it they point nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.fakes.slack.fake import FakeSlack
from tests.fakes.slack.state import View

STALE = 6 * 60  # seconds: past Slack's (and Bolt's) five-minute window
VERIFICATION_TOKEN = "fake-verification-token"  # the deprecated field Slack still sends
_TEAM = {"id": "T0FAKETEAM", "domain": "fake-team"}
_APP_ID = "A0FAKEAPP"


@dataclass(frozen=True, slots=True)
class Sent:
    """One request sent: the app's HTTP answer and the interaction's response_url/trigger_id."""

    response: httpx.Response | None  # None over Socket Mode
    response_url: str
    trigger_id: str
    body: bytes
    ack: dict[str, Any] | None = None  # Socket Mode: the app's ack of the envelope


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature for `body` sent at `timestamp`."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackDriver:
    """Sends signed slash commands, block actions and view submissions to one endpoint."""

    def __init__(
        self, *, url: str, signing_secret: str, fake: FakeSlack | None = None, timeout: float = 10
    ) -> None:
        self.url, self._secret, self._fake = url, signing_secret, fake
        self._http = httpx.Client(timeout=timeout, trust_env=False)
        self._serial = itertools.count(1)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SlackDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # what Slack sends --------------------------------------------------------------------------

    def command(
        self,
        text: str,
        *,
        user: str = "U0ALICE",
        channel: str = "C0RELEASE",
        command: str = "/release-train",
        **signing: Any,
    ) -> Sent:
        """A slash command, e.g. command("explain PAY-1", user=...)."""
        response_url, trigger_id = self._interaction(channel=channel, user=user, message_ts=None)
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": _TEAM["id"],
            "team_domain": _TEAM["domain"],
            "channel_id": channel,
            "channel_name": self._channel_name(channel),
            "user_id": user,
            "user_name": self._user_name(user),
            "command": command,
            "text": text,
            "api_app_id": _APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        return self._send_fields(
            fields, response_url=response_url, trigger_id=trigger_id, **signing
        )

    def block_action(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0ALICE",
        channel: str = "C0RELEASE",
        message_ts: str | None = None,
        **signing: Any,
    ) -> Sent:
        """A button click in a message (the message's current form comes from the fake)."""
        response_url, trigger_id = self._interaction(
            channel=channel, user=user, message_ts=message_ts
        )
        message = self._message(channel, message_ts)
        action = {
            "action_id": action_id,
            "block_id": _block_of(message, action_id),
            "text": {"type": "plain_text", "text": action_id, "emoji": True},
            "value": value,
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
        payload = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": _APP_ID,
            "token": VERIFICATION_TOKEN,
            "container": {
                "type": "message",
                "message_ts": message_ts or "",
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "trigger_id": trigger_id,
            "team": _TEAM,
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": self._channel_name(channel)},
            "message": message,
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [action],
        }
        return self._send_payload(
            payload, response_url=response_url, trigger_id=trigger_id, **signing
        )

    def view_submission(
        self,
        *,
        callback_id: str,
        values: Mapping[str, Mapping[str, str]],
        user: str = "U0ALICE",
        private_metadata: str = "",
        view_id: str = "V0SUBMITTED",
        blocks: Sequence[Mapping[str, Any]] = (),
        **signing: Any,
    ) -> Sent:
        """A modal submitted: `values` maps block_id -> action_id -> the typed text."""
        state = {
            block: {action: {"type": "plain_text_input", "value": text}}
            for block, inputs in values.items()
            for action, text in inputs.items()
        }
        view = {
            "id": view_id,
            "team_id": _TEAM["id"],
            "type": "modal",
            "blocks": [dict(b) for b in blocks],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state},
            "hash": f"{next(self._serial)}.fakehash",
            "title": {"type": "plain_text", "text": "release-train"},
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": _APP_ID,
            "bot_id": "B0FAKEBOT",
        }
        payload = {
            "type": "view_submission",
            "team": _TEAM,
            "user": self._user(user),
            "api_app_id": _APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self._trigger(user),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        trigger_id = str(payload["trigger_id"])
        return self._send_payload(payload, response_url="", trigger_id=trigger_id, **signing)

    def submit(self, view: View, values: Mapping[str, Mapping[str, str]], **options: Any) -> Sent:
        """Submit a modal the app opened in the fake (from `fake.opened_views()`)."""
        return self.view_submission(
            callback_id=str(view.body.get("callback_id", "")),
            values=values,
            user=options.pop("user", view.user),
            private_metadata=str(view.body.get("private_metadata", "")),
            view_id=view.id,
            blocks=view.body.get("blocks", []),
            **options,
        )

    # sending -----------------------------------------------------------------------------------

    def send_raw(
        self,
        body: bytes,
        *,
        age: int = 0,
        secret: str | None = None,
        signature: str | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> httpx.Response:
        """POST `body` signed as Slack would (or as told: another secret, an age, a signature)."""
        timestamp = str(int(time.time()) - age)
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp}
        if signature is None:
            signature = sign(secret=secret or self._secret, timestamp=timestamp, body=body)
        if signature:
            headers["X-Slack-Signature"] = signature
        return self._http.post(self.url, content=body, headers=headers)

    def _send(self, body: bytes, *, response_url: str, trigger_id: str, **signing: Any) -> Sent:
        return Sent(self.send_raw(body, **signing), response_url, trigger_id, body)

    def _send_fields(
        self, fields: dict[str, str], *, response_url: str, trigger_id: str, **signing: Any
    ) -> Sent:
        body = urlencode(fields).encode()
        return self._send(body, response_url=response_url, trigger_id=trigger_id, **signing)

    def _send_payload(
        self, payload: dict[str, Any], *, response_url: str, trigger_id: str, **signing: Any
    ) -> Sent:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._send(body, response_url=response_url, trigger_id=trigger_id, **signing)

    # what the fake knows -----------------------------------------------------------------------

    def _interaction(self, *, channel: str, user: str, message_ts: str | None) -> tuple[str, str]:
        if self._fake is None:
            return f"http://127.0.0.1:9/response/none-{next(self._serial)}", self._trigger(user)
        url = self._fake.new_response_url(channel=channel, user=user, message_ts=message_ts)
        return url, self._trigger(user)

    def _trigger(self, user: str) -> str:
        if self._fake is None:
            return f"{next(self._serial)}.T0FAKETEAM.trigger"
        return self._fake.new_trigger_id(user)

    def _message(self, channel: str, ts: str | None) -> dict[str, Any]:
        if self._fake is not None and ts is not None:
            for message in self._fake.messages(channel):
                if message.ts == ts:
                    return message.as_api(with_metadata=False)
        return {"type": "message", "ts": ts or "", "text": "", "user": "U0FAKEBOT"}

    def _user(self, user: str) -> dict[str, str]:
        name = self._user_name(user)
        return {"id": user, "username": name, "name": name, "team_id": _TEAM["id"]}

    def _user_name(self, user: str) -> str:
        if self._fake is not None:
            with self._fake.lock:
                known = self._fake.ws.users.get(user)
            if known is not None:
                return str(known["name"])
        return user.lower()

    def _channel_name(self, channel: str) -> str:
        if self._fake is not None:
            with self._fake.lock:
                known = self._fake.ws.channels.get(channel)
            if known is not None:
                return known.name
        return channel.lower()


def _block_of(message: Mapping[str, Any], action_id: str) -> str:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(block.get("block_id", ""))
    return ""
