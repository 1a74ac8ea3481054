"""The Slack app in HTTP mode as Slack drives it: signed clicks, modals and slash commands sent
to a real ASGI server on loopback, the Web API answered by the fake Slack, Jira by the fake Jira."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.bootstrap.serving import ACK_SWITCH_INTERVAL
from tests.e2e.slack_site import (
    ALICE,
    BOB,
    CHANNEL,
    GROUP,
    HOSTILE,
    MALLORY,
    RunningApp,
    SlackSite,
    approve_value,
    build_site,
    button_value,
    drafted,
    eventually,
    last_text,
    running_app,
)
from tests.fakes.jira import FakeJira
from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401 (the fixture)
from tests.fakes.slack.driver import STALE


@pytest.fixture
def site(tmp_path: Path, fake_slack: FakeSlack) -> SlackSite:  # noqa: F811
    return build_site(tmp_path, fake_slack)


@pytest.fixture
def app(site: SlackSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningApp]:
    with running_app(site, monkeypatch) as running:
        yield running


def decided(site: SlackSite, words: str) -> str:
    """The draft message's last line once it says `words`."""
    return eventually(
        lambda: next((last_text(m) for m in site.drafts() if words in last_text(m)), None),
        what=f"the draft message to say {words!r}",
    )


def ephemeral_to(site: SlackSite, user: str, words: str) -> str:
    return eventually(
        lambda: next((e.text for e in site.slack.ephemerals(user) if words in e.text), None),
        what=f"an ephemeral answer to {user} saying {words!r}",
    )


