"""Posting a sprint's release notes to Slack for approval: once per content, never twice.

A version is stored first (the store numbers it and keeps the same version for the same text),
then claimed in the write ledger, so of two runs at once one posts and the other says the
version is being posted; then posted with Slack message metadata naming train, sprint and
version, and its channel and `ts` are stored. A stop between the post and storing its `ts` is
healed on the next run: a claim taken again searches the channel's recent history for the
metadata before anything is posted. Costs: one store read when nothing changed; otherwise a
claim and one post (plus a history read after a stop, and one update when an older pending
version's buttons are retired).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.ports.chat import ChatNotifier, MessageMark, PostedMessage
from bot.ports.clock import Clock
from bot.ports.store import ChangeLog, Drafts, StoredDraft, WriteLedger
from bot.ports.tracker import Ticket
from bot.services.notes.render import SprintNotes

FORMAT_SLACK = "slack"  # mrkdwn the bot rendered from its template (already escaped)
FORMAT_TEXT = "text"  # plain text a person typed (escaped when shown)
METADATA_EVENT = "release_train_draft"
_LINK = re.compile(r"<(https?://[^|>]*)\|([^>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


@dataclass(frozen=True, slots=True)
class DraftRef:
    """The draft version a button was posted with: train, sprint, version and content hash."""

    train: str
    sprint: str
    version: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class DraftCard:
    """Everything a draft message shows; the Slack side turns it into Block Kit."""

    ref: DraftRef
    text: str
    fmt: str
    counts: Mapping[str, int]
    state: str = "pending"
    edited_by: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None  # for people, in the train's timezone
    reason: str | None = None
    ticket: Ticket | None = None
    superseded_by: int | None = None
    jira_note: str | None = None  # what Jira still owes an approval (None: nothing)


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message to post or an update: fallback text, Block Kit blocks, an optional mark."""

    text: str
    blocks: tuple[Mapping[str, Any], ...] = ()
    mark: MessageMark | None = None


class DraftComposer(Protocol):
    """Builds the draft message (Block Kit) from a card."""

    def draft_message(self, card: DraftCard) -> ChatMessage: ...


@dataclass(slots=True)
class DraftOutcome:
    """What one `draft` run did."""

    version: int
    posted: bool
    reason: str  # one sentence for people
    message: PostedMessage | None = None
    superseded: list[int] = field(default_factory=list)


def plain_notes(content: str, fmt: str) -> str:
    """A version's text for people to read or edit: rendered mrkdwn loses its link syntax
    (`text (url)`) and entities; a person's text is as they typed it."""
    if fmt != FORMAT_SLACK:
        return content
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", content)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def ref_of(draft: StoredDraft) -> DraftRef:
    """The button reference of a stored version."""
    return DraftRef(
        train=draft.train,
        sprint=draft.sprint,
        version=draft.version,
        content_hash=draft.content_hash,
    )


def mark_of(ref: DraftRef) -> MessageMark:
    """The mark (Slack message metadata) of a posted version, so it is found, not re-posted."""
    return MessageMark(
        event_type=METADATA_EVENT,
        payload={"train": ref.train, "sprint": ref.sprint, "version": ref.version},
    )


def card_of(draft: StoredDraft, counts: Mapping[str, int], **extra: Any) -> DraftCard:
    """The card of a stored version, for its message."""
    return DraftCard(
        ref=ref_of(draft),
        text=draft.content,
        fmt=draft.fmt,
        counts=dict(counts),
        state=draft.state,
        edited_by=draft.created_by if draft.edited else None,
        **extra,
    )


def when_text(at: datetime | None, tz: ZoneInfo) -> str:
    """A decision's time for people, in the train's timezone."""
    if at is None:
        return "an unknown time"
    return f"{at.astimezone(tz):%Y-%m-%d %H:%M} {tz.key}"


class DraftMessages:
    """Shows a stored version's state on its posted message, in place: the buttons while it is
    pending; else who decided and when, the reason, the ticket, and what Jira still owes."""

    def __init__(
        self, *, chat: ChatNotifier, composer: DraftComposer, changes: ChangeLog, tz: ZoneInfo
    ) -> None:
        self._chat = chat
        self._composer = composer
        self._changes = changes
        self._tz = tz

    def show(
        self,
        draft: StoredDraft,
        *,
        ticket: Ticket | None = None,
        jira_note: str | None = None,
        superseded_by: int | None = None,
    ) -> None:
        """Update the version's message (nothing when it was never posted)."""
        if not (draft.posted_channel and draft.posted_ts):
            return
        counts = self._changes.class_counts(train=draft.train, sprint=draft.sprint)
        card = card_of(
            draft,
            counts,
            decided_by=draft.decided_by,
            decided_at=when_text(draft.decided_at, self._tz) if draft.decided_at else None,
            reason=draft.decision_note if draft.state == "changes_requested" else None,
            ticket=ticket,
            superseded_by=superseded_by,
            jira_note=jira_note,
        )
        where = PostedMessage(channel=draft.posted_channel, ts=draft.posted_ts)
        update(self._chat, where, self._composer.draft_message(card))

    def show_decision(self, draft: StoredDraft, ticket: Ticket | None, note: str | None) -> None:
        """The decided version's message, with what Jira still owes (the follow-ups' hook)."""
        self.show(draft, ticket=ticket, jira_note=note)


