"""The driver's requests sent as Socket Mode envelopes through the fake's WebSocket instead.

    driver = SocketDriver(fake=fake_slack)        # after the app connected
    sent = driver.command("status", user="U0ALICE", channel="C0RELEASE")
    sent.ack                                      # {"envelope_id": ..., "payload"?: ...}

Commands go as `slash_commands` envelopes (accepts_response_payload true), clicks and
submissions as `interactive` ones (true for view_submission only); each call waits for the
app's ack of its envelope.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.slack.driver import Sent, SlackDriver
from tests.fakes.slack.fake import FakeSlack


class SocketDriver(SlackDriver):
    """SlackDriver's commands, block actions and view submissions over Socket Mode."""

    def __init__(self, *, fake: FakeSlack, timeout: float = 10) -> None:
        super().__init__(url="", signing_secret="", fake=fake, timeout=timeout)
        self._socket_fake = fake
        self._wait = timeout

    def _send_fields(
        self, fields: dict[str, str], *, response_url: str, trigger_id: str, **signing: Any
    ) -> Sent:
        return self._envelope(
            "slash_commands", dict(fields), response_url=response_url, trigger_id=trigger_id
        )

    def _send_payload(
        self, payload: dict[str, Any], *, response_url: str, trigger_id: str, **signing: Any
    ) -> Sent:
        return self._envelope(
            "interactive", payload, response_url=response_url, trigger_id=trigger_id
        )

    def _envelope(
        self, kind: str, payload: dict[str, Any], *, response_url: str, trigger_id: str
    ) -> Sent:
        server = self._socket_fake.socket
        accepts = kind == "slash_commands" or payload.get("type") == "view_submission"
        envelope_id = server.send(kind, payload, accepts_response_payload=accepts)
        ack = server.wait_ack(envelope_id, timeout=self._wait)
        return Sent(None, response_url, trigger_id, b"", ack)
