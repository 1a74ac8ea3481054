"""The HTTP endpoints of `serve` on a real uvicorn over loopback."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from importlib.metadata import version

import httpx
import pytest
from apscheduler.triggers.base import BaseTrigger
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import Receive, Scope, Send

from bot.metrics import Metrics
from bot.scheduling import JobReport, JobRunner, JobSpec, Scheduler
from bot.web import HealthCheck, HttpServer, PortInUseError, ReadinessCheck, bind, build_app

Serve = Callable[..., httpx.Client]


class RecordingSlackHandler:
    """Stands in for the Slack app's ASGI handler: records each request, answers 200."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b'{"ok":true}'})


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Starts the app on a free loopback port; yields a client bound to it."""
    servers: list[HttpServer] = []
    clients: list[httpx.Client] = []

    def start(
        *,
        metrics: Metrics | None = None,
        checks: Sequence[ReadinessCheck] = (),
        health: HealthCheck = lambda: None,
        slack: RecordingSlackHandler | None = None,
    ) -> httpx.Client:
        app = build_app(
            metrics=metrics or Metrics(), checks=checks, health=health, slack_events=slack
        )
        server = HttpServer(app=app, sock=bind("127.0.0.1", 0))
        server.start()
        servers.append(server)
        host, port = server.address
        client = httpx.Client(base_url=f"http://{host}:{port}", timeout=10, trust_env=False)
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.close()
    for server in servers:
        server.stop(timeout=10)


def test_healthz_answers_while_the_process_runs(serve: Serve) -> None:
    client = serve()

    answer = client.get("/healthz")

    assert answer.status_code == 200


class NoClaims:
    """Run claims for a scheduler whose jobs never get to run."""

    def claim(self, job: str, fire_time: datetime) -> bool:
        return False

    def renew(self, job: str, fire_time: datetime) -> bool:
        return False

    def finish(self, job: str, fire_time: datetime, outcome: str) -> None:
        pass


class BreaksOnDemand(BaseTrigger):
    """A schedule firing every 50 ms whose arithmetic fails once `broken` is set: APScheduler
    computes the next fire time in its loop's thread, and the exception ends that thread."""

    def __init__(self) -> None:
        self.broken = threading.Event()

    def get_next_fire_time(self, previous: datetime | None, now: datetime) -> datetime:
        if previous is not None and self.broken.is_set():
            raise ZeroDivisionError("a broken schedule")
        return max(now, previous or now) + timedelta(milliseconds=50)


def scheduler_of(*specs: JobSpec) -> Scheduler:
    def body(train: str, kind: str) -> JobReport:
        return JobReport(outcome="ok")

    runner = JobRunner(body=body, claims=NoClaims(), metrics=Metrics())
    return Scheduler(specs=specs, runner=runner)


def test_healthz_is_ok_while_the_scheduler_runs(serve: Serve) -> None:
    scheduler = scheduler_of()
    scheduler.start()
    client = serve(health=scheduler.problem)

    answer = client.get("/healthz")
    scheduler.stop(timeout=1)

    assert answer.status_code == 200


def test_healthz_turns_503_once_the_scheduler_stopped(serve: Serve) -> None:
    scheduler = scheduler_of()
    scheduler.start()
    client = serve(health=scheduler.problem)

    scheduler.stop(timeout=1)
    answer = client.get("/healthz")

    assert answer.status_code == 503
    assert answer.text == "unhealthy: the scheduler is not running\n"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_healthz_turns_503_and_the_gauge_0_when_the_schedulers_thread_dies(serve: Serve) -> None:
    trigger = BreaksOnDemand()
    scheduler = scheduler_of(JobSpec(train="payments", kind="sync", trigger=trigger))
    metrics = Metrics()
    metrics.watch_scheduler(lambda: scheduler.problem() is None)
    scheduler.start()
    client = serve(metrics=metrics, health=scheduler.problem)
    before = samples(client.get("/metrics").text)[("release_train_scheduler_running",)]
    healthy = client.get("/healthz").status_code

    trigger.broken.set()
    deadline = time.monotonic() + 30
    while scheduler.problem() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    answer = client.get("/healthz")
    after = samples(client.get("/metrics").text)[("release_train_scheduler_running",)]
    scheduler.stop(timeout=1)

    assert healthy == 200
    assert answer.status_code == 503
    assert answer.text == "unhealthy: the scheduler's thread has stopped\n"
    assert (before, after) == (1, 0)


def test_readyz_is_ready_when_every_check_passes(serve: Serve) -> None:
    client = serve(checks=[lambda: None, lambda: None])

    answer = client.get("/readyz")

    assert answer.status_code == 200


def test_readyz_is_503_with_every_reason_when_checks_fail(serve: Serve) -> None:
    def store_down() -> str | None:
        return "the store does not answer"

    def socket_broken() -> str | None:
        raise ConnectionError("socket closed")

    client = serve(checks=[store_down, lambda: None, socket_broken])

    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert "the store does not answer" in answer.text
    assert "ConnectionError: socket closed" in answer.text


def test_readyz_follows_its_check_as_it_changes(serve: Serve) -> None:
    state = {"reason": None}
    client = serve(checks=[lambda: state["reason"]])
    first = client.get("/readyz").status_code

    state["reason"] = "the Slack socket is not connected"
    second = client.get("/readyz")

    assert first == 200
    assert second.status_code == 503
    assert "the Slack socket is not connected" in second.text