def post(chat: ChatNotifier, channel: str, message: ChatMessage) -> PostedMessage:
    """Post a composed message."""
    return chat.post_message(
        channel=channel, text=message.text, blocks=message.blocks, mark=message.mark
    )


def update(chat: ChatNotifier, where: PostedMessage, message: ChatMessage) -> None:
    """Replace a posted message with a composed one."""
    chat.update_message(message=where, text=message.text, blocks=message.blocks, mark=message.mark)


class _DraftStore(Drafts, WriteLedger, Protocol):
    """The store roles posting drafts uses: the versions, and the claim on each post."""


class DraftService:
    """Posts one train's draft versions to its Slack channel, each exactly once."""

    def __init__(
        self,
        *,
        train: str,
        channel: str,
        store: _DraftStore,
        chat: ChatNotifier,
        composer: DraftComposer,
        clock: Clock,
        notes: SprintNotes,
    ) -> None:
        self._train = train
        self._channel = channel
        self._store = store
        self._chat = chat
        self._composer = composer
        self._clock = clock
        self._notes = notes

    def post_current(self) -> DraftOutcome:
        """Render the current sprint's notes for Slack and post them when they changed."""
        sprint, notes, counts = self._notes.current_for_slack()
        return self.post_notes(sprint=sprint, notes=notes, counts=counts)

    def post_notes(self, *, sprint: str, notes: str, counts: Mapping[str, int]) -> DraftOutcome:
        """Post the rendered notes as a new version when they changed since the last rendering.

        An edited version does not count as a change of the rendered notes: after an edit, the
        same rendering posts nothing; a rendering that differs (new changes) posts again.
        """
        versions = self._store.list_drafts(train=self._train, sprint=sprint)
        rendered = [d for d in versions if d.fmt == FORMAT_SLACK]
        if rendered and rendered[-1].content == notes:
            return self._publish(versions[-1], counts, unchanged=True)
        draft = self._store.add_draft(
            train=self._train,
            sprint=sprint,
            content=notes,
            fmt=FORMAT_SLACK,
            created_by=None,
            created_at=self._clock.now(),
        )
        return self._publish(draft, counts, unchanged=False)

    def post_edit(
        self, *, sprint: str, text: str, user: str, counts: Mapping[str, int]
    ) -> DraftOutcome:
        """Store a person's text as a new version (marked edited by them) and post it."""
        draft = self._store.add_draft(
            train=self._train,
            sprint=sprint,
            content=text,
            fmt=FORMAT_TEXT,
            edited=True,
            created_by=user,
            created_at=self._clock.now(),
        )
        return self._publish(draft, counts, unchanged=False)

    def _publish(
        self, draft: StoredDraft, counts: Mapping[str, int], *, unchanged: bool
    ) -> DraftOutcome:
        if draft.posted_ts is not None:
            return self._not_posted(draft, unchanged=unchanged)
        key = f"slack:{self._train}:draft:{draft.sprint}:v{draft.version}"
        entry = self._store.ledger_claim(
            key=key,
            service="slack",
            operation="post-draft",
            request={"sprint": draft.sprint, "version": draft.version},
        )
        if not entry.held:
            if entry.state == "pending":
                reason = f"version {draft.version} is being posted by another run; nothing posted"
                return DraftOutcome(draft.version, False, reason)
            return self._not_posted(draft, unchanged=unchanged)
        try:
            found = self._posted_before(draft) if entry.attempts > 1 else None
            if found is not None:
                self._store.ledger_complete(key=key, result={"ts": found.ts})
                return DraftOutcome(
                    draft.version,
                    False,
                    f"version {draft.version} was already in the channel",
                    found,
                )
            posted = post(
                self._chat, self._channel, self._composer.draft_message(card_of(draft, counts))
            )
            self._store.set_draft_posted(
                train=self._train,
                sprint=draft.sprint,
                version=draft.version,
                channel=posted.channel,
                ts=posted.ts,
            )
        except BaseException:
            self._store.ledger_release(key=key)
            raise
        self._store.ledger_complete(key=key, result={"ts": posted.ts})
        retired = self._retire_older(draft, counts)
        return DraftOutcome(
            draft.version, True, f"posted version {draft.version} for approval", posted, retired
        )

    def _not_posted(self, draft: StoredDraft, *, unchanged: bool) -> DraftOutcome:
        reason = "the notes did not change" if unchanged else "it was already posted"
        return DraftOutcome(
            draft.version, False, f"version {draft.version}: {reason}; nothing posted"
        )

    def _posted_before(self, draft: StoredDraft) -> PostedMessage | None:
        """The version's message, posted by a run that stopped before storing where (adopted)."""
        found = self._chat.find_message(channel=self._channel, mark=mark_of(ref_of(draft)))
        if found is not None:
            self._store.set_draft_posted(
                train=self._train,
                sprint=draft.sprint,
                version=draft.version,
                channel=found.channel,
                ts=found.ts,
            )
        return found

    def _retire_older(self, draft: StoredDraft, counts: Mapping[str, int]) -> list[int]:
        """Older pending versions are superseded; their buttons give way to a pointer."""
        retired = self._store.supersede_drafts(
            train=self._train, sprint=draft.sprint, below=draft.version
        )
        for old in retired:
            if old.posted_channel and old.posted_ts:
                card = card_of(old, counts, superseded_by=draft.version)
                where = PostedMessage(channel=old.posted_channel, ts=old.posted_ts)
                update(self._chat, where, self._composer.draft_message(card))
        return [old.version for old in retired]
