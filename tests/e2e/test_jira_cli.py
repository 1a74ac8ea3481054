"""`release-train sync` attaching to the Release Train ticket, against the fake Jira over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.services.tickets.summary import SUMMARY_MARKER
from tests.e2e.jira_site import (
    JiraSite,
    build_site,
    link_posts,
    link_reads,
    links_by_global_id,
    serve,
    writes,
)
from tests.fakes.jira import FakeJira

HOSTILE = "[~accountid:x] !http://evil.test/a.png! {code}"
# 250 added lines under web/ without a flag: a needs-flag violation, named in the summary.
BIG_UI_CHANGE = {"web/page.tsx": "line\n" * 250}


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    yield from serve(request.param)


@pytest.fixture
def site(tmp_path: Path, fake: FakeJira) -> JiraSite:
    return build_site(tmp_path, fake)


def changes_counted(text: str) -> int:
    """The count on the summary comment's "Changes:" line (plain text or wiki markup)."""
    found = re.search(r"Changes:\*? (\d+)", text)
    assert found is not None, text
    return int(found.group(1))


def first_sync(site: JiraSite) -> dict[str, Any]:
    result = site.sync("--json")
    assert result.code == 0, result.err
    report: dict[str, Any] = result.json()
    assert report["ticket"] is not None
    return report


def test_the_first_sync_creates_the_ticket_in_the_active_sprint_and_links_each_change(
    site: JiraSite,
) -> None:
    refunds = site.merge("Add refund reason", minutes=5)

    report = first_sync(site)

    key = report["ticket"]["key"]
    assert report["ticket"]["url"] == f"{site.fake.base_url}/browse/{key}"
    ticket = site.fake.issue(key)
    [sprint] = ticket.sprint_ids
    assert ticket.summary == "Release Train: Sprint 7"
    assert "release-train" in ticket.labels
    assert report["sprint"]["name"] == "Sprint 7"
    assert [c["attached"] for c in report["changes"]] == [True, True]
    assert refunds in [c["id"] for c in report["changes"]]
    links = links_by_global_id(site.fake, key)
    assert {
        gid: (link["object"]["title"], link["object"]["url"]) for gid, link in links.items()
    } == {f"release-train:{c['id']}": (f"[api] {c['title']}", c["url"]) for c in report["changes"]}
    [comment] = site.fake.comments(key)
    assert SUMMARY_MARKER in comment.text
    assert changes_counted(comment.text) == 2
    assert sprint == site.sprint


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_a_dry_run_says_it_would_create_the_ticket_and_writes_nothing(site: JiraSite) -> None:
    result = site.sync("--dry-run")

    assert result.code == 0, result.err
    assert "note: would create the Release Train ticket for 'Sprint 7'" in result.out
    assert "ticket: none yet" in result.out
    assert site.fake.writes == []


def test_a_rerun_with_nothing_new_writes_nothing_and_reads_the_links_once(site: JiraSite) -> None:
    first_sync(site)
    mark = site.mark()

    result = site.sync("--json")

    assert result.code == 0, result.err
    assert writes(site.since(mark)) == []
    assert len(link_reads(site.since(mark))) <= 1
    assert all(c["attached"] for c in result.json()["changes"])


def test_one_new_merge_makes_one_remote_link_and_one_summary_update(site: JiraSite) -> None:
    key = first_sync(site)["ticket"]["key"]
    added = site.merge("Fix rounding of refunds", minutes=30)
    mark = site.mark()

    result = site.sync("--json")

    assert result.code == 0, result.err
    sent = writes(site.since(mark))
    [post] = link_posts(sent)
    assert post.body["globalId"] == f"release-train:{added}"
    assert [(r.method, r.path.rsplit("/", 2)[-2]) for r in sent if r is not post] == [
        ("PUT", "comment")
    ]
    assert f"release-train:{added}" in links_by_global_id(site.fake, key)


def test_three_syncs_leave_one_summary_comment_that_counts_every_change(site: JiraSite) -> None:
    key = first_sync(site)["ticket"]["key"]
    site.merge("Second change", minutes=30)
    assert site.sync().code == 0
    site.merge("Third change", minutes=40)

    result = site.sync()

    assert result.code == 0, result.err
    [comment] = site.fake.comments(key)
    assert changes_counted(comment.text) == 3


def test_a_link_whose_answer_was_lost_is_on_the_ticket_once_after_the_next_sync(
    site: JiraSite,
) -> None:
    site.merge("Add refund reason", minutes=5)
    site.fake.fail_next("POST", r"/remotelink$", kind="commit_then_drop")

    first = site.sync("--json")

    # The write may have happened, so the bot does not send it again blindly: exit 3, the
    # change stays queued, and the next sync reads the ticket's links before writing.
    assert first.code == 3
    assert "may have happened" in first.err
    assert [c["attached"] for c in first.json()["changes"]] == [False, True]
    key = first.json()["ticket"]["key"]

    second = site.sync("--json")

    assert second.code == 0, second.err
    assert all(c["attached"] for c in second.json()["changes"])
    links = links_by_global_id(site.fake, key)
    assert sorted(links) == sorted(f"release-train:{c['id']}" for c in first.json()["changes"])
    dropped = link_posts(site.fake.requests)[0].body["globalId"]
    assert [r.body["globalId"] for r in link_posts(site.fake.requests)].count(dropped) == 1


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_throttled_link_writes_wait_as_asked_and_land_once(site: JiraSite) -> None:
    site.merge("Add refund reason", minutes=5)
    site.fake.fail_next("POST", r"/remotelink$", kind="rate_limited", retry_after=1, times=2)

    result = site.sync("--json")

    assert result.code == 0, result.err
    posts = link_posts(site.fake.requests)
    assert [r.status for r in posts] == [429, 429, 201, 201]
    assert posts[1].at - posts[0].at >= 1.0
    assert posts[2].at - posts[1].at >= 1.0
    assert result.seconds >= 2.0
    key = result.json()["ticket"]["key"]
    assert len(links_by_global_id(site.fake, key)) == 2
    assert all(c["attached"] for c in result.json()["changes"])


def adf_nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        yield from (n for child in node.get("content", []) for n in adf_nodes(child))


def test_a_hostile_title_lands_as_literal_text(site: JiraSite) -> None:
    change = site.merge(HOSTILE, minutes=5, files=BIG_UI_CHANGE)

    report = first_sync(site)

    key = report["ticket"]["key"]
    title = f"[api] {HOSTILE}"
    assert links_by_global_id(site.fake, key)[f"release-train:{change}"]["object"]["title"] == title
    [comment] = site.fake.comments(key)
    if site.fake.mode == "cloud":
        nodes = list(adf_nodes(comment.body))
        assert title in [n.get("text") for n in nodes if n.get("type") == "text"]
        assert {n["type"] for n in nodes} <= {
            "doc",
            "heading",
            "paragraph",
            "bulletList",
            "listItem",
            "text",
        }
    else:
        body: str = comment.body
        # Each construct is there, escaped; none is there unescaped.
        for escaped in (r"\[\~accountid:x\]", r"\!http://evil.test/a.png\!", r"\{code\}"):
            assert escaped in body
        for unescaped in (r"(?<!\\)\[~", r"(?<!\\)!http", r"(?<!\\)\{code"):
            assert re.search(unescaped, body) is None, unescaped
