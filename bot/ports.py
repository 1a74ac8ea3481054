"""The seams between the services and the world: each a typing.Protocol an adapter implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.domain.document import Document
from bot.domain.model import (
    DraftState,
    ExpandRecord,
    RecordedChange,
    SourceBatch,
    Sprint,
)


class Clock(Protocol):
    """Where the current time comes from (timezone-aware UTC)."""

    def now(self) -> datetime: ...


class ChangeSource(Protocol):
    """A repository whose trunk merges are gathered."""

    @property
    def name(self) -> str: ...

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        """Changes merged into the trunk after `cursor` (or, without one, since `since`).

        Returns them oldest first with the cursor to store once they are recorded. Raises
        SourceError (naming the source) when the repository or branch cannot be read.
        """
        ...


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One external write, keyed by its idempotency key."""

    key: str
    service: str
    operation: str
    state: str  # pending | done | failed
    request: Mapping[str, Any]
    result: Mapping[str, Any] | None
    attempts: int
    # From ledger_claim only: this caller holds the pending write and may send it now.
    held: bool = False


@dataclass(frozen=True, slots=True)
class OwedWrite:
    """A write that a state change makes owed, recorded as pending in the ledger together with
    that change (in one transaction), so it is finished later even if the process stops."""

    key: str
    service: str
    operation: str
    request: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SyncRun:
    """One recorded sync."""

    id: int
    train: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | ok | failed | interrupted (its process stopped before it finished)
    counts: Mapping[str, int]
    error: str | None


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """One version of a sprint's release notes, with where it was posted and how it was decided."""

    train: str
    sprint: str
    version: int
    content: str
    content_hash: str
    state: str  # pending | approved | changes_requested | superseded
    created_by: str | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    fmt: str = "text"  # how `content` is written, as the caller named it ("text" if not named)
    edited: bool = False  # written by a person (created_by) rather than rendered
    posted_channel: str | None = None
    posted_ts: str | None = None
    decision_note: str | None = None  # what the decider said: a reason, or their name


@dataclass(frozen=True, slots=True)
class JobClaim:
    """Who runs one fire time of a scheduled job, until when, and how it ended."""

    job: str
    fire_time: datetime
    holder: str
    claimed_at: datetime
    lease_until: datetime
    attempts: int  # 1, plus one per takeover of an expired lease
    finished_at: datetime | None
    outcome: str | None


class ChangeLog(Protocol):
    """The changes gathered from each source, with the cursor each source is read from."""

    def get_cursor(self, *, train: str, source: str) -> str | None: ...

    def record_batch(
        self,
        *,
        train: str,
        source: str,
        cursor: str | None,
        changes: Sequence[RecordedChange],
        run_id: int | None,
    ) -> list[str]:
        """Insert the changes not yet recorded and move the cursor, in one transaction.

        Returns the ids that were newly inserted (a change already recorded is left as is).
        """
        ...

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]:
        """Every recorded change of one sprint, oldest merge first.

        With `details=False` (a lean read, for notes and reports) the changes' `files`,
        `messages`, `commits` and `trailers` are empty and their `body` is "": those are not
        even read. Everything else, the classification included, is as recorded.
        """
        ...

    def class_counts(self, *, train: str, sprint: str) -> dict[str, int]:
        """The sprint's changes counted by release class, every class present (one query)."""
        ...

    def change_ids_for_commits(self, *, train: str, shas: Sequence[str]) -> dict[str, str]:
        """Map commit shas (full) to the id of the recorded change that brought them."""
        ...

    def get_change(self, *, train: str, change_id: str) -> RecordedChange | None:
        """One recorded change with its details (what `explain` shows)."""
        ...

    def find_change_ids(
        self,
        *,
        train: str,
        exact: str,
        sha_prefix: str | None = None,
        number: int | None = None,
        limit: int = 10,
    ) -> list[str]:
        """Ids of the recorded changes whose id or URL is `exact`, whose trunk commit or any of
        whose commits starts with `sha_prefix` (lowercase hex), or whose PR/MR number is
        `number`; oldest merge first, at most `limit` (a scan: for one-off lookups)."""
        ...

    def set_revert_pair(self, *, train: str, revert_id: str, reverted_id: str) -> None: ...

    def expand_history(self, *, train: str) -> list[ExpandRecord]:
        """Every recorded expand-stage migration op of the train, oldest first."""
        ...

    def mark_attached(self, *, train: str, change_id: str, attached: bool) -> None: ...


