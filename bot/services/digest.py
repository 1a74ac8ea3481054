"""The sprint digest: where the train stands, for the team's channel (or stdout with --dry-run).

`build_digest_context` turns what the store holds into plain data for `digest.<format>.j2`:
the sprint and days left, counts by class, each violation with its reasons, expand migrations
whose contract stage is still owed (since which sprint), changes not yet on the ticket, the
draft's state and who may approve it. Costs: one read of the sprint's changes, one read of the
train's expand history and, when expands are recorded, one lean read per sprint to find the
contracts that followed them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain.model import (
    DraftState,
    ExpandRecord,
    MigrationStage,
    RecordedChange,
    Sprint,
)
from bot.errors import ConfigError
from bot.ports.chat import ChatNotifier, PostedMessage
from bot.ports.clock import Clock
from bot.ports.tracker import Ticket
from bot.services.approvals.decide import TrainApprovers
from bot.services.approvals.drafts import ChatMessage, post
from bot.services.notes.context import omitted_from_notes
from bot.services.views.report import count_classes
from bot.services.views.status import TrainViews

# A digest lists at most this many changes per heading; the rest are counted.
LISTED = 25


class DigestRecords(Protocol):
    """The store reads a digest needs."""

    def expand_history(self, *, train: str) -> list[ExpandRecord]: ...

    def list_sprints(self, *, train: str) -> list[Sprint]: ...

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]: ...


class DigestRenderer(Protocol):
    """Renders a named template with plain data."""

    def render_template(self, *, name: str, context: Mapping[str, Any]) -> str: ...


class DigestComposer(Protocol):
    """The digest's Block Kit message from its rendered mrkdwn."""

    def digest_message(self, *, mrkdwn: str, fallback: str) -> ChatMessage: ...


@dataclass(frozen=True, slots=True)
class TrainFacts:
    """What the digest says about the train itself."""

    name: str
    tz: ZoneInfo
    approvers: TrainApprovers
    tracked: bool  # whether the train keeps a Jira ticket at all


@dataclass(frozen=True, slots=True)
class DigestInput:
    """The sprint as the train view read it."""

    sprint: Sprint
    changes: Sequence[RecordedChange]
    ticket: Ticket | None
    draft: DraftState


@dataclass(frozen=True, slots=True)
class DigestOutcome:
    """The digest as rendered, and where it was posted (None for a dry run)."""

    text: str
    posted: PostedMessage | None


class DigestService:
    """Renders one train's digest and posts it to the train's channel (or only renders it)."""

    def __init__(
        self,
        *,
        facts: TrainFacts,
        store: DigestRecords,
        renderer: DigestRenderer,
        views: TrainViews,
        composer: DigestComposer,
        chat: ChatNotifier | None,
        channel: str | None,
        clock: Clock,
    ) -> None:
        self._facts = facts
        self._store = store
        self._views = views
        self._renderer = renderer
        self._composer = composer
        self._chat = chat
        self._channel = channel
        self._clock = clock

    def post(self, *, dry_run: bool) -> DigestOutcome:
        """The current sprint's digest: rendered as Markdown (dry run), or posted."""
        return self.run(self._current(), now=self._clock.now(), dry_run=dry_run)

    def home(self, *, now: datetime | None = None) -> dict[str, Any]:
        """The current sprint's digest data, which the App Home tab shows (as of `now`, by
        default the clock's)."""
        return self.context(self._current(), now=now or self._clock.now())

    def _current(self) -> DigestInput:
        view = self._views.read()
        if view.sprint is None:
            raise ConfigError(f"train '{view.train}' has no sprint holding the current date")
        ticket = (
            None if view.ticket is None else Ticket(key=view.ticket["key"], url=view.ticket["url"])
        )
        return DigestInput(
            sprint=view.sprint, changes=view.changes, ticket=ticket, draft=view.draft
        )

    def context(self, given: DigestInput, *, now: datetime) -> dict[str, Any]:
        """The digest's template data (also what the App Home tab shows)."""
        owed = owed_contracts(
            self._store,
            train=self._facts.name,
            changes_by_id={rc.change.id: rc for rc in given.changes},
        )
        return build_digest_context(
            facts=self._facts,
            sprint=given.sprint,
            changes=given.changes,
            owed=owed,
            ticket=given.ticket,
            draft=given.draft,
            now=now,
        )

    def run(self, given: DigestInput, *, now: datetime, dry_run: bool) -> DigestOutcome:
        """The digest in Markdown (dry run), or posted to the channel in Slack mrkdwn."""
        context = self.context(given, now=now)
        if dry_run:
            text = self._renderer.render_template(name="digest.markdown.j2", context=context)
            return DigestOutcome(text=text, posted=None)
        if self._chat is None or self._channel is None:
            raise ConfigError(
                f"the digest of train {self._facts.name} goes to Slack: set [slack] and "
                f"trains[{self._facts.name}].slack_channel, or use --dry-run"
            )
        text = self._renderer.render_template(name="digest.slack.j2", context=context)
        fallback = f"Sprint digest for {self._facts.name}, {given.sprint.name}"
        message = self._composer.digest_message(mrkdwn=text, fallback=fallback)
        return DigestOutcome(text=text, posted=post(self._chat, self._channel, message))


