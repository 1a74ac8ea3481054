"""The scheduler: cron in the train's zone across DST, run claims, one log line per run."""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import StoreUnavailableError
from bot.logs import mask_secrets, setup_logging
from bot.metrics import Metrics
from bot.scheduling import (
    JobReport,
    JobRunner,
    JobSpec,
    Scheduler,
    WallClockCron,
    fire_time_due,
    job_specs,
    longest_gap,
)
from bot.settings import Settings, load_settings

BERLIN = ZoneInfo("Europe/Berlin")


def fire_times(trigger: WallClockCron, *, start: datetime, end: datetime) -> list[datetime]:
    """The fire times between start and end, computed as APScheduler's scheduler does: each
    next one from the previous one and a clock standing at the previous one."""
    times: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < end:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return times


@pytest.mark.parametrize(
    ("first", "last"),
    [
        pytest.param(datetime(2026, 3, 27), datetime(2026, 4, 1), id="spring-forward"),
        pytest.param(datetime(2026, 10, 23), datetime(2026, 10, 28), id="fall-back"),
    ],
)
def test_a_daily_digest_at_0230_berlin_fires_once_per_day_across_dst(
    first: datetime, last: datetime
) -> None:
    trigger = WallClockCron.from_crontab("30 2 * * *", timezone=BERLIN)

    times = fire_times(trigger, start=first.replace(tzinfo=BERLIN), end=last.replace(tzinfo=BERLIN))

    days = [t.astimezone(BERLIN).date() for t in times]
    assert len(days) == len(set(days)) == (last - first).days
    assert all(t.astimezone(BERLIN).hour in (2, 3) for t in times)


def test_the_spring_forward_digest_fires_when_0230_is_skipped_over() -> None:
    trigger = WallClockCron.from_crontab("30 2 * * *", timezone=BERLIN)

    times = fire_times(
        trigger,
        start=datetime(2026, 3, 29, tzinfo=BERLIN),
        end=datetime(2026, 3, 30, tzinfo=BERLIN),
    )

    # 02:30 does not exist that night: the digest goes out at the first instant after it.
    assert [t.astimezone(UTC) for t in times] == [datetime(2026, 3, 29, 1, 30, tzinfo=UTC)]


def test_a_quarter_hourly_sync_keeps_firing_through_the_repeated_hour() -> None:
    trigger = WallClockCron.from_crontab("*/15 * * * *", timezone=BERLIN)
    start = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST, an hour before fall-back

    times = fire_times(trigger, start=start, end=start + timedelta(hours=3))

    utc = [t.astimezone(UTC) for t in times]
    assert len(utc) == 12
    assert all(b - a == timedelta(minutes=15) for a, b in itertools.pairwise(utc))


def test_the_fire_time_due_is_the_latest_one_not_after_now() -> None:
    trigger = WallClockCron.from_crontab("*/15 * * * *", timezone=BERLIN)
    now = datetime(2026, 11, 20, 9, 16, 40, tzinfo=UTC)

    due = fire_time_due(trigger, now=now, grace=timedelta(minutes=10))

    assert due == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)


def test_a_run_delayed_within_the_grace_is_for_the_fire_time_it_was_late_for() -> None:
    trigger = WallClockCron.from_crontab("0 9 * * MON-FRI", timezone=BERLIN)
    now = datetime(2026, 11, 20, 9, 9, 30, tzinfo=BERLIN)

    due = fire_time_due(trigger, now=now, grace=timedelta(minutes=10))

    assert due == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_no_fire_time_is_due_outside_the_grace_window() -> None:
    trigger = WallClockCron.from_crontab("0 9 * * *", timezone=BERLIN)
    now = datetime(2026, 11, 20, 9, 30, tzinfo=BERLIN)

    assert fire_time_due(trigger, now=now, grace=timedelta(minutes=10)) is None


