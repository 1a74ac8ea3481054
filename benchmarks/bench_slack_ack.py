"""Slack in HTTP mode: how fast commands are acknowledged, and what `draft` costs on a big sprint.

(a) 200 correctly signed `/release-train status` requests, 50 in flight at a time, against the
    app as `serve` runs it (uvicorn on loopback, the fake Slack answering the Web API and the
    response_urls): p50 and p99 of the acknowledgement's latency, against a baseline of the same
    number of requests the app refuses at signature checking (the HTTP stack, Bolt's
    verification, no listener). Every answer through a response_url is awaited too.
(b) `release-train draft` as a process on a sprint of 1,000 recorded changes: Slack calls made
    (expect one post), wall time against `python -c pass`; then again, unchanged (expect no post).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import RELEASE_TRAIN, REPO_ROOT, clean_environment, ratio, scratch, verdict

sys.path.insert(0, str(REPO_ROOT))

from bench_big_train import fill_store

from bot.settings import load_settings
from tests.fakes.slack import FakeSlack

SECRET = "bench-signing-secret"  # noqa: S105 - the benchmark's own
CHANNEL = "C0RELEASE"
TARGET_P99 = 0.100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    with scratch("slack-bench") as folder, FakeSlack() as fake:
        fake.add_user("U0ALICE", "alice")
        fake.add_channel(CHANNEL, "releases", members=["U0ALICE"])
        config = write_config(folder, fake)
        env = {
            "RELEASE_TRAIN_SLACK__BOT_TOKEN": fake.bot_token,
            "RELEASE_TRAIN_SLACK__SIGNING_SECRET": SECRET,
        }
        os.environ.update(env)
        settings = load_settings(config)
        fill_store(settings, settings.train(None), changes=args.changes, now=datetime.now(UTC))
        ack_latency(config, fake, env=env, requests=args.requests, concurrency=args.concurrency)
        draft_cost(config, fake, env=env, changes=args.changes)


def write_config(folder: Path, fake: FakeSlack) -> Path:
    first = (datetime.now(UTC) - timedelta(days=3)).date()
    config = folder / "release-train.toml"
    config.write_text(
        f"""
[store]
url = "sqlite:///{folder / "store.db"}"

[slack]
mode = "http"
api_url = "{fake.api_url}"

[[trains]]
name = "payments"
slack_channel = "{CHANNEL}"
approvers = ["U0ALICE"]

  [trains.sprint]
  length_days = 14
  first_day = "{first:%Y-%m-%d}"

  [[trains.sources]]
  name = "app"
  kind = "git"
  path = "{folder}"
""",
        encoding="utf-8",
    )
    return config


# The app as `serve` runs it in HTTP mode, in a process of its own: it prints its port, then
# serves until its stdin closes.
_SERVER = """
import sys
from contextlib import ExitStack
from pathlib import Path

from bot.bootstrap import open_chat, open_serving
from bot.metrics import Metrics
from bot.settings import load_settings
from bot.web import HttpServer, bind, build_app

settings = load_settings(Path(sys.argv[1]))
with ExitStack() as stack:
    serving = stack.enter_context(open_serving(settings))
    events, _ = open_chat(settings, serving=serving, stack=stack)
    server = HttpServer(
        app=build_app(metrics=Metrics(), slack_events=events), sock=bind("127.0.0.1", 0)
    )
    server.start()
    print(server.address[1], flush=True)
    sys.stdin.read()
    server.stop(timeout=10)