def build_digest_context(
    *,
    facts: TrainFacts,
    sprint: Sprint,
    changes: Sequence[RecordedChange],
    owed: Sequence[Mapping[str, Any]],
    ticket: Ticket | None,
    draft: DraftState,
    now: datetime,
) -> dict[str, Any]:
    """The data every digest template receives (plain str/int/list/dict/None values)."""
    zone = facts.tz
    counts = count_classes(changes)
    broken = [rc for rc in changes if rc.classification.counts_as_violation]
    waived = [rc for rc in changes if rc.classification.violation and rc.classification.waiver]
    waiting = [rc for rc in changes if facts.tracked and not rc.attached]
    return {
        "train": facts.name,
        "timezone": zone.key,
        "sprint": _sprint(sprint, zone, now),
        "ticket": None if ticket is None else {"key": ticket.key, "url": ticket.url},
        "tracked": facts.tracked,
        "counts": counts,
        "total": len(changes),
        "omitted_in_notes": len(omitted_from_notes(changes)),
        "violations": [_violation(rc) for rc in broken[:LISTED]],
        "violations_more": max(0, len(broken) - LISTED),
        "waived": [_waived(rc) for rc in waived[:LISTED]],
        "waived_more": max(0, len(waived) - LISTED),
        "owed_contracts": list(owed[:LISTED]),
        "owed_more": max(0, len(owed) - LISTED),
        "unattached": [_item(rc) for rc in waiting[:LISTED]],
        "unattached_more": max(0, len(waiting) - LISTED),
        "draft": {
            "version": draft.version,
            "state": draft.state,
            "approved_by": draft.approved_by,
            "approved_at_local": None
            if draft.approved_at is None
            else f"{draft.approved_at.astimezone(zone):%Y-%m-%d %H:%M}",
        },
        "approvers": list(facts.approvers.users),
        "approver_groups": list(facts.approvers.groups),
    }


def owed_contracts(
    store: DigestRecords, *, train: str, changes_by_id: Mapping[str, RecordedChange] | None = None
) -> list[dict[str, Any]]:
    """Tables whose latest expand migration no contract has followed yet, oldest first."""
    history = store.expand_history(train=train)
    if not history:
        return []
    latest: dict[str, ExpandRecord] = {}
    for record in history:
        if record.table and (
            record.table not in latest or record.merged_at >= latest[record.table].merged_at
        ):
            latest[record.table] = record
    contracted: dict[str, datetime] = {}
    known: dict[str, RecordedChange] = dict(changes_by_id or {})
    for sprint in store.list_sprints(train=train):
        for rc in store.changes_for_sprint(train=train, sprint=sprint.name, details=False):
            known.setdefault(rc.change.id, rc)
            for op in rc.classification.migration_ops:
                if op.stage is MigrationStage.CONTRACT and op.table:
                    seen = contracted.get(op.table)
                    if seen is None or rc.change.merged_at > seen:
                        contracted[op.table] = rc.change.merged_at
    owed = [
        record
        for table, record in latest.items()
        if table not in contracted or contracted[table] < record.merged_at
    ]
    owed.sort(key=lambda r: (r.merged_at, r.table))
    return [_owed(record, known.get(record.change_id)) for record in owed]


def _owed(record: ExpandRecord, rc: RecordedChange | None) -> dict[str, Any]:
    change = rc.change if rc is not None else None
    return {
        "table": record.table,
        "column": record.column,
        "since_sprint": record.sprint,
        "merged_on": record.merged_at.astimezone(UTC).date().isoformat(),
        "change_id": record.change_id,
        "title": change.title if change else record.change_id,
        "url": change.url if change else None,
        "source": change.source if change else "",
    }


def days_left(sprint: Sprint, now: datetime) -> int:
    """Whole days left in the sprint at `now`, counting the day in progress; 0 once it ended
    (the only part of the digest's data that moves with the clock)."""
    return max(0, math.ceil((sprint.end - now).total_seconds() / 86400))


def _sprint(sprint: Sprint, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    last = (sprint.end.astimezone(zone) - timedelta(microseconds=1)).date()
    return {
        "name": sprint.name,
        "first_day": sprint.start.astimezone(zone).date().isoformat(),
        "last_day": last.isoformat(),
        "days_left": days_left(sprint, now),
    }


def _item(rc: RecordedChange) -> dict[str, Any]:
    change = rc.change
    return {
        "id": change.id,
        "title": change.title,
        "url": change.url,
        "source": change.source,
        "release_class": rc.classification.release_class.value,
    }


def _waived(rc: RecordedChange) -> dict[str, Any]:
    waiver = rc.classification.waiver
    return {
        **_violation(rc),
        "waiver": None if waiver is None else {"reason": waiver.reason, "by": waiver.by},
    }


def _violation(rc: RecordedChange) -> dict[str, Any]:
    return {
        **_item(rc),
        "message": rc.classification.violation,
        "reasons": list(rc.classification.reasons),
    }