class Claims:
    """The store's run claims as they behave: the first taker of a (job, fire time) wins, the
    holder renews it while running and finishes it with the outcome."""

    def __init__(self, holder: str = "a", *, shared: Claims | None = None) -> None:
        self.holder = holder
        self.taken: dict[tuple[str, datetime], str] = shared.taken if shared else {}
        self.finished: dict[tuple[str, datetime], str] = shared.finished if shared else {}
        self.renewals = threading.Semaphore(0)
        self._lock = shared._lock if shared else threading.Lock()

    def claim(self, job: str, fire_time: datetime) -> bool:
        with self._lock:
            return self.taken.setdefault((job, fire_time), self.holder) == self.holder

    def renew(self, job: str, fire_time: datetime) -> bool:
        self.renewals.release()
        return self.taken.get((job, fire_time)) == self.holder

    def finish(self, job: str, fire_time: datetime, outcome: str) -> None:
        self.finished[job, fire_time] = outcome


SPEC = JobSpec(
    train="payments", kind="sync", trigger=WallClockCron.from_crontab("*/15 * * * *", timezone=UTC)
)
NOW = datetime(2026, 11, 20, 9, 15, 2, tzinfo=UTC)


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield capsys
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_a_fire_time_runs_on_the_replica_that_claims_it_only() -> None:
    claims = Claims("a")
    ran: list[str] = []
    replicas = {
        name: JobRunner(
            body=lambda train, kind, name=name: ran.append(name) or JobReport(outcome="ok"),
            claims=Claims(name, shared=claims),
            metrics=Metrics(),
            clock=lambda: NOW,
        )
        for name in ("a", "b")
    }

    replicas["a"].run(SPEC)
    replicas["b"].run(SPEC)

    assert ran == ["a"]
    fire = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    assert claims.taken == {("payments/sync", fire): "a"}
    assert claims.finished == {("payments/sync", fire): "ok"}


def taken_by_a() -> Claims:
    claims = Claims("a")
    claims.claim("payments/sync", datetime(2026, 11, 20, 9, 15, tzinfo=UTC))
    return claims


def test_a_skipped_run_is_counted_as_skipped() -> None:
    metrics = Metrics()
    runner = JobRunner(
        body=lambda train, kind: JobReport(outcome="ok"),
        claims=Claims("b", shared=taken_by_a()),
        metrics=metrics,
        clock=lambda: NOW,
    )

    runner.run(SPEC)

    labels = {"train": "payments", "kind": "sync", "outcome": "skipped"}
    assert metrics.registry.get_sample_value("release_train_job_runs_total", labels) == 1


def test_each_run_logs_one_json_line_with_train_job_outcome_duration_and_counts(
    json_logs: pytest.CaptureFixture[str],
) -> None:
    setup_logging(verbose=False, fmt="json")
    runner = JobRunner(
        body=lambda train, kind: JobReport(outcome="ok", counts={"new": 3, "failed_sources": 0}),
        claims=Claims(),
        metrics=Metrics(),
        clock=lambda: NOW,
    )

    runner.run(SPEC)

    done = lines(json_logs)  # one line per run at the default level: its outcome
    assert len(done) == 1
    line = done[0]
    assert (line["train"], line["job"], line["outcome"]) == ("payments", "sync", "ok")
    assert (line["new"], line["failed_sources"]) == (3, 0)
    assert isinstance(line["duration_s"], float)
    assert line["fire_time"] == "2026-11-20T09:15:00+00:00"


def test_a_job_that_raises_is_logged_as_failed_with_its_secret_masked(
    json_logs: pytest.CaptureFixture[str],
) -> None:
    setup_logging(verbose=False, fmt="json")
    secret = "ghp-not-real-but-secret-value"
    mask_secrets([secret])

    def explode(train: str, kind: str) -> JobReport:
        raise RuntimeError(f"token {secret} refused")

    metrics = Metrics()
    runner = JobRunner(body=explode, claims=Claims(), metrics=metrics, clock=lambda: NOW)

    runner.run(SPEC)

    err = json_logs.readouterr().err
    assert secret not in err
    done = [json.loads(line) for line in err.splitlines() if '"outcome"' in line]
    assert [line["outcome"] for line in done] == ["failed"]
    assert "RuntimeError: token *** refused" in str(done[0]["message"])
    labels = {"train": "payments", "kind": "sync", "outcome": "failed"}
    assert metrics.registry.get_sample_value("release_train_job_runs_total", labels) == 1


