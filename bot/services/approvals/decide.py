"""Deciding on a draft version from Slack: who may, taking the decision once, and what follows.

Who may decide: the train's `approvers`, or members of its `approver_groups` as Slack lists them
(`usergroups.users.list`); when a group cannot be read the answer is no. A decision is a
compare-and-set in the store on (newest version, still pending): double clicks, replays and
replicas make one transition, and every other click is told who decided what and when. Only the
click that took the decision goes on: the message shows the decision at once, then the Jira
comment and label are written through the ledger (`ApprovalFollowUps`), and the message says
whether Jira is done or what the next sync still has to do there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.errors import BotError
from bot.ports.chat import ChatNotifier
from bot.ports.clock import Clock
from bot.ports.store import ChangeLog, Drafts, StoredDraft
from bot.services.approvals.drafts import (
    DraftMessages,
    DraftRef,
    DraftService,
    plain_notes,
    when_text,
)
from bot.services.approvals.follow_up import ApprovalFollowUps, Approver, owed_follow_up

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person who clicked is told (ephemerally); `changed` when the click decided."""

    text: str
    changed: bool = False
    decision: str | None = None  # the decision this click took (`approved`, `changes_requested`)


@dataclass(frozen=True, slots=True)
class TrainApprovers:
    """Who may decide on a train's drafts."""

    users: tuple[str, ...]
    groups: tuple[str, ...]


