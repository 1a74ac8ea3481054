"""Slack in HTTP mode under a burst: 50 `status` commands at once, on a small and a big sprint.

    .venv/bin/python benchmarks/bench_slack_burst.py [--burst 50] [--rounds 3] [--sizes 1,1000]
                                                      [--explain]

For each sprint size the app runs as `serve` runs it (uvicorn on loopback, in a process of its
own; the fake Slack answering the Web API and the response_urls in this one) and the load
generator (`slack_load.py`) sends from a third process. Each round, interleaved:

- the baseline: `--burst` forged requests at once, refused at the signature check (the HTTP
  stack and the gate, no listener);
- a store write (a change marked attached, then not), so the store revision moves and no view
  computed before the burst can answer it, as after a sync;
- `--burst` correctly signed `status` requests at once, then every answer awaited on its
  response_url.

Printed: the acknowledgements' p50/p99 against the baseline's (target: p99 at most 1.5x the
baseline's), and when the answers arrived after the burst's first request (target: every one
within 1 s), with the load average before and after, since the machine is shared.

`--explain` says what the gap to the baseline is made of, measured inside the app's process:
how long each dispatch waited for a thread of the event loop's executor, how long Bolt's
dispatch (the listener, up to its acknowledgement) took, and how late a thread sleeping 1 ms
woke up (the wait for the GIL while another thread computes a view).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench_slack_ack import _SERVER, CHANNEL, SECRET, pct, send_burst, write_config
from harness import REPO_ROOT, clean_environment, load_average, ratio, scratch, verdict

sys.path.insert(0, str(REPO_ROOT))

from bench_big_train import fill_store

from bot.adapters.store import SqlStore
from bot.settings import load_settings
from tests.fakes.slack import FakeSlack

TARGET_ACK_RATIO = 1.5
TARGET_ANSWERS = 1.0  # seconds after the burst's first request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1,1000", help="sprint sizes, comma-separated")
    parser.add_argument("--explain", action="store_true", help="time the app's insides too")
    args = parser.parse_args()
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    print(f"load average before: {load_average()} (1, 5, 15 min; {os.cpu_count()} cores)")
    for size in (int(s) for s in args.sizes.split(",")):
        burst(changes=size, size=args.burst, rounds=args.rounds, explain=args.explain)
    print(f"load average after: {load_average()} (1, 5, 15 min; {os.cpu_count()} cores)")


def burst(*, changes: int, size: int, rounds: int, explain: bool) -> None:
    with scratch("slack-burst") as folder, FakeSlack() as fake:
        fake.add_user("U0ALICE", "alice")
        fake.add_channel(CHANNEL, "releases", members=["U0ALICE"])
        config = write_config(folder, fake)
        env = {
            "RELEASE_TRAIN_SLACK__BOT_TOKEN": fake.bot_token,
            "RELEASE_TRAIN_SLACK__SIGNING_SECRET": SECRET,
        }
        os.environ.update(env)
        settings = load_settings(config)
        train = settings.train(None)
        fill_store(settings, train, changes=changes, now=datetime.now(UTC))
        store = SqlStore(url=settings.store.url)
        inside = folder / "inside.txt"
        script = _SERVER.replace("import sys\n", f"import sys\n{_TIMED}", 1) if explain else _SERVER
        server = subprocess.Popen(
            [sys.executable, "-c", script, str(config), str(inside)],
            env={**clean_environment(), **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{int(server.stdout.readline())}/slack/events"
            change_id = _a_change(store, train=train.name)
            send_burst(url, fake, requests=size, concurrency=size, bad=True)  # warm-up
            warm = send_burst(url, fake, requests=size, concurrency=size)
            _arrivals(fake, warm.urls)  # the warm-up's work is done before anything is timed
            refused: list[float] = []
            acks: list[float] = []
            answers: list[float] = []  # seconds from the burst's first request, per answer
            for n in range(rounds):
                refused += send_burst(url, fake, requests=size, concurrency=size, bad=True).seconds
                store.mark_attached(train=train.name, change_id=change_id, attached=n % 2 == 0)
                timed = send_burst(url, fake, requests=size, concurrency=size)
                acks += timed.seconds
                answers += [t - timed.began for t in _arrivals(fake, timed.urls)]
        finally:
            store.close()
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=30)
        timings = inside.read_text(encoding="utf-8") if inside.exists() else ""
    _report(changes=changes, size=size, rounds=rounds, refused=refused, acks=acks, answers=answers)
    print(timings, end="")


def _report(
    *,
    changes: int,
    size: int,
    rounds: int,
    refused: list[float],
    acks: list[float],
    answers: list[float],
) -> None:
    p50, p99 = pct(acks, 50), pct(acks, 99)
    b50, b99 = pct(refused, 50), pct(refused, 99)
    last = max(answers)
    print(f"{changes}-change sprint: {rounds} rounds of {size} `/release-train status` at once:")
    print(
        f"    ack p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms; refused at the signature "
        f"check p50 {b50 * 1000:.1f} ms, p99 {b99 * 1000:.1f} ms; p99 ratio {ratio(p99, b99)} "
        f"(target <= {TARGET_ACK_RATIO}: {verdict(p99 <= TARGET_ACK_RATIO * b99)})"
    )
    print(
        f"    answers via response_url after the burst's first request: median "
        f"{statistics.median(answers) * 1000:.0f} ms, last {last * 1000:.0f} ms "
        f"(target every one within {TARGET_ANSWERS:.0f} s: {verdict(last <= TARGET_ANSWERS)})"
    )


# Put ahead of the app's script with --explain: times the app's insides, written at exit to the
# file named by its second argument.
_TIMED = """
import asyncio, atexit, threading, time
from slack_bolt import App