def test_a_long_job_keeps_its_claim_alive_and_finishes_it_with_its_outcome() -> None:
    claims = Claims()

    def long_job(train: str, kind: str) -> JobReport:
        for _ in range(3):  # the job ends only after three renewals of its claim
            assert claims.renewals.acquire(timeout=30)
        return JobReport(outcome="partial", problem="one source could not be read")

    runner = JobRunner(
        body=long_job,
        claims=claims,
        metrics=Metrics(),
        clock=lambda: NOW,
        renew_every=timedelta(milliseconds=10),
    )

    runner.run(SPEC)

    assert claims.finished == {
        ("payments/sync", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)): "partial"
    }


def test_the_scheduler_keeps_firing_after_a_job_raises() -> None:
    runs: list[datetime] = []
    twice = threading.Event()

    def explode(train: str, kind: str) -> JobReport:
        runs.append(datetime.now(UTC))
        if len(runs) >= 2:
            twice.set()
        raise RuntimeError("the job broke")

    spec = JobSpec(
        train="payments", kind="sync", trigger=WallClockCron.every_seconds(1, timezone=UTC)
    )
    runner = JobRunner(body=explode, claims=Claims(), metrics=Metrics())
    scheduler = Scheduler(specs=[spec], runner=runner)
    scheduler.start()
    try:
        assert twice.wait(30), "the second fire never came"
    finally:
        assert scheduler.stop(timeout=30)
    assert len(runs) >= 2


def test_stopping_waits_for_the_running_job_to_finish() -> None:
    started, release = threading.Event(), threading.Event()
    finished: list[bool] = []

    def slow(train: str, kind: str) -> JobReport:
        started.set()
        release.wait(30)
        finished.append(True)
        return JobReport(outcome="ok")

    spec = JobSpec(
        train="payments", kind="sync", trigger=WallClockCron.every_seconds(1, timezone=UTC)
    )
    runner = JobRunner(body=slow, claims=Claims(), metrics=Metrics())
    scheduler = Scheduler(specs=[spec], runner=runner)
    scheduler.start()
    assert started.wait(30)
    threading.Timer(0.2, release.set).start()

    assert scheduler.stop(timeout=30) is True
    assert finished == [True]


def test_stopping_gives_up_on_a_job_that_outlasts_the_grace() -> None:
    started, release = threading.Event(), threading.Event()

    def stuck(train: str, kind: str) -> JobReport:
        started.set()
        release.wait(30)
        return JobReport(outcome="ok")

    spec = JobSpec(
        train="payments", kind="sync", trigger=WallClockCron.every_seconds(1, timezone=UTC)
    )
    runner = JobRunner(body=stuck, claims=Claims(), metrics=Metrics())
    scheduler = Scheduler(specs=[spec], runner=runner)
    scheduler.start()
    assert started.wait(30)

    try:
        assert scheduler.stop(timeout=0.1) is False
    finally:
        release.set()