class WriteLedger(Protocol):
    """The ledger of external writes: each claimed under its idempotency key before it is sent."""

    def ledger_claim(
        self, *, key: str, service: str, operation: str, request: Mapping[str, Any]
    ) -> LedgerEntry:
        """Claim a write before sending it: returns its entry, `held` when the caller may send it.

        A new key is recorded as pending and held. A pending entry is held again (another
        attempt counted) by the store that holds it, or when its holder is gone: lease expired,
        process ended, store closed. While another live process holds it, or another thread
        of the same store is sending it, `held` is False: the caller must not send it (that
        sender's outcome is read back later). A done or failed entry is returned as it is, not
        held. Of processes or threads racing, one holds it.
        """
        ...

    def ledger_complete(self, *, key: str, result: Mapping[str, Any]) -> None: ...

    def ledger_fail(self, *, key: str, error: str) -> None: ...

    def ledger_release(self, *, key: str) -> None:
        """Let go of a held pending write without an outcome (it failed in a way worth trying
        again): anyone may claim it at once, and that claim counts another attempt."""
        ...

    def ledger_get(self, *, key: str) -> LedgerEntry | None: ...

    def ledger_entries(self, *, prefix: str) -> list[LedgerEntry]:
        """Every entry whose key starts with `prefix` (exactly, case included), oldest first."""
        ...


class Sprints(Protocol):
    """A train's sprints as last seen, and the Release Train ticket remembered for each."""

    def save_sprint(self, *, train: str, sprint: Sprint) -> None:
        """Insert or update the sprint's window; its remembered ticket is kept."""
        ...

    def list_sprints(self, *, train: str) -> list[Sprint]:
        """Every saved sprint of the train, earliest start first."""
        ...

    def get_ticket_key(self, *, train: str, sprint: Sprint) -> str | None:
        """The ticket remembered for the sprint (matched by Jira id when it has one, else name)."""
        ...

    def ticket_key_named(self, *, train: str, sprint: str) -> str | None:
        """The ticket remembered for the sprint of that name (one query)."""
        ...

    def set_ticket_key(self, *, train: str, sprint: Sprint, key: str) -> None:
        """Remember the sprint's ticket (saving the sprint too when it is not saved yet)."""
        ...


class SyncRuns(Protocol):
    """The history of syncs: each recorded as running when it starts, then how it ended."""

    def start_run(self, *, train: str, started_at: datetime) -> int:
        """Record a sync as running; returns its id.

        The train's runs left running by a process that stopped become `interrupted` first:
        those whose holder is known to be gone, or that started hours before `started_at`.
        """
        ...

    def finish_run(
        self,
        *,
        run_id: int,
        finished_at: datetime,
        status: str,
        counts: Mapping[str, int],
        error: str | None,
    ) -> None: ...

    def last_runs(self, *, train: str, limit: int) -> list[SyncRun]:
        """The train's most recent syncs, newest first."""
        ...


class Drafts(Protocol):
    """Versions of a sprint's release notes and the decisions taken on them (the audit trail).

    Versions count from 1 per (train, sprint). Only the sprint's newest version, and only
    while it is `pending`, can be decided; older pending ones become `superseded` when the
    caller retires them (after posting the newer one).
    """

    def add_draft(
        self,
        *,
        train: str,
        sprint: str,
        content: str,
        created_by: str | None,
        created_at: datetime,
        fmt: str = "text",
        edited: bool = False,
    ) -> StoredDraft:
        """Store a new version, numbered after the newest; unchanged content stores nothing.

        When the newest version holds the same content (by hash), that version is returned as
        it is: its `posted_ts` tells whether it still has to be posted. Writers racing on one
        sprint each get a distinct number (or the same version, for the same content).
        """
        ...

    def get_draft(self, *, train: str, sprint: str, version: int) -> StoredDraft | None: ...

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None: ...

    def list_drafts(self, *, train: str, sprint: str) -> list[StoredDraft]:
        """Every version of the sprint's notes, oldest first."""
        ...

    def set_draft_posted(
        self, *, train: str, sprint: str, version: int, channel: str, ts: str
    ) -> None:
        """Remember where the version's message is (channel id and message ts)."""
        ...

    def supersede_drafts(self, *, train: str, sprint: str, below: int) -> list[StoredDraft]:
        """Turn the pending versions numbered below `below` into `superseded`.

        Returns the versions this call changed (as they are now), oldest first: when replicas
        race, each version is returned to exactly one of them, so one updates its message.
        """
        ...

    def decide_draft(
        self,
        *,
        train: str,
        sprint: str,
        version: int,
        decision: str,
        user: str,
        at: datetime,
        note: str | None,
        owed: OwedWrite | None = None,
    ) -> tuple[bool, StoredDraft]:
        """Compare-and-set a decision (`approved` or `changes_requested`) on a pending version.

        Succeeds only for the sprint's newest version while it is pending: returns (True, that
        version decided). Otherwise nothing changes and it returns (False, the sprint's newest
        version as it stands): decided by someone else (`decided_by`, `decided_at`), or newer
        than the version clicked. Five identical clicks at once make one transition. `note`
        (a reason, or the approver's name) is kept on the version and in the decisions trail.
        `owed`, when the decision is taken, is recorded in the write ledger as pending (held by
        this store) in the same transaction. LookupError when the sprint has no version at all.
        """
        ...

    def draft_state(self, *, train: str, sprint: str) -> DraftState:
        """The state of the sprint's newest version (for reports and the summary comment)."""
        ...


