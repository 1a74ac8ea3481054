"""What `serve` counts for Prometheus: syncs, changes, external calls, job durations, decisions.

Each `Metrics` owns its registry, so a test (or a second server in one process) starts from
zero and nothing is shared through module state; the process, platform (`python_info`) and
garbage-collector collectors are registered on it too. Every series an alert reads exists from
the first scrape: the trains, job kinds, outcomes and services named at construction start at
0, so `rate()` and `absent()` see them before anything happened. Counters carry no `_created`
series (prometheus-client's switch for that is process-wide). Recording is a dictionary lookup
and an add under prometheus-client's lock: cheap enough for every job run and external call;
a scrape reads /proc once for the process collector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)

# Jobs range from a quiet sync (well under a second) to a first sync of hundreds of
# repositories (minutes); buckets cover both ends.
_JOB_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
SYNC_OUTCOMES = ("ok", "partial", "failed")
JOB_OUTCOMES = ("ok", "partial", "failed", "skipped")
DECISIONS = ("approved", "changes_requested")
PACKAGE = "release-train"


class Metrics:
    """The process's counters and gauges, on a registry of their own.

    `trains`, `jobs` (train, job kind) and `services` name the series to show at 0 from the start;
    `decisions` adds the trains' draft decisions (with Slack); `sync_periods` is each train's
    longest gap between two sync fire times, in seconds, for the staleness alert.
    """

    def __init__(
        self,
        *,
        trains: Iterable[str] = (),
        jobs: Iterable[tuple[str, str]] = (),
        services: Iterable[str] = (),
        decisions: bool = False,
        sync_periods: Mapping[str, float] | None = None,
    ) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # untyped in the library
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)  # registers itself only where gc keeps statistics (CPython)
        build = Gauge(
            "release_train_build_info",
            "The running release-train's version (always 1).",
            ["version"],
            registry=r,
        )
        build.labels(version=_version()).set(1)
        self._syncs = Counter(
            "release_train_syncs",
            "Sync runs by train and outcome.",
            ["train", "outcome"],
            registry=r,
        )
        self._changes = Counter(
            "release_train_changes_recorded",
            "New changes recorded by syncs.",
            ["train"],
            registry=r,
        )
        self._calls = Counter(
            "release_train_external_calls", "Calls to outside services.", ["service"], registry=r
        )
        self._failures = Counter(
            "release_train_external_failures",
            "Failed calls to outside services.",
            ["service"],
            registry=r,
        )
        # `kind`, not `job`: Prometheus's target label `job` would rename ours to `exported_job`.
        self._jobs = Counter(
            "release_train_job_runs",
            "Scheduled job runs by train, job kind and outcome.",
            ["train", "kind", "outcome"],
            registry=r,
        )
        self._durations = Histogram(
            "release_train_job_duration_seconds",
            "How long scheduled jobs ran.",
            ["train", "kind"],
            buckets=_JOB_BUCKETS,
            registry=r,
        )
        self._last_sync = Gauge(
            "release_train_last_successful_sync_timestamp_seconds",
            "When the train's last sync without failures finished (Unix time; 0: none yet).",
            ["train"],
            registry=r,
        )
        self._periods = Gauge(
            "release_train_sync_period_seconds",
            "The longest gap between two fire times of the train's sync schedule.",
            ["train"],
            registry=r,
        )
        self._decisions = Counter(
            "release_train_draft_decisions",
            "Release-notes draft decisions taken.",
            ["train", "decision"],
            registry=r,
        )
        self._start_at_zero(
            trains=list(trains), jobs=list(jobs), services=services, decisions=decisions
        )
        for train, seconds in (sync_periods or {}).items():
            self._periods.labels(train=train).set(seconds)

    def _start_at_zero(
        self,
        *,
        trains: list[str],
        jobs: list[tuple[str, str]],
        services: Iterable[str],
        decisions: bool,
    ) -> None:
        """Create the labelled series that are known now, so they read 0 until counted."""
        for train in trains:
            self._changes.labels(train=train)
            self._last_sync.labels(train=train)
            for outcome in SYNC_OUTCOMES:
                self._syncs.labels(train=train, outcome=outcome)
            for decision in DECISIONS if decisions else ():
                self._decisions.labels(train=train, decision=decision)
        for train, kind in jobs:
            self._durations.labels(train=train, kind=kind)
            for outcome in JOB_OUTCOMES:
                self._jobs.labels(train=train, kind=kind, outcome=outcome)
        for service in services:
            self._calls.labels(service=service)
            self._failures.labels(service=service)

    def sync_finished(self, *, train: str, outcome: str, recorded: int, at: datetime) -> None:
        """One sync ran: its outcome (`ok`, `partial`, `failed`) and the changes it recorded."""
        self._syncs.labels(train=train, outcome=outcome).inc()
        self._changes.labels(train=train).inc(recorded)
        if outcome == "ok":
            self._last_sync.labels(train=train).set(at.timestamp())

    def external_calls(self, *, service: str, calls: int = 1, failures: int = 0) -> None:
        """Calls to an outside service (`github`, `gitlab`, `git`, `jira`, `slack`), some failed."""
        self._calls.labels(service=service).inc(calls)
        if failures:
            self._failures.labels(service=service).inc(failures)

    def job_finished(self, *, train: str, kind: str, outcome: str, seconds: float) -> None:
        """One scheduled job run of `kind` (`sync`, `digest`, `draft`), whatever its outcome
        (`skipped` when another replica ran it)."""
        self._jobs.labels(train=train, kind=kind, outcome=outcome).inc()
        if outcome != "skipped":
            self._durations.labels(train=train, kind=kind).observe(seconds)

    def draft_decided(self, *, train: str, decision: str) -> None:
        """An approver decided on a draft (`approved`, `changes_requested`)."""
        self._decisions.labels(train=train, decision=decision).inc()

    def render(self) -> bytes:
        """The exposition text, as a scrape without content negotiation gets it."""
        return generate_latest(self.registry)

    def watch_scheduler(self, running: Callable[[], bool]) -> None:
        """`release_train_scheduler_running`: 1 while `running()` says jobs can fire, asked at
        each scrape."""
        self._state(
            "release_train_scheduler_running",
            "1 while the scheduler runs and its thread is alive, else 0.",
            running,
        )

    def watch_slack_socket(self, connected: Callable[[], bool]) -> None:
        """`release_train_slack_socket_connected` (Socket Mode only): 1 while `connected()`,
        asked at each scrape."""
        self._state(
            "release_train_slack_socket_connected",
            "1 while the Slack Socket Mode connection is up and answering pings, else 0.",
            connected,
        )

    def _state(self, name: str, documentation: str, probe: Callable[[], bool]) -> None:
        gauge = Gauge(name, documentation, registry=self.registry)
        gauge.set_function(lambda: 1.0 if probe() else 0.0)


def _version() -> str:
    """The installed package's version ("unknown" when run from a tree never installed)."""
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"
