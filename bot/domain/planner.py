"""Plans the writes that put a sprint's changes on its Release Train ticket, as data.

`plan_attach` compares what the ticket should show with what it shows and returns only the
difference, each write with the idempotency key the service records it under in the ledger
before and after sending it. Every key of one train's ticket starts with `ticket_prefix`:

- `remote-link:<change id>:<digest>`: one remote link, globalId `release-train:<change id>`.
  The digest covers the link's url, title and summary, so a link that must change is a new
  write while an unchanged one is never sent again. The remote links read from the ticket are
  the truth (a link removed by hand is put back); the ledger only records the writes.
- `issue-link:<issue key>`: the link from the ticket to an issue a change names. Once done (or
  refused because the issue does not exist) it is not tried again, even if someone removes it.
- `summary:<n>`: the n-th write of the summary comment (its adding, then each update),
  numbered from 1, so content that returns to an earlier state is still written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.domain.bounds import cut_text, utf16_length
from bot.domain.document import Document
from bot.domain.model import RecordedChange

GLOBAL_ID_PREFIX = "release-train:"
# Jira keeps a remote link's title in a 255-character column, counted in UTF-16 units; the
# title is cut here, not by the adapter, so the link read back equals the one planned.
TITLE_LIMIT = 255


@dataclass(frozen=True, slots=True)
class LinkObject:
    """A remote link as the bot writes it: the fields it owns."""

    global_id: str
    url: str
    title: str
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class SummaryState:
    """The summary comment as the ledger knows it; `next_number` numbers the next write."""

    comment_id: str | None = None
    content_hash: str | None = None
    next_number: int = 1


@dataclass(frozen=True, slots=True)
class PutRemoteLink:
    """Create or replace one change's remote link."""

    key: str
    change_id: str
    link: LinkObject


@dataclass(frozen=True, slots=True)
class LinkIssue:
    """Link the ticket to an issue that changes name."""

    key: str
    other: str
    change_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AddSummary:
    """Add the summary comment (the ticket has none yet)."""

    key: str
    body: Document
    content_hash: str


@dataclass(frozen=True, slots=True)
class UpdateSummary:
    """Rewrite the summary comment in place."""

    key: str
    comment_id: str
    body: Document
    content_hash: str


PlannedWrite = PutRemoteLink | LinkIssue | AddSummary | UpdateSummary


@dataclass(frozen=True, slots=True)
class AttachPlan:
    """The writes to make, in order; `needs` maps each change to the writes it waits for."""

    ticket: str
    writes: tuple[PlannedWrite, ...]
    needs: Mapping[str, tuple[str, ...]]


def ticket_prefix(train: str, ticket: str) -> str:
    """The start of every idempotency key of the train's writes to one ticket."""
    return f"jira:{train}:{ticket}:"


def global_id(change_id: str) -> str:
    """The remote link's globalId for a change."""
    return GLOBAL_ID_PREFIX + change_id


def desired_link(change: RecordedChange) -> LinkObject | None:
    """The remote link a change should have on the ticket; None without a URL."""
    url = change.change.url
    if not url:
        return None
    title = cut_text(
        f"[{change.change.source}] {change.change.title}", TITLE_LIMIT, measure=utf16_length
    )
    return LinkObject(
        global_id=global_id(change.change.id),
        url=url,
        title=title,
        summary=change.classification.release_class.value,
    )


def link_key(prefix: str, change_id: str, link: LinkObject) -> str:
    """The idempotency key of writing `link`."""
    material = "\x1f".join((link.global_id, link.url, link.title, link.summary or ""))
    digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]
    return f"{prefix}remote-link:{change_id}:{digest}"


def issue_link_key(prefix: str, other: str) -> str:
    return f"{prefix}issue-link:{other}"


def summary_key(prefix: str, number: int) -> str:
    return f"{prefix}summary:{number}"


def plan_attach(
    *,
    ticket: str,
    prefix: str,
    changes: Sequence[RecordedChange],
    links: Mapping[str, LinkObject],
    linked: Collection[str],
    summary: SummaryState,
    document: Document,
    content_hash: str,
    link_referenced_issues: bool,
) -> AttachPlan:
    """The writes that make the ticket show `changes` and `document`, and nothing else.

    `links` are the remote links on the ticket by globalId, `linked` the issue keys whose link
    is settled (done or refused), `summary` the comment's state and `content_hash` the hash of
    `document`. The order is remote links (merge order), issue links, then the summary.
    """
    needs: dict[str, list[str]] = {rc.change.id: [] for rc in changes}
    writes: list[PlannedWrite] = []
    for rc in changes:
        wanted = desired_link(rc)
        if wanted is None or links.get(wanted.global_id) == wanted:
            continue
        key = link_key(prefix, rc.change.id, wanted)
        writes.append(PutRemoteLink(key=key, change_id=rc.change.id, link=wanted))
        needs[rc.change.id].append(key)
    if link_referenced_issues:
        for other, change_ids in _referenced(changes, ticket=ticket, linked=linked).items():
            key = issue_link_key(prefix, other)
            writes.append(LinkIssue(key=key, other=other, change_ids=change_ids))
            for change_id in change_ids:
                needs[change_id].append(key)
    comment = _summary_write(prefix, summary, document=document, content_hash=content_hash)
    if comment is not None:
        writes.append(comment)
    return AttachPlan(
        ticket=ticket,
        writes=tuple(writes),
        needs={change_id: tuple(keys) for change_id, keys in needs.items()},
    )


def _referenced(
    changes: Sequence[RecordedChange], *, ticket: str, linked: Collection[str]
) -> dict[str, tuple[str, ...]]:
    """Issue keys the changes name that are not linked yet, first named first."""
    by_key: dict[str, list[str]] = {}
    for rc in changes:
        for other in rc.classification.jira_keys:
            if other == ticket or other in linked:
                continue
            ids = by_key.setdefault(other, [])
            if rc.change.id not in ids:
                ids.append(rc.change.id)
    return {other: tuple(ids) for other, ids in by_key.items()}


def _summary_write(
    prefix: str, state: SummaryState, *, document: Document, content_hash: str
) -> AddSummary | UpdateSummary | None:
    key = summary_key(prefix, state.next_number)
    if state.comment_id is None:
        return AddSummary(key=key, body=document, content_hash=content_hash)
    if state.content_hash != content_hash:
        return UpdateSummary(
            key=key, comment_id=state.comment_id, body=document, content_hash=content_hash
        )
    return None


def describe(write: PlannedWrite, *, ticket: str) -> str:
    """One line for people (what a dry run would do)."""
    if isinstance(write, PutRemoteLink):
        return f"put remote link {write.link.global_id} on {ticket}: {write.link.title}"
    if isinstance(write, LinkIssue):
        return f"link {ticket} to {write.other}"
    if isinstance(write, AddSummary):
        return f"add the summary comment to {ticket}"
    return f"update the summary comment {write.comment_id} on {ticket}"