class JobClaims(Protocol):
    """Run claims for scheduled jobs: each fire time of a job runs on one `serve` replica.

    A claim is keyed by (job, fire_time) and held by `holder` (unique per process, e.g.
    host:pid:random) until its lease runs out. The holder renews the lease while the job runs
    and finishes the claim when it ends. A claim whose holder died (lease expired, not
    finished) is taken over by the next replica that claims it. Times are the replicas' own
    clocks (UTC): keep them in sync (NTP) and leases far longer than any skew.
    """

    def claim_job(self, *, job: str, fire_time: datetime, holder: str, lease: timedelta) -> bool:
        """Take the run of `job` at `fire_time`; True when this holder may run it now.

        Atomic across processes and replicas: for one fire time exactly one caller wins (a
        unique-key insert, or a conditional update taking over an expired, unfinished claim).
        False when another holder's lease is live or the run already finished. Claiming again
        by the same holder while unfinished is True and extends the lease.
        """
        ...

    def renew_job(self, *, job: str, fire_time: datetime, holder: str, lease: timedelta) -> bool:
        """Extend the holder's lease to now + `lease`; False when the claim is no longer its own
        (taken over after it expired, or finished): the job should then stop."""
        ...

    def finish_job(self, *, job: str, fire_time: datetime, holder: str, outcome: str) -> bool:
        """Record the run as finished with `outcome` (e.g. ok, failed); the fire time is never
        run again. False when the claim was not the holder's any more (nothing is changed)."""
        ...

    def get_job_claim(self, *, job: str, fire_time: datetime) -> JobClaim | None: ...

    def forget_job_claims(self, *, finished_before: datetime) -> int:
        """Delete finished claims of fire times before `finished_before`; returns how many."""
        ...

    def lock_single_process(self, *, name: str) -> bool:
        """Make this process the only one using the store for `name` (e.g. "serve").

        On a SQLite file: an exclusive, non-blocking lock on `<file>.<name>.lock`, held until
        close() or the process ends (the system releases it even after a kill -9); False when
        another process (or another store object) holds it. On PostgreSQL, and on an
        in-memory SQLite store, several processes are safe: always True, nothing is locked.
        """
        ...


class Store(ChangeLog, WriteLedger, Sprints, SyncRuns, Drafts, JobClaims, Protocol):
    """The whole durable state: every role above, plus the schema's upkeep and closing."""

    def prepare(self, *, auto_upgrade: bool) -> None:
        """Create or upgrade the schema (auto_upgrade) or check it is current; refuse newer."""
        ...

    def upgrade(self) -> str:
        """Apply pending migrations; returns the revision now in place."""
        ...

    def schema_state(self) -> str:
        """`fresh`, `current`, `old` or `newer`; looks without creating or changing anything."""
        ...

    def close(self) -> None: ...


class Renderer(Protocol):
    """Turns release-notes data into text for one target format."""

    def render_notes(self, *, context: Mapping[str, Any], fmt: str) -> str: ...

    def render_template(self, *, name: str, context: Mapping[str, Any]) -> str:
        """Any template by its file name (`digest.slack.j2`), with the same filters."""
        ...

    def check_templates(self) -> list[str]:
        """Render every template with sample data; returns the problems found."""
        ...


class SprintCalendar(Protocol):
    """Where a train's sprint windows come from (a fixed cadence, or a Jira board)."""

    def sprint_for(self, when: datetime) -> Sprint | None:
        """The sprint whose window holds `when`, or None when no sprint does."""
        ...

    def by_name(self, name: str) -> Sprint | None: ...

    def current(self) -> Sprint | None:
        """The sprint holding now (None when none does)."""
        ...

    def may_place_later(self, when: datetime) -> bool:
        """Whether a time no sprint holds yet may still be claimed by a sprint to come."""
        ...

    def open_since(self) -> datetime:
        """Where changes not yet recorded begin by default: the current sprint's start."""
        ...

    @property
    def notices(self) -> list[str]:
        """What people should know about the sprints (e.g. a board without an active sprint)."""
        ...


@dataclass(frozen=True, slots=True)
class Ticket:
    """A Jira issue the bot reads or writes."""

    key: str
    url: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteLink:
    """A remote link on a ticket, identified by its globalId."""

    global_id: str
    url: str
    title: str
    summary: str | None = None
    icon_url: str | None = None
    resolved: bool | None = None


@dataclass(frozen=True, slots=True)
class TrackerComment:
    """A comment on a ticket; `text` is its plain text (enough to find the bot's markers)."""

    id: str
    text: str


