"""When jobs fire: cron in the train's time zone, and which fire time a run is for.

Computing a fire time costs a few calls into APScheduler's cron arithmetic (the longest gap of
a schedule, for the staleness alert, a week of them); nothing here touches the clock or the
store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

if TYPE_CHECKING:
    from bot.settings import TrainSettings

# Fire times computed at most by longest_gap (a week of */15 is 672).
MAX_FIRES = 2000


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One scheduled job: which train, which kind (`sync`, `digest`, `draft`), when."""

    train: str
    kind: str
    trigger: BaseTrigger

    @property
    def id(self) -> str:
        """The job's name in logs and in the store's run claims."""
        return f"{self.train}/{self.kind}"


class WallClockCron(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 ships no types
    """A crontab schedule in a time zone that fires a repeated wall-clock time once.

    When clocks fall back, APScheduler's CronTrigger fires `30 2 * * *` at both 02:30s; cron
    as people read it means once. A fire time showing the same local time as the previous
    one is skipped; schedules that fire through the repeated hour (`*/15`) are unaffected,
    since consecutive fire times never show the same local time.
    """

    __slots__ = ("_cron",)

    def __init__(self, cron: CronTrigger) -> None:
        self._cron = cron

    @classmethod
    def from_crontab(cls, expr: str, *, timezone: tzinfo) -> WallClockCron:
        """The five-field crontab `expr`, read in `timezone`."""
        return cls(CronTrigger.from_crontab(expr, timezone=timezone))

    @classmethod
    def every_seconds(cls, seconds: int, *, timezone: tzinfo) -> WallClockCron:
        """Every `seconds` seconds, aligned to the minute, so replicas agree on fire times."""
        return cls(CronTrigger(second=f"*/{seconds}", timezone=timezone))

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire: datetime | None = self._cron.get_next_fire_time(previous_fire_time, now)
        while (
            fire is not None
            and previous_fire_time is not None
            and _wall(fire) == _wall(previous_fire_time)
        ):
            fire = self._cron.get_next_fire_time(fire, fire)
        return fire

    def __str__(self) -> str:
        return str(self._cron)


def _wall(moment: datetime) -> datetime:
    """The local time a clock on the wall shows at `moment`."""
    return moment.replace(tzinfo=None)


def fire_time_due(trigger: BaseTrigger, *, now: datetime, grace: timedelta) -> datetime | None:
    """The latest fire time of `trigger` in (now - grace, now]: the one a run at `now` is for.

    APScheduler does not tell a job which fire time it runs for; replicas that compute it
    from the same trigger and clock agree on it, which is what makes it a claim key. The
    window grows from one second, so a schedule firing every second costs a step or two.
    """
    window = timedelta(seconds=1)
    while True:
        window = min(window, grace)
        fire = trigger.get_next_fire_time(None, now - window)
        if fire is not None and fire <= now:
            return _latest(trigger, fire, now=now).astimezone(UTC)
        if window >= grace:
            return None
        window *= 2


def _latest(trigger: BaseTrigger, fire: datetime, *, now: datetime) -> datetime:
    """The last fire time not after `now`, counting on from `fire` (which is not after it)."""
    while True:
        following = trigger.get_next_fire_time(fire, fire)
        if following is None or following > now:
            return fire
        fire = following


def longest_gap(
    trigger: BaseTrigger, *, now: datetime, horizon: timedelta = timedelta(days=7)
) -> timedelta | None:
    """The longest wait from a fire time of `trigger` within `horizon` from `now` to the next
    one: a week of starts covers every weekday a crontab names, the weekend's gap included,
    and a rarer schedule gives the gap after its next fire time; None when it never fires
    twice. At most MAX_FIRES fire times are computed (a week of `*/15` is 672, some 40 ms), so
    a schedule firing every second costs no more."""
    previous = trigger.get_next_fire_time(None, now)
    longest: timedelta | None = None
    end = now + horizon
    for _ in range(MAX_FIRES):
        if previous is None or (previous > end and longest is not None):
            break
        following = trigger.get_next_fire_time(previous, previous)
        if following is None:
            break
        gap = following - previous
        longest = gap if longest is None else max(longest, gap)
        previous = following
    return longest


def job_specs(
    trains: Sequence[TrainSettings],
    *,
    kinds: frozenset[str],
    chat: bool,
    every_seconds: int | None = None,
) -> list[JobSpec]:
    """One job per train and kind: sync always; digest and draft when Slack is configured
    and the train has a channel (draft only with a `draft_schedule`).

    `every_seconds` replaces every schedule by one firing each that many seconds (tests and
    demos: the configuration's five-field cron cannot fire more than once a minute).
    """
    specs = []
    for train in trains:
        schedules: dict[str, str | None] = {"sync": train.sync_schedule}
        if chat and train.slack_channel:
            schedules["digest"] = train.digest_schedule
            schedules["draft"] = getattr(train, "draft_schedule", None)
        for kind, expr in schedules.items():
            if expr is None or kind not in kinds:
                continue
            trigger = (
                WallClockCron.every_seconds(every_seconds, timezone=train.tz)
                if every_seconds
                else WallClockCron.from_crontab(expr, timezone=train.tz)
            )
            specs.append(JobSpec(train=train.name, kind=kind, trigger=trigger))
    return specs