def test_an_approver_approves_and_the_message_shows_who_and_when(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    sent = app.driver.block_action(
        "approve_draft", approve_value(message), user=ALICE, message_ts=message.ts
    )

    assert sent.response.status_code == 200
    line = decided(site, "Approved by")
    assert f"<@{ALICE}>" in line
    assert not [b for b in site.drafts()[0].blocks if b["type"] == "actions"]
    assert site.ok("status", "--json").json()["draft"] == {
        "version": 1,
        "state": "approved",
        "approved_by": ALICE,
        "approved_at": site.ok("status", "--json").json()["draft"]["approved_at"],
    }


def test_a_replayed_click_is_applied_once_and_told_who_decided(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    value = approve_value(message)
    app.driver.block_action("approve_draft", value, user=ALICE, message_ts=message.ts)
    decided(site, "Approved by")

    app.driver.block_action("approve_draft", value, user=BOB, message_ts=message.ts)

    answer = ephemeral_to(site, BOB, "already approved")
    assert f"<@{ALICE}>" in answer
    updates = [c for c in site.slack.calls_to("chat.update")]
    assert len(updates) == 1  # the approval's; a click that lost the decision changes nothing


def test_five_clicks_at_once_make_one_decision(site: SlackSite, app: RunningApp) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    value = approve_value(message)

    with ThreadPoolExecutor(max_workers=5) as pool:
        sent = list(
            pool.map(
                lambda _: app.driver.block_action(
                    "approve_draft", value, user=ALICE, message_ts=message.ts
                ),
                range(5),
            )
        )

    assert all(s.response.status_code == 200 for s in sent)
    decided(site, "Approved by")
    eventually(
        lambda: len([e for e in site.slack.ephemerals(ALICE) if "already approved" in e.text]) == 4,
        what="four answers saying the draft was already approved",
    )
    labels = {"train": "payments", "decision": "approved"}
    decisions = app.metrics.registry.get_sample_value("release_train_draft_decisions_total", labels)
    assert decisions == 1


def test_someone_who_is_not_an_approver_is_refused_and_nothing_changes(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    app.driver.block_action(
        "approve_draft", approve_value(message), user=MALLORY, message_ts=message.ts
    )

    ephemeral_to(site, MALLORY, "Only the approvers")
    assert site.slack.calls_to("chat.update") == []
    assert site.ok("status", "--json").json()["draft"]["state"] == "pending"


def test_a_member_of_an_approver_group_may_approve(site: SlackSite, app: RunningApp) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    app.driver.block_action(
        "approve_draft", approve_value(message), user=BOB, message_ts=message.ts
    )

    assert f"<@{BOB}>" in decided(site, "Approved by")
    assert site.slack.calls_to("usergroups.users.list")[0].args["usergroup"] == GROUP


def test_when_the_group_cannot_be_read_the_answer_is_no(site: SlackSite, app: RunningApp) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    site.slack.fail_next("usergroups.users.list", kind="error", error="fatal_error")

    app.driver.block_action(
        "approve_draft", approve_value(message), user=BOB, message_ts=message.ts
    )

    ephemeral_to(site, BOB, "could not be read")
    assert site.ok("status", "--json").json()["draft"]["state"] == "pending"
    assert site.slack.calls_to("chat.update") == []


@pytest.mark.parametrize("bad", [{"secret": "wrong"}, {"age": STALE}, {"signature": ""}])
def test_badly_signed_or_stale_requests_are_refused_with_401_and_change_nothing(
    site: SlackSite, app: RunningApp, bad: dict[str, object]
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    calls = len(site.slack.calls)

    click = app.driver.block_action(
        "approve_draft", approve_value(message), user=ALICE, message_ts=message.ts, **bad
    )
    command = app.driver.command("status", user=ALICE, **bad)

    assert click.response.status_code == 401
    assert command.response.status_code == 401
    assert len(site.slack.calls) == calls
    assert site.ok("status", "--json").json()["draft"]["state"] == "pending"


def test_a_click_on_an_older_version_is_refused_naming_the_newer_one(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    first = drafted(site)
    site.merge("fix: round refunds", minutes=10)
    site.ok("sync")
    site.ok("draft")

    app.driver.block_action("approve_draft", approve_value(first), user=ALICE, message_ts=first.ts)

    ephemeral_to(site, ALICE, "superseded by version 2")
    assert site.ok("status", "--json").json()["draft"]["state"] == "pending"


def test_request_changes_asks_for_a_reason_and_posts_it_in_the_thread(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    app.driver.block_action(
        "request_changes",
        button_value(message, "request_changes"),
        user=ALICE,
        message_ts=message.ts,
    )
    view = eventually(lambda: site.slack.opened_views(), what="the reason modal")[0]
    app.driver.submit(view, {"reason": {"reason_input": f"Say more about {HOSTILE}"}}, user=ALICE)

    line = decided(site, "Changes requested")
    assert "&lt;!channel&gt;" in line and "<!channel>" not in line
    reply = eventually(
        lambda: [
            m
            for m in site.slack.messages(CHANNEL)
            if m.thread_ts == message.ts and m.ts != message.ts
        ],
        what="the reason in the message's thread",
    )
    assert "Say more about" in reply[0].text and "<!channel>" not in reply[0].text
    assert site.ok("status", "--json").json()["draft"]["state"] == "changes_requested"


def test_edit_stores_a_new_version_marked_edited_and_posts_it(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    app.driver.block_action(
        "edit_draft", button_value(message, "edit_draft"), user=ALICE, message_ts=message.ts
    )
    view = eventually(lambda: site.slack.opened_views(), what="the edit modal")[0]
    text = view.body["blocks"][1]["element"]["initial_value"]
    assert "add refund reason" in text
    app.driver.submit(
        view, {"notes_part_0": {"notes_input": f"Edited notes {HOSTILE}"}}, user=ALICE
    )

    posted = eventually(lambda: site.drafts()[1:], what="the edited version posted")[0]
    shown = " ".join(str(b.get("text", {}).get("text", "")) for b in posted.blocks)
    shown += " " + " ".join(
        str(e.get("text", "")) for b in posted.blocks for e in b.get("elements", [])
    )
    assert "Edited notes" in shown and "&lt;!channel&gt;" in shown
    assert "<!channel>" not in shown and f"edited by <@{ALICE}>" in shown
    assert json.loads(button_value(posted, "approve_draft"))["version"] == 2
    assert site.ok("status", "--json").json()["draft"]["version"] == 2
    again = site.ok("draft")
    assert "nothing posted" in again.out


def test_slash_help_is_in_the_ack_and_status_comes_through_the_response_url(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")

    helped = app.driver.command("bogus", user=MALLORY)
    status = app.driver.command("status", user=MALLORY)

    assert helped.response.status_code == 200
    assert "explain <change id or URL>" in helped.response.text
    assert status.response.status_code == 200
    answer = eventually(lambda: site.slack.responses(status.response_url), what="the status")
    assert answer[0]["response_type"] == "ephemeral"
    assert "2 changes: 2 continuous" in answer[0]["text"]
    assert "Release notes draft: none" in answer[0]["text"]


def test_slash_draft_posts_like_the_cli(site: SlackSite, app: RunningApp) -> None:
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")

    sent = app.driver.command("draft", user=ALICE)

    answer = eventually(lambda: site.slack.responses(sent.response_url), what="the answer")
    assert "Posted version 1" in answer[0]["text"]
    assert len(site.drafts()) == 1


@pytest.fixture(params=["cloud", "datacenter"])
def jira(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with FakeJira(mode=request.param) as fake:
        yield fake
        fake.assert_faithful()


def test_approval_writes_one_literal_comment_and_the_label_to_the_ticket(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
    jira: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = build_site(tmp_path, fake_slack, jira)
    site.merge(f"feat: {HOSTILE}", minutes=5)
    message = drafted(site)
    key = site.ticket_key()

    with running_app(site, monkeypatch) as app:
        value = approve_value(message)
        app.driver.block_action("approve_draft", value, user=ALICE, message_ts=message.ts)
        line = decided(site, "Approved by")
        app.driver.block_action("approve_draft", value, user=ALICE, message_ts=message.ts)
        ephemeral_to(site, ALICE, "already approved")

    assert key in line
    approved = [c for c in jira.comments(key) if "Release notes approved in Slack" in c.text]
    assert len(approved) == 1
    text = approved[0].text
    assert "Alice Approver (Slack user U0ALICE)" in text
    assert f"(Slack user {ALICE})" in text
    assert HOSTILE.split()[0] in text  # the title, literally
    assert "release-notes-approved" in jira.issue(key).labels
    body = approved[0].body
    if jira.mode == "datacenter":
        outside = body.split("{noformat}")[0]
        assert "[~" not in outside and f"(Slack user {ALICE})" in outside
        assert body.count("{noformat}") == 2  # the notes sit in one literal block
    else:
        nodes = json.dumps(body)
        assert '"mention"' not in nodes and '"codeBlock"' in nodes


def test_without_users_read_an_approval_cannot_look_up_the_approvers_name(
    site: SlackSite, app: RunningApp
) -> None:
    site.slack.revoke_scope("users:read")
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    app.driver.block_action(
        "approve_draft", approve_value(message), user=ALICE, message_ts=message.ts
    )

    decided(site, "Approved by")  # the decision stands; only the name lookup failed
    lookups = site.slack.calls_to("users.info")
    assert lookups
    assert {c.error for c in lookups} == {"missing_scope"}


def test_app_home_shows_every_train_when_opened(site: SlackSite, app: RunningApp) -> None:
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")
    event = {
        "token": "fake-verification-token",
        "team_id": "T0FAKETEAM",
        "api_app_id": "A0FAKEAPP",
        "type": "event_callback",
        "event_id": "Ev0HOME",
        "event_time": 1,
        "event": {"type": "app_home_opened", "user": ALICE, "tab": "home", "event_ts": "1.0"},
    }

    sent = app.driver.send_raw(json.dumps(event).encode(), content_type="application/json")

    assert sent.status_code == 200
    home = eventually(lambda: site.slack.home(ALICE), what="the Home tab published")
    shown = json.dumps(home.body, ensure_ascii=False)
    assert "payments — Sprint 1" in shown
    assert "2 changes: 2 continuous" in shown
    assert "Release notes: no draft yet" in shown


def test_slash_explain_says_why_and_names_an_unknown_change(
    site: SlackSite, app: RunningApp
) -> None:
    change = site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")

    known = app.driver.command(f"explain {change}", user=MALLORY)
    unknown = app.driver.command("explain git:api:0000000", user=MALLORY)

    answer = eventually(lambda: site.slack.responses(known.response_url), what="the answer")
    assert "Rules, in order" in answer[0]["text"]
    missing = eventually(lambda: site.slack.responses(unknown.response_url), what="the answer")
    assert "git:api:0000000" in missing[0]["text"]


def test_status_answers_again_from_the_store_after_another_process_syncs(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")
    first = app.driver.command("status", user=MALLORY)
    before = eventually(lambda: site.slack.responses(first.response_url), what="the status")
    again = app.driver.command("status", user=MALLORY)
    unchanged = eventually(lambda: site.slack.responses(again.response_url), what="the status")

    site.merge("fix: round refunds", minutes=10)
    site.ok("sync")  # a process of its own: the store revision moves under the app
    after = app.driver.command("status", user=MALLORY)
    moved = eventually(lambda: site.slack.responses(after.response_url), what="the status")

    assert "2 changes: 2 continuous" in before[0]["text"]
    assert unchanged[0]["text"] == before[0]["text"]
    assert "3 changes: 3 continuous" in moved[0]["text"]


def test_while_slack_is_served_threads_take_turns_at_the_gil_often(
    site: SlackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sys.getswitchinterval()

    with running_app(site, monkeypatch):
        serving = sys.getswitchinterval()

    assert serving == ACK_SWITCH_INTERVAL < before
    assert sys.getswitchinterval() == before
