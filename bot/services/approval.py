"""Deciding on a draft version from Slack: who may, taking the decision once, and what follows.

Who may decide: the train's `approvers`, or members of its `approver_groups` as Slack lists them
(`usergroups.users.list`); when a group cannot be read the answer is no. A decision is a
compare-and-set in the store on (newest version, still pending): double clicks, replays and
replicas make one transition, and every other click is told who decided what and when. After an
approval the Jira comment and label are written through the ledger (a later click on the same
version finishes them if an earlier run stopped), then the message is updated in place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import BotError
from bot.ports import ChatNotifier, Clock, Drafts, PostedMessage, StoredDraft, Ticket
from bot.services.approved_notes import ApprovedNotesWriter, Approver, build_approved_comment
from bot.services.drafts import (
    DraftComposer,
    DraftRef,
    DraftService,
    plain_notes,
    update,
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person who clicked is told (ephemerally); `changed` when the click decided."""

    text: str
    changed: bool = False


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
        store: Drafts,
        chat: ChatNotifier,
        drafts: DraftService,
        composer: DraftComposer,
        clock: Clock,
        tz: ZoneInfo,
        counts_for: Callable[[str], Mapping[str, int]],
        ticket_for: Callable[[str], Ticket | None],
        jira: ApprovedNotesWriter | None,
    ) -> None:
        self._train = train
        self._approvers = approvers
        self._store = store
        self._chat = chat
        self._drafts = drafts
        self._composer = composer
        self._clock = clock
        self._tz = tz
        self._counts_for = counts_for
        self._ticket_for = ticket_for
        self._jira = jira

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
        """Approve the version: once, then Jira, then the message in place."""
        problem = self._check(ref, approver.user_id)
        if problem is not None:
            return problem
        approver = self._named(approver)
        now = self._clock.now()
        won, current = self._store.decide_draft(
            train=ref.train,
            sprint=ref.sprint,
            version=ref.version,
            decision="approved",
            user=approver.user_id,
            at=now,
            note=approver.name,
        )
        if not won:
            if current.state == "approved" and current.version == ref.version:
                self._follow_up(current, approver=None)
            return Answer(self._taken(current, ref))
        note = self._follow_up(current, approver=approver)
        return Answer(f"You approved version {ref.version}.{note}", changed=True)

    def _named(self, approver: Approver) -> Approver:
        """The approver with the name Slack shows for them (the click's name if unreadable)."""
        try:
            name = self._chat.display_name(user=approver.user_id)
        except BotError:
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
        self._refresh(current)
        return Answer(f"Version {ref.version} went back for changes.", changed=True)

    def edit(self, ref: DraftRef, *, user: str, text: str) -> Answer:
        """Store `text` as a new version edited by `user` and post it for approval."""
        problem = self._check(ref, user, deciding=False)
        if problem is not None:
            return problem
        if not text.strip():
            return Answer("The edited notes are empty; nothing was posted.")
        outcome = self._drafts.post_edit(
            sprint=ref.sprint, text=text, user=user, counts=self._counts_for(ref.sprint)
        )
        return Answer(f"Posted your edit as version {outcome.version} for approval.", changed=True)

    def editable_text(self, ref: DraftRef, user: str) -> tuple[str | None, str | None]:
        """(the version's text to edit, None) or (None, why not)."""
        problem = self._check(ref, user, deciding=False)
        if problem is not None:
            return None, problem.text
        draft = self._store.get_draft(train=ref.train, sprint=ref.sprint, version=ref.version)
        assert draft is not None  # noqa: S101 - _check found it
        return plain_notes(draft.content, draft.fmt), None

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

    def _follow_up(self, draft: StoredDraft, *, approver: Approver | None) -> str:
        """Jira (comment and label) for an approved version, then the message; a note on failure."""
        ticket = self._ticket_for(draft.sprint)
        note = ""
        if self._jira is not None and ticket is not None and draft.decided_at is not None:
            who = approver or Approver(
                user_id=draft.decided_by or "", name=draft.decision_note or ""
            )
            body = build_approved_comment(
                draft,
                approver=who,
                at=draft.decided_at,
                tz=self._tz,
                notes=plain_notes(draft.content, draft.fmt),
            )
            try:
                self._jira.write(ticket, draft, body)
            except BotError as exc:
                note = f" The Jira ticket could not be updated yet ({exc}); a later click retries."
        elif self._jira is not None:
            note = " No Release Train ticket is known for this sprint, so Jira was not updated."
        self._refresh(draft, ticket=ticket)
        return note

    def _refresh(self, draft: StoredDraft, *, ticket: Ticket | None = None) -> None:
        if not (draft.posted_channel and draft.posted_ts):
            return
        card = self._drafts.card(
            draft,
            self._counts_for(draft.sprint),
            decided_by=draft.decided_by,
            decided_at=self._when(draft.decided_at),
            reason=draft.decision_note if draft.state == "changes_requested" else None,
            ticket=ticket,
        )
        where = PostedMessage(channel=draft.posted_channel, ts=draft.posted_ts)
        update(self._chat, where, self._composer.draft_message(card))

    def _when(self, at: datetime | None) -> str:
        if at is None:
            return "an unknown time"
        return f"{at.astimezone(self._tz):%Y-%m-%d %H:%M} {self._tz.key}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def approvers_of(users: Sequence[str], groups: Sequence[str]) -> TrainApprovers:
    """The approvers of a train from its settings."""
    return TrainApprovers(users=tuple(users), groups=tuple(groups))