class IssueTracker(Protocol):
    """Jira, as the Release Train ticket's home. Every write is a single request; callers
    record it in the ledger first and reconcile (read back) before retrying it."""

    def server_check(self) -> str:
        """Authenticate and describe the server in one line (for `check --online`)."""
        ...

    def board_sprints(self, *, board_id: int, states: Sequence[str]) -> list[Sprint]:
        """The board's sprints in the given states (active, closed, future)."""
        ...

    def search_tickets(self, *, jql: str, limit: int) -> list[Ticket]: ...

    def get_ticket(self, *, key: str) -> Ticket:
        """The ticket; TicketNotFoundError when it is missing or cannot be seen."""
        ...

    def create_ticket(
        self,
        *,
        project: str,
        issue_type: str,
        summary: str,
        labels: Sequence[str],
        description: Document | None,
    ) -> Ticket: ...

    def add_to_sprint(self, *, sprint_id: str, keys: Sequence[str]) -> None: ...

    def remote_links(self, *, key: str) -> dict[str, RemoteLink]:
        """Every remote link of the ticket that has a globalId, by globalId."""
        ...

    def put_remote_link(self, *, key: str, link: RemoteLink) -> None:
        """Create or replace (upsert by globalId) one remote link, sending the full object."""
        ...

    def linked_issue_keys(self, *, key: str) -> set[str]: ...

    def link_issues(self, *, key: str, other: str, link_type: str) -> None: ...

    def comments(self, *, key: str) -> list[TrackerComment]: ...

    def add_comment(self, *, key: str, body: Document) -> TrackerComment: ...

    def update_comment(self, *, key: str, comment_id: str, body: Document) -> None: ...

    def add_label(self, *, key: str, label: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """Where a chat message lives: its channel's id and its timestamp (Slack's message id)."""

    channel: str
    ts: str


@dataclass(frozen=True, slots=True)
class MessageMark:
    """An invisible mark carried by a posted message (Slack message metadata), so the message
    can be found again after a crash between posting it and storing where it went."""

    event_type: str  # e.g. "release_train_draft"
    payload: Mapping[str, str | int | bool]  # e.g. {"train": ..., "sprint": ..., "version": 3}


class ChatNotifier(Protocol):
    """Slack, as the bot speaks in it. `blocks` are Block Kit JSON objects; every `text` is the
    fallback shown in notifications (callers escape untrusted text in both). Failures raise
    ServiceError (AuthError for the token or a missing scope, RateLimitedError past the wait
    budget); a write whose answer was lost raises WriteOutcomeUnknownError and is never resent.
    """

    def check(self) -> str:
        """Authenticate (auth.test) and describe the workspace and bot in one line."""
        ...

    def bot_in_channel(self, *, channel: str) -> bool:
        """Whether the bot is a member of the channel (an id); ServiceError if it is unknown."""
        ...

    def display_name(self, *, user: str) -> str:
        """The name Slack shows for a user (users.info: display name, else real name)."""
        ...

    def group_members(self, *, group: str) -> frozenset[str]:
        """The user ids in a user group; raises when they cannot be read (callers fail closed)."""
        ...

    def post_message(
        self,
        *,
        channel: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        mark: MessageMark | None = None,
        thread_ts: str | None = None,
    ) -> PostedMessage:
        """Post once (never retried after a lost answer: look with find_message first)."""
        ...

    def find_message(
        self,
        *,
        channel: str,
        mark: MessageMark,
        since: datetime | None = None,
        max_pages: int = 5,
    ) -> PostedMessage | None:
        """The newest message this bot posted in the channel (an id) whose mark has the same
        event type and holds every key of `mark.payload` with the same value; reads at most
        `max_pages` pages of history (newest first), back to `since` when given."""
        ...

    def update_message(
        self,
        *,
        message: PostedMessage,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        mark: MessageMark | None = None,
    ) -> None:
        """Replace a posted message's text and blocks (and its mark, when given)."""
        ...

    def post_ephemeral(
        self, *, channel: str, user: str, text: str, blocks: Sequence[Mapping[str, Any]] = ()
    ) -> None:
        """A message only `user` sees in the channel."""
        ...

    def open_view(self, *, trigger_id: str, view: Mapping[str, Any]) -> str:
        """Open a modal for an interaction's trigger_id (usable once, within 3 s); its view id."""
        ...

    def publish_home(self, *, user: str, view: Mapping[str, Any]) -> None:
        """Publish the user's App Home tab (a view of type home)."""
        ...

    def respond(
        self,
        *,
        response_url: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] = (),
        replace_original: bool = False,
        in_channel: bool = False,
    ) -> None:
        """Answer a slash command or a click through its response_url (ephemeral by default;
        `replace_original` edits the message a button was clicked in)."""
        ...
