"""The load generator of bench_slack_ack.py: signed `/release-train status` requests, N in flight.

Reads a JSON job on stdin ({url, secret, urls: response_urls, concurrency}); opens its
connections first, then prints {"seconds": [...], "statuses": [...], "began": T}: each request's
time from sending it to the app's answer, and when the first was sent (`time.monotonic()`, a
clock every process on the machine shares, so the caller can set answers' arrivals against it).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import sys
import time
from typing import Any
from urllib.parse import urlencode

import httpx


def _signed(secret: str, response_url: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode(
        {
            "command": "/release-train",
            "text": "status",
            "user_id": "U0ALICE",
            "user_name": "alice",
            "channel_id": "C0RELEASE",
            "team_id": "T0FAKETEAM",
            "response_url": response_url,
            "trigger_id": "1.T0FAKETEAM.trigger",
        }
    ).encode()
    stamp = str(int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    return body, headers


async def _run(job: dict[str, Any]) -> dict[str, Any]:
    gate = asyncio.Semaphore(int(job["concurrency"]))
    limits = httpx.Limits(max_connections=int(job["concurrency"]))
    # Without TCP_NODELAY the request's headers and body go out as two segments and the second
    # waits for the server's delayed ACK: 40 ms per request that belong to the client, not the app.
    transport = httpx.AsyncHTTPTransport(
        limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    )
    async with httpx.AsyncClient(trust_env=False, timeout=60, transport=transport) as client:

        async def one(response_url: str) -> tuple[float, int]:
            body, headers = _signed(str(job["secret"]), response_url)
            async with gate:
                began = time.perf_counter()
                answer = await client.post(str(job["url"]), content=body, headers=headers)
                return time.perf_counter() - began, answer.status_code

        # Open the connections first (refused requests), so connecting is not what is timed.
        warm = {**job, "secret": "not-the-secret"}
        await asyncio.gather(
            *(client.post(str(warm["url"]), content=b"") for _ in range(int(job["concurrency"])))
        )
        began = time.monotonic()
        done = await asyncio.gather(*(one(u) for u in job["urls"]))
    return {"seconds": [t for t, _ in done], "statuses": [s for _, s in done], "began": began}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(asyncio.run(_run(json.loads(sys.stdin.read())))))