"""


def ack_latency(
    config: Path, fake: FakeSlack, *, env: dict[str, str], requests: int, concurrency: int
) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(config)],
        env={**clean_environment(), **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{int(server.stdout.readline())}/slack/events"
        send_burst(url, fake, requests=concurrency, concurrency=concurrency, bad=True)  # warm-up
        baseline = send_burst(
            url, fake, requests=requests, concurrency=concurrency, bad=True
        ).seconds
        warm = send_burst(url, fake, requests=concurrency, concurrency=concurrency)  # warm-up
        _answered(fake, warm.urls)  # the warm-up's work is done before anything is timed
        one_by_one = send_burst(url, fake, requests=20, concurrency=1)
        single = one_by_one.seconds
        _answered(fake, one_by_one.urls)
        began = time.perf_counter()
        timed = send_burst(url, fake, requests=requests, concurrency=concurrency)
        acks = timed.seconds
        _answered(fake, timed.urls)
        answered = time.perf_counter() - began
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=30)
    p50, p99 = pct(acks, 50), pct(acks, 99)
    b50, b99 = pct(baseline, 50), pct(baseline, 99)
    print(
        f"(a) {requests} signed `/release-train status`, {concurrency} in flight "
        "(the app in a process of its own):"
    )
    print(
        f"    ack p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms "
        f"(target p99 < {TARGET_P99 * 1000:.0f} ms: {verdict(p99 < TARGET_P99)})"
    )
    print(
        f"    baseline, requests refused at the signature check: p50 {b50 * 1000:.1f} ms, "
        f"p99 {b99 * 1000:.1f} ms; ack/baseline p50 {ratio(p50, b50)}, p99 {ratio(p99, b99)}"
    )
    print(f"    one at a time (20 requests): ack p50 {pct(single, 50) * 1000:.1f} ms")
    print(
        f"    all {requests} statuses answered through their response_url {answered:.2f} s "
        "after the first request"
    )


@dataclass(frozen=True, slots=True)
class Burst:
    """One burst as the load generator saw it: sorted latencies, when it began, its urls."""

    seconds: list[float]
    began: float
    urls: list[str]


def send_burst(
    url: str, fake: FakeSlack, *, requests: int, concurrency: int, bad: bool = False
) -> Burst:
    """Send the requests from a process of its own (so neither the fake Slack nor this one's
    threads share its interpreter): their sorted latencies, when the first left (the clock
    every process shares, `time.monotonic()`) and their response_urls."""
    urls = [fake.new_response_url(channel=CHANNEL, user="U0ALICE") for _ in range(requests)]
    job = {
        "url": url,
        "secret": "wrong" if bad else SECRET,
        "urls": urls,
        "concurrency": concurrency,
    }
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("slack_load.py"))],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
        env={**clean_environment(), "NO_PROXY": "127.0.0.1"},
    )
    answer = json.loads(done.stdout)
    expected = 401 if bad else 200
    assert set(answer["statuses"]) == {expected}, answer["statuses"]
    return Burst(sorted(answer["seconds"]), float(answer["began"]), urls)


def draft_cost(config: Path, fake: FakeSlack, *, env: dict[str, str], changes: int) -> None:
    environment = {**clean_environment(), **env}
    command = [RELEASE_TRAIN, "-c", str(config), "draft"]
    baseline = statistics.median(
        _wall([sys.executable, "-c", "pass"], environment) for _ in range(3)
    )
    before = len(fake.calls)
    first = _wall(command, environment)
    calls = fake.calls[before:]
    posts = [c for c in calls if c.method == "chat.postMessage"]
    before = len(fake.calls)
    again = statistics.median(_wall(command, environment) for _ in range(3))
    rerun = fake.calls[before:]
    print(f"(b) `draft` on a sprint of {changes} changes, as a process:")
    print(
        f"    first run: {len(calls)} Slack call(s) ({', '.join(c.method for c in calls)}); "
        f"{len(posts)} post(s) (expect 1: {verdict(len(posts) == 1)}); wall {first:.2f} s, "
        f"{ratio(first, baseline)}x python -c pass ({baseline * 1000:.0f} ms)"
    )
    reposts = sum(c.method == "chat.postMessage" for c in rerun)
    print(
        f"    unchanged, 3 reruns: {len(rerun)} Slack call(s), {reposts} post(s) "
        f"(expect 0: {verdict(reposts == 0)}); wall {again:.2f} s (median)"
    )


def _wall(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-500:]}")
    return took


def _answered(fake: FakeSlack, urls: list[str]) -> None:
    while not all(fake.responses(u) for u in urls):
        time.sleep(0.01)


def pct(values: list[float], pct: int) -> float:
    """The `pct`th percentile of `values` (inclusive method; the largest for 100)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return (
        statistics.quantiles(ordered, n=100, method="inclusive")[pct - 1]
        if pct < 100
        else ordered[-1]
    )


if __name__ == "__main__":
    main()
