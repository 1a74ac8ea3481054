"""How people are shown a change, a sprint's window and a draft: one form each, for every surface.

The command line, the notes, Slack and the digest all name things through these functions, so a
change reads `#418` (pull request), `!12` (merge request) or `deb1646` (a commit) everywhere, and
a sprint's window is its first and last day in the train's timezone (`16 Nov \u2013 29 Nov 2026`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import Change, DraftState, Sprint

_EN_DASH = "\u2013"  # between the first and last day of a sprint
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_id(change: Change) -> str:
    """How people refer to a change: `#418` (pull request), `!12` (merge request) or a short sha."""
    if change.number is not None:
        marker = "!" if change.id.startswith("gitlab:") else "#"
        return f"{marker}{change.number}"
    if change.sha:
        return change.sha[:7]
    return change.id.rsplit(":", 1)[-1][:12]


def sprint_days(sprint: Sprint, zone: ZoneInfo) -> tuple[date, date]:
    """The sprint's first and last day in `zone` (its window is [start, end): end excluded)."""
    first = sprint.start.astimezone(zone).date()
    last = (sprint.end.astimezone(zone) - timedelta(microseconds=1)).date()
    return first, last


def window_text(sprint: Sprint, zone: ZoneInfo) -> str:
    """The sprint's days for people: `16 Nov \u2013 29 Nov 2026` (the year once when shared)."""
    first, last = sprint_days(sprint, zone)
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} {_EN_DASH} {day_text(last)}"
    return f"{day_text(first)} {_EN_DASH} {day_text(last)}"


def day_text(day: date) -> str:
    """A day for people: `29 Nov 2026`."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def local_minute(when: datetime, zone: ZoneInfo) -> str:
    """An instant for people, to the minute in `zone`: `2026-11-20 14:30`."""
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def draft_line(draft: DraftState, zone: ZoneInfo | None = None) -> str:
    """The draft's state in one line: `none`, `pending v2`, `approved v3 by Dana at …`."""
    if draft.version is None:
        return "none"
    line = f"{draft.state} v{draft.version}"
    if draft.approved_by:
        line += f" by {draft.approved_by}"
    if draft.approved_at:
        where = zone or ZoneInfo("UTC")
        line += f" at {local_minute(draft.approved_at, where)} {_zone_label(where)}"
    return line


def _zone_label(zone: ZoneInfo) -> str:
    return "UTC" if zone.key in {"UTC", "Etc/UTC"} else zone.key


def utc_iso(when: datetime) -> str:
    """An instant as the machine-readable outputs give it: ISO 8601 in UTC."""
    return when.astimezone(UTC).isoformat()
