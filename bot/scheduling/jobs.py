"""The scheduled jobs' bodies: open the train's runtime, run the use-case, report and count it.

Each run opens the train's runtime afresh (store, clients) and closes it when done, exactly as
the command line does, so a long-running `serve` holds no connection or cache between runs
beyond the store handle it keeps for claims and readiness.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.errors import BotError
from bot.metrics import Metrics
from bot.scheduling.runner import JobReport

if TYPE_CHECKING:
    from bot.ports.chat import ChatNotifier
    from bot.services.sync.train import TrainSyncResult
    from bot.settings import Settings, TrainSettings

Body = Callable[["TrainSettings"], JobReport]


class TrainJobs:
    """Runs a job of a train by kind; the kinds this version can run are `KINDS`."""

    KINDS = frozenset({"sync", "digest", "draft"})

    def __init__(self, *, settings: Settings, metrics: Metrics) -> None:
        self._settings = settings
        self._metrics = metrics
        self._bodies: Mapping[str, Body] = {
            "sync": self._sync,
            "digest": self._digest,
            "draft": self._draft,
        }
        self._notifier: ChatNotifier | None = None

    def __call__(self, train: str, kind: str) -> JobReport:
        """Run `kind` for `train` now."""
        return self._bodies[kind](self._settings.train(train))

    def _sync(self, train: TrainSettings) -> JobReport:
        from bot.bootstrap import open_train

        try:
            with open_train(self._settings, train, chat=self._shared_chat()) as runtime:
                # The job reports counts; the sprint's view would be read for nothing.
                result = runtime.train_sync.run(view=False)
        except BotError:
            self._metrics.sync_finished(
                train=train.name, outcome="failed", recorded=0, at=datetime.now(UTC)
            )
            raise
        return self._sync_report(train, result)

    def _sync_report(self, train: TrainSettings, result: TrainSyncResult) -> JobReport:
        failed = {name for name, _ in result.failures}
        for source in train.sources:
            self._metrics.external_calls(service=source.kind, failures=int(source.name in failed))
        jira_failures = sum(a.failure is not None for a in result.attached)
        jira_failures += result.refused is not None
        jira_calls = sum(a.reads + a.writes for a in result.attached)
        if jira_calls or jira_failures:
            self._metrics.external_calls(
                service="jira", calls=max(jira_calls, jira_failures), failures=jira_failures
            )
        error = result.error()
        outcome = "ok" if error is None else "partial"
        self._metrics.sync_finished(
            train=train.name, outcome=outcome, recorded=result.new_count, at=datetime.now(UTC)
        )
        counts = {
            "new": result.new_count,
            "failed_sources": len(result.failures),
            "attached": sum(a.attached for a in result.attached),
            "jira_writes": sum(a.writes for a in result.attached),
        }
        return JobReport(outcome=outcome, counts=counts, problem=str(error) if error else None)

    def _digest(self, train: TrainSettings) -> JobReport:
        from bot.bootstrap import open_train

        try:
            with open_train(self._settings, train, chat=self._chat()) as runtime:
                runtime.digest.post(dry_run=False)
        except BotError:
            self._metrics.external_calls(service="slack", failures=1)
            raise
        self._metrics.external_calls(service="slack")
        return JobReport(outcome="ok", counts={"posted": 1})

    def _draft(self, train: TrainSettings) -> JobReport:
        from bot.bootstrap import open_train

        try:
            with open_train(self._settings, train, chat=self._chat()) as runtime:
                outcome = runtime.drafts.post_current()
        except BotError:
            self._metrics.external_calls(service="slack", failures=1)
            raise
        if outcome.posted:
            self._metrics.external_calls(service="slack")
        counts = {"version": outcome.version, "posted": int(outcome.posted)}
        return JobReport(outcome="ok", counts=counts)

    def _chat(self) -> ChatNotifier:
        """The Slack client every job of this process shares."""
        if self._notifier is None:
            from bot.bootstrap import build_notifier

            self._notifier = build_notifier(self._settings)
        return self._notifier

    def _shared_chat(self) -> ChatNotifier | None:
        """The shared Slack client when Slack is configured (a sync updates draft messages)."""
        return self._chat() if self._settings.slack is not None else None