_took = {"executor wait": [], "dispatch": [], "late wake-up (GIL)": []}
_dispatch = App.dispatch
_in_executor = asyncio.BaseEventLoop.run_in_executor


def _timed_dispatch(self, request):
    began = time.perf_counter()
    try:
        return _dispatch(self, request)
    finally:
        _took["dispatch"].append(time.perf_counter() - began)


def _timed_executor(self, executor, work, *args):
    asked = time.perf_counter()

    def started(*given):
        _took["executor wait"].append(time.perf_counter() - asked)
        return work(*given)

    return _in_executor(self, executor, started, *args)


def _sleeper():
    while True:
        began = time.perf_counter()
        time.sleep(0.001)
        _took["late wake-up (GIL)"].append(time.perf_counter() - began - 0.001)


def _write():
    lines = []
    for name, values in _took.items():
        values.sort()
        n = len(values)
        if n:
            at = lambda q: values[min(n - 1, int(n * q))] * 1000
            lines.append(
                f"    inside the app, {name}: p50 {at(0.5):.1f} ms, p90 {at(0.9):.1f} ms, "
                f"p99 {at(0.99):.1f} ms, max {values[-1] * 1000:.1f} ms ({n})\\n"
            )
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        out.write("".join(lines))


App.dispatch = _timed_dispatch
asyncio.BaseEventLoop.run_in_executor = _timed_executor
threading.Thread(target=_sleeper, daemon=True).start()
atexit.register(_write)
"""


def _a_change(store: SqlStore, *, train: str) -> str:
    sprint = store.latest_sprint(train=train)
    assert sprint is not None, "the benchmark's store holds no change"
    return store.changes_for_sprint(train=train, sprint=sprint, details=False)[0].change.id


def _arrivals(fake: FakeSlack, urls: list[str], *, timeout: float = 60) -> list[float]:
    """When the first answer to each response_url arrived, once all have."""
    deadline = time.monotonic() + timeout
    while True:
        seen = [fake.arrivals(u) for u in urls]
        if all(seen):
            return [times[0] for times in seen]
        assert time.monotonic() < deadline, "some answers never arrived"
        time.sleep(0.01)


if __name__ == "__main__":
    main()