def settings_with(tmp_path: Path, *, slack: bool) -> Settings:
    config = tmp_path / "release-train.toml"
    config.write_text(
        ('[slack]\nmode = "http"\n' if slack else "")
        + f"""
[[trains]]
name = "payments"
timezone = "Europe/Berlin"
sync_schedule = "*/5 * * * *"
digest_schedule = "0 9 * * MON-FRI"
{'slack_channel = "C0123456789"' if slack else ""}

  [trains.sprint]
  length_days = 14
  first_day = "2026-01-05"

  [[trains.sources]]
  kind = "git"
  path = "{tmp_path}"

[[trains]]
name = "web"
{'slack_channel = "C0123456788"' if slack else ""}

  [trains.sprint]
  length_days = 14
  first_day = "2026-01-05"

  [[trains.sources]]
  kind = "git"
  path = "{tmp_path}"
""",
        encoding="utf-8",
    )
    # A configured [slack] needs its secrets to load (http mode: the bot token and signing secret).
    secrets = {
        "RELEASE_TRAIN_SLACK__BOT_TOKEN": "xoxb-t",
        "RELEASE_TRAIN_SLACK__SIGNING_SECRET": "s",
    }
    return load_settings(config, environ=secrets if slack else {})


def test_every_train_gets_a_sync_job_in_its_own_zone(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, slack=False)

    specs = job_specs(settings.trains, kinds=frozenset({"sync", "digest"}), chat=False)

    assert [spec.id for spec in specs] == ["payments/sync", "web/sync"]
    after = datetime(2026, 11, 20, 9, 1, tzinfo=UTC)
    assert specs[0].trigger.get_next_fire_time(None, after) == datetime(
        2026, 11, 20, 10, 5, tzinfo=BERLIN
    )


def test_the_digest_is_scheduled_only_with_slack(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, slack=True)

    specs = job_specs(settings.trains, kinds=frozenset({"sync", "digest"}), chat=True)

    ids = [spec.id for spec in specs]
    assert ids == ["payments/sync", "payments/digest", "web/sync", "web/digest"]


def test_a_seconds_override_fires_every_job_on_the_same_clock_ticks(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, slack=False)

    specs = job_specs(settings.trains, kinds=frozenset({"sync"}), chat=False, every_seconds=3)

    after = datetime(2026, 11, 20, 9, 0, 1, tzinfo=UTC)
    fires = {spec.trigger.get_next_fire_time(None, after) for spec in specs}
    assert fires == {datetime(2026, 11, 20, 9, 0, 3, tzinfo=UTC)}


class StoreDown(Claims):
    """Claims over a store that does not answer."""

    def claim(self, job: str, fire_time: datetime) -> bool:
        raise StoreUnavailableError("the store at postgresql://db/rt is unreachable")


def test_a_run_the_store_cannot_claim_is_one_failed_line_and_is_counted(
    json_logs: pytest.CaptureFixture[str],
) -> None:
    setup_logging(verbose=False, fmt="json")
    metrics = Metrics()
    runner = JobRunner(
        body=lambda t, k: JobReport("ok"), claims=StoreDown(), metrics=metrics, clock=lambda: NOW
    )

    runner.run(SPEC)

    lines = [json.loads(line) for line in json_logs.readouterr().err.splitlines()]
    assert [line.get("outcome") for line in lines] == ["failed"]
    assert "unreachable" in lines[0]["message"] and "Traceback" not in str(lines)
    labels = {"train": "payments", "kind": "sync", "outcome": "failed"}
    assert metrics.registry.get_sample_value("release_train_job_runs_total", labels) == 1


@pytest.mark.parametrize(
    ("crontab", "gap"),
    [
        pytest.param("*/15 * * * *", timedelta(minutes=15), id="every-quarter-hour"),
        pytest.param("0 9 * * MON-FRI", timedelta(days=3), id="weekdays-the-weekend-gap"),
        pytest.param("*/15 9-17 * * MON-FRI", timedelta(days=2, hours=15, minutes=15), id="hours"),
        pytest.param("0 3 1 * *", timedelta(days=31), id="monthly-from-december"),
    ],
)
def test_the_longest_gap_of_a_schedule_is_what_staleness_is_measured_in(
    crontab: str, gap: timedelta
) -> None:
    trigger = WallClockCron.from_crontab(crontab, timezone=BERLIN)
    wednesday = datetime(2026, 12, 2, 12, 0, tzinfo=BERLIN)

    assert longest_gap(trigger, now=wednesday) == gap
