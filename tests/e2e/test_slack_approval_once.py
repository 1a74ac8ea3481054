"""What an approval owes Jira, written exactly once: under repeated and concurrent clicks, across
replicas, after a lost answer or a failed write, and after a process that stopped mid-approval.

The Slack app runs in HTTP mode on a real ASGI server on loopback; Jira is the fake Jira, made to
answer slowly or to fail where each test says.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.e2e.slack_site import (
    ALICE,
    BOB,
    SlackSite,
    approve_value,
    build_site,
    drafted,
    eventually,
    last_text,
    running_app,
)
from tests.fakes.jira import FakeJira
from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401 (the fixture)

MARKER = "Release notes approved in Slack"
# A click's process: takes the decision as the Slack app does, then ends without a follow-up.
DECIDE_AND_DIE = """
import sys
from datetime import UTC, datetime
from bot.adapters.store import SqlStore
from bot.services.approvals.follow_up import owed_follow_up
store = SqlStore(url=sys.argv[1])
won, _ = store.decide_draft(
    train="payments", sprint="Sprint 7", version=1, decision="approved", user="U0ALICE",
    at=datetime.now(UTC), note="Alice Approver", owed=owed_follow_up("payments", "Sprint 7", 1),
)
assert won
"""
COMMENTS = r"/issue/[^/]+/comment$"


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    with FakeJira(mode="cloud") as fake:
        yield fake
        fake.assert_faithful()


def approved_comments(jira: FakeJira, key: str) -> list[str]:
    return [c.text for c in jira.comments(key) if MARKER in c.text]


def label_writes(jira: FakeJira, key: str) -> int:
    """The requests that added the approval label to the ticket."""
    return sum(
        1
        for r in jira.writes
        if r.method == "PUT"
        and r.path.endswith(f"/issue/{key}")
        and r.status == 204
        and "release-notes-approved" in str(r.body)
    )


def answered(site: SlackSite, clicks: int) -> None:
    """Wait until every click got its ephemeral answer: each click's work is then over."""
    eventually(
        lambda: len(site.slack.ephemerals()) >= clicks,
        what=f"{clicks} clicks answered",
        timeout=30,
    )


def settled(site: SlackSite, words: str) -> str:
    return eventually(
        lambda: next((last_text(m) for m in site.drafts() if words in last_text(m)), None),
        what=f"the draft message to say {words!r}",
        timeout=30,
    )


def test_five_copies_of_one_approval_while_jira_is_slow_write_one_comment_and_one_label(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    jira: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = build_site(tmp_path, fake_slack, jira)
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    key = site.ticket_key()
    jira.slow("POST", COMMENTS, 1.0)

    with running_app(site, monkeypatch) as app:
        value = approve_value(message)
        with ThreadPoolExecutor(max_workers=5) as pool:
            list(
                pool.map(
                    lambda _: app.driver.block_action(
                        "approve_draft", value, user=ALICE, message_ts=message.ts
                    ),
                    range(5),
                )
            )
        settled(site, key)
        answered(site, 5)

    assert len(approved_comments(jira, key)) == 1
    assert label_writes(jira, key) == 1
    assert "release-notes-approved" in jira.issue(key).labels


def test_two_approvers_clicking_moments_apart_write_one_comment(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    jira: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = build_site(tmp_path, fake_slack, jira)
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    key = site.ticket_key()
    jira.slow("POST", COMMENTS, 1.0)

    with running_app(site, monkeypatch) as app:
        value = approve_value(message)
        for delay in (0.0, 0.15, 0.3):
            first = app.driver.block_action(
                "approve_draft", value, user=ALICE, message_ts=message.ts
            )
            time.sleep(delay)
            second = app.driver.block_action(
                "approve_draft", value, user=BOB, message_ts=message.ts
            )
            assert first.response.status_code == second.response.status_code == 200
        settled(site, key)
        answered(site, 6)

    assert len(approved_comments(jira, key)) == 1
    assert label_writes(jira, key) == 1


@pytest.mark.postgres
def test_replicas_sharing_postgresql_write_one_comment_for_clicks_on_both(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    jira: FakeJira,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = build_site(tmp_path, fake_slack, jira, store_url=pg_url)
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    key = site.ticket_key()
    jira.slow("POST", COMMENTS, 1.0)

    with ExitStack() as stack:
        apps = [stack.enter_context(running_app(site, monkeypatch)) for _ in range(2)]
        value = approve_value(message)
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(
                pool.map(
                    lambda i: apps[i % 2].driver.block_action(
                        "approve_draft", value, user=(ALICE, BOB)[i % 2], message_ts=message.ts
                    ),
                    range(4),
                )
            )
        settled(site, key)
        answered(site, 4)

    assert len(approved_comments(jira, key)) == 1
    assert label_writes(jira, key) == 1


def test_a_lost_comment_answer_and_a_failed_label_are_finished_once_by_the_next_sync(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    jira: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = build_site(tmp_path, fake_slack, jira)
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    key = site.ticket_key()
    jira.fail_next("POST", COMMENTS, kind="commit_then_drop")

    with running_app(site, monkeypatch) as app:
        app.driver.block_action(
            "approve_draft", approve_value(message), user=ALICE, message_ts=message.ts
        )
        waiting = settled(site, "next sync")

    assert len(approved_comments(jira, key)) == 1  # written, though its answer was lost
    assert "release-notes-approved" not in jira.issue(key).labels
    assert "later click" not in waiting
    jira.fail_next("PUT", rf"/issue/{key}$", kind="forbidden")

    failed = site.run("sync")
    assert failed.code == 3, failed.err
    assert "next sync" in failed.err
    assert "release-notes-approved" not in jira.issue(key).labels

    finished = site.ok("sync", "--json").json()
    again = site.ok("sync")

    assert any("approving Sprint 7 version 1" in n for n in finished["notices"])
    assert "approving" not in again.out + again.err
    assert len(approved_comments(jira, key)) == 1
    assert "release-notes-approved" in jira.issue(key).labels
    line = last_text(site.drafts()[0])
    assert "Approved by" in line and key in line and "next sync" not in line


def test_an_approval_whose_process_stopped_before_jira_is_finished_by_the_next_sync(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    jira: FakeJira,
) -> None:
    site = build_site(tmp_path, fake_slack, jira)
    site.merge("feat: add refund reason", minutes=5)
    drafted(site)
    key = site.ticket_key()
    # The click's process took the decision (and recorded what it owes), then died.
    decided = subprocess.run(
        [sys.executable, "-c", DECIDE_AND_DIE, f"sqlite:///{site.root / 'store.db'}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert decided.returncode == 0, decided.stderr
    assert not approved_comments(jira, key)

    site.ok("sync")
    site.ok("sync")

    comments = approved_comments(jira, key)
    assert len(comments) == 1 and "Alice Approver (Slack user U0ALICE)" in comments[0]
    assert "release-notes-approved" in jira.issue(key).labels
    shown = site.drafts()[0]
    assert not [b for b in shown.blocks if b["type"] == "actions"]
    assert "Approved by" in last_text(shown) and key in last_text(shown)


def test_two_draft_runs_at_once_while_slack_is_slow_post_one_message(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = build_site(tmp_path, fake_slack)
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")
    fake_slack.slow("chat.postMessage", 1.0)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: site.run("draft"), range(2)))

    assert [r.code for r in runs] == [0, 0], [r.err for r in runs]
    said = sorted(r.out for r in runs)
    assert any("posted version 1" in out for out in said), said
    assert any("being posted by another run" in out or "already posted" in out for out in said), (
        said
    )
    assert len(site.drafts()) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
