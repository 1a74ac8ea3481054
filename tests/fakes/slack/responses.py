"""The response_url endpoint: answers to a slash command or an interaction, as Slack takes them.

A JSON POST with `text` and/or `blocks`; `response_type` "ephemeral" (the default: only the
user sees it) or "in_channel"; `replace_original` edits (and `delete_original` removes) the
message a block action came from. Slack answers `ok` as plain text, or a 4xx with a short
reason; a url takes five answers at most.
"""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any

from tests.fakes.slack.blocks import check_blocks
from tests.fakes.slack.http import Decoded, Fault, Reply
from tests.fakes.slack.state import Ephemeral, Message, ResponseUrl, SlackError

if TYPE_CHECKING:
    from tests.fakes.slack.fake import FakeSlack

MAX_ANSWERS = 5
_FIELDS = {"text", "blocks", "response_type", "replace_original", "delete_original", "thread_ts"}


def answer(fake: FakeSlack, *, url_id: str, verb: str, body: Decoded) -> Reply:
    """Record and apply one answer (the caller holds the fake's lock)."""
    target = fake.ws.response_urls.get(url_id)
    if verb != "POST" or target is None:
        return Reply(404, "no_service", {})
    if body.encoding != "json" or body.problem is not None:
        fake.violations.append(f"response_url: expected a JSON body, got {body.encoding}")
        return Reply(400, "invalid_payload", {})
    args = body.args
    target.answers.append(copy.deepcopy(args))
    target.arrivals.append(time.monotonic())
    if len(target.answers) > MAX_ANSWERS:
        return Reply(404, "used_url", {})
    unknown = set(args) - _FIELDS
    if unknown:
        fake.violations.append(f"response_url: unknown fields {sorted(unknown)}")
    problem = _problem(args)
    if problem is not None:
        return Reply(400, problem, {})
    try:
        _apply(fake, target=target, args=args)
    except SlackError as refusal:
        return Reply(404, refusal.error, {})
    return Reply(200, "ok", {})


def faulted(fault: Fault) -> Reply | None:
    """A fault's answer to a response_url post: 429 with Retry-After, an error, or silence."""
    if fault.kind == "drop":
        return None
    if fault.kind == "ratelimited":
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        return Reply(429, "rate_limited", headers)
    return Reply(400, fault.error or "invalid_payload", {})


def _problem(args: dict[str, Any]) -> str | None:
    if args.get("response_type", "ephemeral") not in ("ephemeral", "in_channel"):
        return "invalid_response_type"
    if "blocks" in args and check_blocks(args["blocks"]):
        return "invalid_blocks"
    text = args.get("text")
    if text is not None and not isinstance(text, str):
        return "invalid_payload"
    if not args.get("delete_original") and not text and not args.get("blocks"):
        return "no_text"
    return None


def _apply(fake: FakeSlack, *, target: ResponseUrl, args: dict[str, Any]) -> None:
    ws = fake.ws
    text, blocks = args.get("text") or "", copy.deepcopy(args.get("blocks") or [])
    if args.get("delete_original") or args.get("replace_original"):
        if target.message_ts is None:
            raise SlackError("message_not_found")
        original = ws.message(target.channel, target.message_ts)
        if args.get("delete_original"):
            ws.messages.remove(original)
            return
        original.text, original.blocks, original.edited = text, blocks, True
        original.history.append("response_url")
        return
    ts = ws.next_ts()
    if args.get("response_type") == "in_channel":
        ws.messages.append(
            Message(
                channel=target.channel,
                ts=ts,
                text=text,
                blocks=blocks,
                metadata=None,
                user=ws.bot_user,
                bot_id=ws.bot_id,
                app_id=ws.app_id,
                thread_ts=args.get("thread_ts"),
                history=["response_url"],
            )
        )
        return
    ws.ephemerals.append(
        Ephemeral(target.channel, target.user, text, blocks, args.get("thread_ts"), ts)
    )
