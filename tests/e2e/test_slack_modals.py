"""The two modals of the draft message under the conditions Slack imposes: a trigger good for three
seconds, approver groups read through a rate-limited method, versions superseded meanwhile, and
long reasons. The HTTP-mode app on a real ASGI server; Slack is the fake Slack."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.slack_site import (
    ALICE,
    BOB,
    CHANNEL,
    MALLORY,
    RunningApp,
    SlackSite,
    build_site,
    button_value,
    drafted,
    eventually,
    last_text,
    running_app,
)
from tests.fakes.slack import FakeSlack, View, fake_slack  # noqa: F401 (the fixture)


@pytest.fixture
def site(tmp_path: Path, fake_slack: FakeSlack) -> SlackSite:  # noqa: F811
    return build_site(tmp_path, fake_slack)


@pytest.fixture
def app(site: SlackSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningApp]:
    with running_app(site, monkeypatch) as running:
        yield running


def opened(site: SlackSite) -> View:
    return eventually(lambda: site.slack.opened_views(), what="a modal opened")[-1]


def shown_text(view: View) -> str:
    return " ".join(str(b.get("text", {}).get("text", "")) for b in view.body.get("blocks", []))


def test_the_modal_opens_at_once_while_group_membership_is_throttled(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    site.slack.fail_next("usergroups.users.list", kind="ratelimited", retry_after=2, times=2)

    clicked = time.monotonic()
    app.driver.block_action(
        "request_changes", button_value(message, "request_changes"), user=BOB, message_ts=message.ts
    )
    view = opened(site)
    took = time.monotonic() - clicked

    assert took < 1.0, f"the modal took {took:.2f} s to open"
    assert view.body["callback_id"] == "request_changes"


def test_a_modal_opened_for_someone_who_may_not_decide_becomes_the_reason(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)

    app.driver.block_action(
        "edit_draft", button_value(message, "edit_draft"), user=MALLORY, message_ts=message.ts
    )

    refused = eventually(
        lambda: next(
            (v for v in site.slack.opened_views() if "Only the approvers" in shown_text(v)), None
        ),
        what="the modal replaced by the refusal",
    )
    assert "submit" not in refused.body
    assert site.ok("status", "--json").json()["draft"]["version"] == 1


def test_request_changes_on_a_superseded_version_is_refused_in_its_modal(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    first = drafted(site)
    site.merge("fix: round refunds", minutes=10)
    site.ok("sync")
    site.ok("draft")
    value = button_value(first, "request_changes")

    app.driver.block_action("request_changes", value, user=ALICE, message_ts=first.ts)

    eventually(
        lambda: next(
            (v for v in site.slack.opened_views() if "superseded by version 2" in shown_text(v)),
            None,
        ),
        what="the modal saying the version was superseded",
    )


def test_a_reason_of_three_thousand_characters_still_updates_the_message(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    message = drafted(site)
    reason = "Please reword: " + "x & y " * 500
    app.driver.block_action(
        "request_changes",
        button_value(message, "request_changes"),
        user=ALICE,
        message_ts=message.ts,
    )

    app.driver.submit(opened(site), {"reason": {"reason_input": reason}}, user=ALICE)

    line = eventually(
        lambda: next(
            (last_text(m) for m in site.drafts() if "Changes requested" in last_text(m)), None
        ),
        what="the message showing the decision",
    )
    assert len(line) <= 3000 and "the whole reason is in the thread" in line
    thread = eventually(
        lambda: [m for m in site.slack.messages(CHANNEL) if m.thread_ts == message.ts != m.ts],
        what="the reason in the thread",
    )
    assert thread[0].text.count("x &amp; y") == 500
    assert not [b for b in site.drafts()[0].blocks if b["type"] == "actions"]


def test_explain_of_an_unknown_change_escapes_what_was_typed(
    site: SlackSite, app: RunningApp
) -> None:
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")

    sent = app.driver.command("explain <@U0ALICE> <!channel>", user=ALICE)

    answer = eventually(lambda: site.slack.responses(sent.response_url), what="the answer")
    text = answer[0]["text"]
    assert "<@" not in text and "<!" not in text
    assert "&lt;!channel" in text
