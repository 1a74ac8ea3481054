"""What `POST /slack/events` lets through to Bolt: signed, fresh, small, well-formed requests.

Anything else is answered here with a 4xx and one log line at INFO naming the reason, never the
body or a `response_url`: a body over MAX_BODY (refused as soon as its declared or read length
passes it, before the rest is read), a missing or non-numeric timestamp, one more than five
minutes away, a missing or wrong signature, a body that is not UTF-8, a form without the fields
Slack sends, a payload that is not a JSON object, or an interaction without what Slack always
puts in one (a click naming no action, a submission without its view). Pure functions of the
request's headers, body and the time; the signature is checked before any parsing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

# Slack's payloads are a few KiB (a modal's state with long notes stays well under this).
MAX_BODY = 1 << 20
# Slack signs each request with its time; older (or future) ones are replays.
MAX_AGE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is refused, and with which HTTP status."""

    status: int
    reason: str


def declared_too_large(headers: Mapping[str, str]) -> Refusal | None:
    """A Content-Length over MAX_BODY (or not a number): refused before the body is read."""
    declared = headers.get("content-length")
    if declared is None:
        return None
    if not declared.strip().isdigit():
        return Refusal(400, "its Content-Length is not a number")
    if int(declared) > MAX_BODY:
        return Refusal(413, f"its body of {int(declared)} bytes is over {MAX_BODY}")
    return None


def refusal(
    headers: Mapping[str, str], body: bytes, *, signing_secret: str | None, now: float
) -> Refusal | None:
    """Why the request may not reach Bolt, or None when it may."""
    if signing_secret is not None:
        problem = _signature_problem(headers, body, signing_secret=signing_secret, now=now)
        if problem is not None:
            return problem
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "its body is not UTF-8")
    return _shape_problem(headers.get("content-type", ""), text)


def _signature_problem(
    headers: Mapping[str, str], body: bytes, *, signing_secret: str, now: float
) -> Refusal | None:
    stamp = headers.get("x-slack-request-timestamp", "").strip()
    signature = headers.get("x-slack-signature", "").strip()
    if not stamp or not signature:
        return Refusal(401, "it is not signed (no timestamp or signature header)")
    if not stamp.isdigit() or len(stamp) > 12:
        return Refusal(401, "its timestamp is not a number of seconds")
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return Refusal(401, "its timestamp is more than five minutes away")
    mac = hmac.new(signing_secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    if not hmac.compare_digest("v0=" + mac.hexdigest(), signature):
        return Refusal(401, "its signature does not match")
    return None


def _shape_problem(content_type: str, text: str) -> Refusal | None:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        return None if _is_json_object(text) else Refusal(400, "its JSON body is not an object")
    if kind != "application/x-www-form-urlencoded":
        return Refusal(400, f"its content type {kind[:60]!r} is not one Slack sends")
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        payload = form["payload"]
        if len(payload) != 1 or not _is_json_object(payload[0]):
            return Refusal(400, "its payload is not one JSON object")
        return _interaction_problem(json.loads(payload[0]))
    if "command" not in form:
        return Refusal(400, "its form is neither a slash command nor an interaction payload")
    return None


def _interaction_problem(payload: dict[str, object]) -> Refusal | None:
    """What Slack always puts in an interaction, missing (Bolt's routing would trip on it)."""
    kind = payload.get("type")
    if kind == "block_actions":
        actions = payload.get("actions")
        if (
            not isinstance(actions, list)
            or not actions
            or not all(isinstance(a, dict) for a in actions)
        ):
            return Refusal(400, "its block_actions payload names no action")
    if kind in ("view_submission", "view_closed") and not isinstance(payload.get("view"), dict):
        return Refusal(400, f"its {kind} payload has no view")
    return None


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False
