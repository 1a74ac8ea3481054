"""plan_attach: only the writes that make the ticket show the sprint's changes, each keyed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from bot.domain.document import Document, Heading
from bot.domain.model import Category, Classification, RecordedChange, ReleaseClass
from bot.domain.planner import (
    AddSummary,
    AttachPlan,
    LinkIssue,
    LinkObject,
    PutRemoteLink,
    SummaryState,
    UpdateSummary,
    describe,
    desired_link,
    plan_attach,
    ticket_prefix,
)
from tests.unit.builders import make_change

TICKET = "PAY-1"
PREFIX = ticket_prefix("payments", TICKET)
DOC = Document(blocks=(Heading("Release Train — Sprint 1"),))
HASH = "h1"
CURRENT = SummaryState(comment_id="900", content_hash=HASH, next_number=2)


def _rc(
    n: int,
    *,
    url: str | None = "https://git.example/{n}",
    keys: tuple[str, ...] = (),
    release_class: ReleaseClass = ReleaseClass.CONTINUOUS,
) -> RecordedChange:
    change = make_change(
        id=f"github:acme/api#{n}",
        source="api",
        title=f"Change {n}",
        url=url.format(n=n) if url else None,
    )
    verdict = Classification(
        release_class=release_class, category=Category.FEATURE, reasons=(), jira_keys=keys
    )
    return RecordedChange(change=change, classification=verdict, train="payments", sprint="S1")


def _on_ticket(*changes: RecordedChange) -> dict[str, LinkObject]:
    links = [desired_link(rc) for rc in changes]
    return {link.global_id: link for link in links if link is not None}


def _plan(
    changes: Sequence[RecordedChange],
    *,
    links: Mapping[str, LinkObject] | None = None,
    linked: Sequence[str] = (),
    summary: SummaryState = CURRENT,
    content_hash: str = HASH,
    link_referenced_issues: bool = True,
) -> AttachPlan:
    return plan_attach(
        ticket=TICKET,
        prefix=PREFIX,
        changes=changes,
        links=links if links is not None else {},
        linked=linked,
        summary=summary,
        document=DOC,
        content_hash=content_hash,
        link_referenced_issues=link_referenced_issues,
    )


def test_a_ticket_that_shows_everything_needs_no_write() -> None:
    changes = [_rc(1, keys=("PAY-7",)), _rc(2)]

    plan = _plan(changes, links=_on_ticket(*changes), linked=["PAY-7"])

    assert plan.writes == ()
    assert plan.needs == {changes[0].change.id: (), changes[1].change.id: ()}


def test_a_new_change_gets_exactly_one_remote_link() -> None:
    old, new = _rc(1), _rc(2)

    plan = _plan([old, new], links=_on_ticket(old))

    assert len(plan.writes) == 1
    write = plan.writes[0]
    assert isinstance(write, PutRemoteLink)
    assert write.change_id == new.change.id
    assert write.link == LinkObject(
        global_id="release-train:github:acme/api#2",
        url="https://git.example/2",
        title="[api] Change 2",
        summary="continuous",
    )
    assert write.key.startswith(f"{PREFIX}remote-link:github:acme/api#2:")
    assert plan.needs[new.change.id] == (write.key,)


def test_a_link_that_differs_on_the_ticket_is_written_under_a_new_key() -> None:
    change = _rc(1, release_class=ReleaseClass.NEEDS_FLAG)
    stale = _on_ticket(_rc(1))  # the same link, recorded before its class changed

    first = _plan([_rc(1)]).writes[0]
    plan = _plan([change], links=stale)

    (write,) = plan.writes
    assert isinstance(write, PutRemoteLink) and isinstance(first, PutRemoteLink)
    assert write.link.summary == "needs-flag"
    assert write.key != first.key


def test_a_change_without_a_url_gets_no_link_and_needs_nothing() -> None:
    change = _rc(1, url=None)

    plan = _plan([change])

    assert plan.writes == ()
    assert plan.needs[change.change.id] == ()


def test_a_long_title_is_cut_to_what_jira_keeps() -> None:
    change = _rc(1)
    long = RecordedChange(
        change=make_change(id="x", source="api", title="t" * 400, url="https://x.example"),
        classification=change.classification,
        train="payments",
        sprint="S1",
    )

    link = desired_link(long)

    assert link is not None
    assert len(link.title) == 255
    assert link.title.startswith("[api] ttt") and link.title.endswith("…")


def test_each_named_issue_is_linked_once_and_never_the_ticket_itself() -> None:
    first = _rc(1, keys=("PAY-7", TICKET, "OPS-2"))
    second = _rc(2, keys=("PAY-7",))
    links = _on_ticket(first, second)

    plan = _plan([first, second], links=links)

    assert plan.writes == (
        LinkIssue(
            key=f"{PREFIX}issue-link:PAY-7",
            other="PAY-7",
            change_ids=(first.change.id, second.change.id),
        ),
        LinkIssue(key=f"{PREFIX}issue-link:OPS-2", other="OPS-2", change_ids=(first.change.id,)),
    )
    assert plan.needs[second.change.id] == (f"{PREFIX}issue-link:PAY-7",)


def test_issues_already_linked_or_not_wanted_are_left_alone() -> None:
    change = _rc(1, keys=("PAY-7", "OPS-2"))
    links = _on_ticket(change)

    settled = _plan([change], links=links, linked=["PAY-7", "OPS-2"])
    switched_off = _plan([change], links=links, link_referenced_issues=False)

    assert settled.writes == ()
    assert switched_off.writes == ()


@pytest.mark.parametrize(
    ("state", "content_hash", "expected"),
    [
        (SummaryState(), HASH, AddSummary(key=f"{PREFIX}summary:1", body=DOC, content_hash=HASH)),
        (
            CURRENT,
            "h2",
            UpdateSummary(key=f"{PREFIX}summary:2", comment_id="900", body=DOC, content_hash="h2"),
        ),
        (CURRENT, HASH, None),
        (
            SummaryState(comment_id="900", content_hash=None, next_number=5),
            HASH,
            UpdateSummary(key=f"{PREFIX}summary:5", comment_id="900", body=DOC, content_hash=HASH),
        ),
    ],
    ids=["added-when-none", "updated-when-changed", "left-when-equal", "rewritten-when-unknown"],
)
def test_the_summary_comment_is_added_once_then_updated_in_place(
    state: SummaryState, content_hash: str, expected: AddSummary | UpdateSummary | None
) -> None:
    plan = _plan([], summary=state, content_hash=content_hash)

    assert plan.writes == (() if expected is None else (expected,))


def test_writes_come_as_links_then_issue_links_then_the_summary() -> None:
    change = _rc(1, keys=("PAY-7",))

    plan = _plan([change], summary=SummaryState())

    assert [type(write) for write in plan.writes] == [PutRemoteLink, LinkIssue, AddSummary]


def test_ticket_writes_are_described_for_a_dry_run() -> None:
    plan = _plan([_rc(1, keys=("PAY-7",))], summary=SummaryState())

    lines = [describe(write, ticket=TICKET) for write in plan.writes]

    assert lines == [
        "put remote link release-train:github:acme/api#1 on PAY-1: [api] Change 1",
        "link PAY-1 to PAY-7",
        "add the summary comment to PAY-1",
    ]
