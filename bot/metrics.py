"""What `serve` counts for Prometheus: syncs, changes, external calls, job durations, decisions.

Each `Metrics` owns its registry, so a test (or a second server in one process) starts from
zero and nothing is shared through module state. Recording is a dictionary lookup and an add
under prometheus-client's lock: cheap enough to call on every job run and every external call.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Jobs range from a quiet sync (well under a second) to a first sync of hundreds of
# repositories (minutes); buckets cover both ends.
_JOB_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


class Metrics:
    """The process's counters and gauges, rendered in the Prometheus text format."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
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
        self._jobs = Counter(
            "release_train_job_runs",
            "Scheduled job runs by train, job and outcome.",
            ["train", "job", "outcome"],
            registry=r,
        )
        self._durations = Histogram(
            "release_train_job_duration_seconds",
            "How long scheduled jobs ran.",
            ["train", "job"],
            buckets=_JOB_BUCKETS,
            registry=r,
        )
        self._last_sync = Gauge(
            "release_train_last_successful_sync_timestamp_seconds",
            "When the train's last sync without failures finished (Unix time).",
            ["train"],
            registry=r,
        )
        self._decisions = Counter(
            "release_train_draft_decisions",
            "Release-notes draft decisions taken.",
            ["train", "decision"],
            registry=r,
        )

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

    def job_finished(self, *, train: str, job: str, outcome: str, seconds: float) -> None:
        """One scheduled job run, whatever its outcome (`skipped` when another replica ran it)."""
        self._jobs.labels(train=train, job=job, outcome=outcome).inc()
        if outcome != "skipped":
            self._durations.labels(train=train, job=job).observe(seconds)

    def draft_decided(self, *, train: str, decision: str) -> None:
        """An approver decided on a draft (`approved`, `changes_requested`)."""
        self._decisions.labels(train=train, decision=decision).inc()

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