def test_metrics_exposes_what_serve_counted(serve: Serve) -> None:
    metrics = Metrics()
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    metrics.sync_finished(train="payments", outcome="ok", recorded=3, at=at)
    metrics.sync_finished(train="payments", outcome="partial", recorded=1, at=at)
    metrics.external_calls(service="github", calls=5, failures=1)
    metrics.job_finished(train="payments", kind="sync", outcome="ok", seconds=0.4)
    metrics.draft_decided(train="payments", decision="approved")
    client = serve(metrics=metrics)

    answer = client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found = samples(answer.text)
    assert found["release_train_syncs_total", ("outcome", "ok"), ("train", "payments")] == 1
    assert found["release_train_syncs_total", ("outcome", "partial"), ("train", "payments")] == 1
    assert found["release_train_changes_recorded_total", ("train", "payments")] == 4
    assert found["release_train_external_calls_total", ("service", "github")] == 5
    assert found["release_train_external_failures_total", ("service", "github")] == 1
    assert (
        found["release_train_job_duration_seconds_count", ("kind", "sync"), ("train", "payments")]
        == 1
    )
    last = ("release_train_last_successful_sync_timestamp_seconds", ("train", "payments"))
    assert found[last] == at.timestamp()
    decided = (
        "release_train_draft_decisions_total",
        ("decision", "approved"),
        ("train", "payments"),
    )
    assert found[decided] == 1


def test_a_fresh_registry_shows_every_known_series_at_zero_and_the_build(serve: Serve) -> None:
    metrics = Metrics(
        trains=["payments", "ledger"],
        jobs=[("payments", "sync"), ("payments", "digest"), ("ledger", "sync")],
        services=["git", "github", "slack"],
        decisions=True,
        sync_periods={"payments": 900.0, "ledger": 3600.0},
    )
    client = serve(metrics=metrics)

    text = client.get("/metrics").text

    found = samples(text)
    for train in ("payments", "ledger"):
        last = ("release_train_last_successful_sync_timestamp_seconds", ("train", train))
        assert found[last] == 0
        assert found["release_train_changes_recorded_total", ("train", train)] == 0
        for outcome in ("ok", "partial", "failed"):
            assert found["release_train_syncs_total", ("outcome", outcome), ("train", train)] == 0
        for decision in ("approved", "changes_requested"):
            key = ("release_train_draft_decisions_total", ("decision", decision), ("train", train))
            assert found[key] == 0
    for outcome in ("ok", "partial", "failed", "skipped"):
        key = ("kind", "digest"), ("outcome", outcome), ("train", "payments")
        assert found[("release_train_job_runs_total", *key)] == 0
    assert (
        "release_train_job_runs_total",
        ("kind", "digest"),
        ("outcome", "ok"),
        ("train", "ledger"),
    ) not in found
    for service in ("git", "github", "slack"):
        assert found["release_train_external_calls_total", ("service", service)] == 0
        assert found["release_train_external_failures_total", ("service", service)] == 0
    assert found["release_train_sync_period_seconds", ("train", "ledger")] == 3600
    assert [k for k in found if k[0] == "release_train_build_info"] == [
        ("release_train_build_info", ("version", version("release-train")))
    ]
    assert any(name.startswith("process_") for name, *_ in found)
    assert any(name == "python_info" for name, *_ in found)
    assert any(name.startswith("python_gc_") for name, *_ in found)
    assert "_created" not in text


def test_metrics_speak_openmetrics_when_asked_and_gzip_when_accepted(serve: Serve) -> None:
    client = serve(metrics=Metrics(trains=["payments"]))

    with client.stream("GET", "/metrics", headers={"Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join(zipped.iter_raw())
    plain = client.get("/metrics", headers={"Accept-Encoding": "identity"})
    open_metrics = client.get(
        "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )

    assert zipped.headers["content-encoding"] == "gzip"
    assert "release_train_syncs_total" in gzip.decompress(raw).decode()
    assert "content-encoding" not in plain.headers
    assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
    assert open_metrics.text.endswith("# EOF\n")
    names = {f.name for f in openmetrics_families(open_metrics.text)}
    assert "release_train_syncs" in names
    assert "_created" not in open_metrics.text


def samples(text: str) -> dict[tuple[object, ...], float]:
    """Every sample of a Prometheus text page, keyed by name then sorted label pairs."""
    found: dict[tuple[object, ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, *sorted(sample.labels.items()))] = sample.value
    return found


def test_slack_events_reach_the_slack_handler(serve: Serve) -> None:
    slack = RecordingSlackHandler()
    client = serve(slack=slack)

    answer = client.post("/slack/events", content=b"command=%2Frelease-train&text=status")

    assert answer.status_code == 200
    assert json.loads(answer.text) == {"ok": True}
    assert slack.bodies == [b"command=%2Frelease-train&text=status"]


def test_slack_events_are_not_served_without_http_mode(serve: Serve) -> None:
    client = serve()

    answer = client.post("/slack/events", content=b"{}")

    assert answer.status_code == 404


def test_a_port_in_use_is_one_sentence_naming_the_setting() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        with pytest.raises(PortInUseError) as refused:
            bind("127.0.0.1", port)
    finally:
        taken.close()

    message = str(refused.value)
    assert f"port {port} on 127.0.0.1 is already in use" in message
    assert "RELEASE_TRAIN_SERVER__PORT" in message
    assert refused.value.exit_code == 2