class ApprovalService:
    """Approves, sends back and checks permission for one train's draft versions."""

    def __init__(
        self,
        *,
        train: str,
        approvers: TrainApprovers,
        store: _ApprovalStore,
        chat: ChatNotifier,
        drafts: DraftService,
        messages: DraftMessages,
        follow_ups: ApprovalFollowUps,
        clock: Clock,
        tz: ZoneInfo,
    ) -> None:
        self._train = train
        self._approvers = approvers
        self._store = store
        self._chat = chat
        self._drafts = drafts
        self._messages = messages
        self._follow_ups = follow_ups
        self._clock = clock
        self._tz = tz

    def refusal(self, user: str) -> str | None:
        """Why `user` may not decide, or None when they may (groups read only when needed)."""
        if user in self._approvers.users:
            return None
        for group in self._approvers.groups:
            try:
                members = self._chat.group_members(group=group)
            except BotError:
                return (
                    "Approver group membership could not be read from Slack, so nobody outside "
                    "the train's approvers may decide right now."
                )
            if user in members:
                return None
        return f"Only the approvers of train {self._train} may decide on its release notes."

    def approve(self, ref: DraftRef, approver: Approver) -> Answer:
        """Approve the version once; only the click that did goes on to Jira and the message."""
        problem = self._check(ref, approver.user_id)
        if problem is not None:
            return problem
        approver = self._named(approver)
        won, current = self._store.decide_draft(
            train=ref.train,
            sprint=ref.sprint,
            version=ref.version,
            decision="approved",
            user=approver.user_id,
            at=self._clock.now(),
            note=approver.name,
            owed=owed_follow_up(ref.train, ref.sprint, ref.version),
        )
        if not won:
            return Answer(self._taken(current, ref))
        follow_ups = self._follow_ups
        ticket = follow_ups.ticket(current.sprint)
        if follow_ups.writes_jira:
            # The decision is stored: show it now, while Jira is being written.
            writing = f"writing the approved notes to {ticket.key}…" if ticket else None
            self._messages.show(current, ticket=ticket, jira_note=writing)
        outcome = follow_ups.complete(current, approver=approver)
        said = (
            f" The approved notes are on {outcome.ticket.key}."
            if (outcome.done and follow_ups.writes_jira and outcome.ticket)
            else ""
        )
        if outcome.problem and not outcome.done:
            said = f" {outcome.problem[:1].upper()}{outcome.problem[1:]}."
        return Answer(
            f"You approved version {ref.version}.{said}", changed=True, decision="approved"
        )

    def _named(self, approver: Approver) -> Approver:
        """The approver with the name Slack shows for them (the click's name if unreadable)."""
        try:
            name = self._chat.display_name(user=approver.user_id)
        except BotError as exc:
            # Said once per approval: a token without users:read fails here on every one.
            log.warning("the approver's name could not be read from Slack: %s", exc)
            return approver
        return Approver(user_id=approver.user_id, name=name)

    def request_changes(self, ref: DraftRef, *, user: str, reason: str) -> Answer:
        """Send the version back: once, with the reason in the thread and on the message."""
        problem = self._check(ref, user)
        if problem is not None:
            return problem
        won, current = self._store.decide_draft(
            train=ref.train,
            sprint=ref.sprint,
            version=ref.version,
            decision="changes_requested",
            user=user,
            at=self._clock.now(),
            note=reason,
        )
        if not won:
            return Answer(self._taken(current, ref))
        if current.posted_channel and current.posted_ts:
            self._chat.post_message(
                channel=current.posted_channel,
                thread_ts=current.posted_ts,
                text=f"<@{user}> requested changes: {_escape(reason)}",
            )
        self._messages.show(current)
        return Answer(
            f"Version {ref.version} went back for changes.",
            changed=True,
            decision="changes_requested",
        )

    def edit(self, ref: DraftRef, *, user: str, text: str) -> Answer:
        """Store `text` as a new version edited by `user` and post it for approval."""
        problem = self._check(ref, user, deciding=False)
        if problem is not None:
            return problem
        if not text.strip():
            return Answer("The edited notes are empty; nothing was posted.")
        outcome = self._drafts.post_edit(
            sprint=ref.sprint,
            text=text,
            user=user,
            counts=self._store.class_counts(train=self._train, sprint=ref.sprint),
        )
        return Answer(f"Posted your edit as version {outcome.version} for approval.", changed=True)

    def text_of(self, ref: DraftRef) -> str | None:
        """The version's notes as a person edits them (one store read, nobody asked); None when
        the button names no version the bot posted."""
        draft = self._store.get_draft(train=ref.train, sprint=ref.sprint, version=ref.version)
        if draft is None or draft.content_hash != ref.content_hash or ref.train != self._train:
            return None
        return plain_notes(draft.content, draft.fmt)

    def refusal_for(self, ref: DraftRef, user: str) -> str | None:
        """Why `user` may not decide on or edit the version now (not an approver, a version
        superseded or already decided), or None when they may."""
        problem = self._check(ref, user, deciding=False)
        return None if problem is None else problem.text

    def _check(self, ref: DraftRef, user: str, *, deciding: bool = True) -> Answer | None:
        refused = self.refusal(user)
        if refused is not None:
            return Answer(refused)
        if ref.train != self._train:
            return Answer(f"That button belongs to train {ref.train}, not {self._train}.")
        draft = self._store.get_draft(train=ref.train, sprint=ref.sprint, version=ref.version)
        if draft is None or draft.content_hash != ref.content_hash:
            return Answer("That draft version is not known to the bot; nothing changed.")
        latest = self._store.latest_draft(train=ref.train, sprint=ref.sprint)
        if latest is not None and latest.version > ref.version:
            return Answer(f"Version {ref.version} was superseded by version {latest.version}.")
        if not deciding and draft.state != "pending":
            return Answer(self._taken(draft, ref))
        return None

    def _taken(self, current: StoredDraft, ref: DraftRef) -> str:
        if current.version != ref.version:
            return f"Version {ref.version} was superseded by version {current.version}."
        who = f"<@{current.decided_by}>" if current.decided_by else "someone"
        when = self._when(current.decided_at)
        if current.state == "approved":
            return f"Version {ref.version} was already approved by {who} at {when}."
        if current.state == "changes_requested":
            return f"Changes to version {ref.version} were already requested by {who} at {when}."
        return f"Version {ref.version} is {current.state}; nothing changed."

    def _when(self, at: datetime | None) -> str:
        return when_text(at, self._tz)


class _ApprovalStore(Drafts, ChangeLog, Protocol):
    """The store roles approving reads and writes: the drafts, and the sprint's counts."""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def approvers_of(users: Sequence[str], groups: Sequence[str]) -> TrainApprovers:
    """The approvers of a train from its settings."""
    return TrainApprovers(users=tuple(users), groups=tuple(groups))
