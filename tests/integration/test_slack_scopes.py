"""The Slack app's bot scopes, one list: the adapter's table, both manifests, and the fake Slack
(which grants exactly the manifest's scopes) agree, and every call the bot makes is covered."""

from __future__ import annotations

from pathlib import Path

import pytest
from slack_sdk.web import SlackResponse

from bot.adapters.slack import SlackNotifier
from bot.adapters.slack.calls import Call, SlackCalls
from bot.adapters.slack.scopes import BOT_SCOPES, METHOD_SCOPES
from bot.errors import AuthError
from bot.ports.chat import MessageMark
from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401
from tests.fakes.slack.methods import METHODS
from tests.fakes.slack.state import MANIFESTS, manifest_scopes

PUBLIC, PRIVATE = "C0RELEASE", "G0RELEASE"
MARK = MessageMark(event_type="release_train_draft", payload={"train": "payments"})
MODAL = {
    "type": "modal",
    "external_id": "edit-1",
    "title": {"type": "plain_text", "text": "Edit"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "notes"}}],
}
HOME = {"type": "home", "blocks": MODAL["blocks"]}


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:  # noqa: F811
    fake_slack.add_channel(PUBLIC, "releases", members=["U0ALICE"])
    fake_slack.add_channel(PRIVATE, "releases-private", members=["U0ALICE"], private=True)
    fake_slack.add_user("U0ALICE", "alice", display_name="Alice Approver")
    fake_slack.add_usergroup("S0LEADS", ["U0ALICE"])
    return fake_slack


@pytest.fixture
def notifier(slack: FakeSlack) -> SlackNotifier:
    return SlackNotifier(token=slack.bot_token, api_url=slack.api_url)


@pytest.mark.parametrize("mode", ["socket", "http"])
def test_each_manifest_asks_for_exactly_the_scopes_the_adapter_declares(mode: str) -> None:
    manifest = Path(MANIFESTS) / f"slack-manifest.{mode}.yaml"

    assert manifest_scopes(manifest) == BOT_SCOPES


def test_the_fake_slack_grants_exactly_the_manifests_scopes(slack: FakeSlack) -> None:
    assert slack.ws.scopes == set(manifest_scopes())


def test_the_adapter_and_the_fake_need_the_same_scope_for_every_method() -> None:
    assert {m: method.scopes for m, method in METHODS.items()} == dict(METHOD_SCOPES)


def test_every_call_of_the_bot_works_with_the_manifests_scopes_alone(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    for channel in (PUBLIC, PRIVATE):
        posted = notifier.post_message(channel=channel, text="notes", mark=MARK)
        notifier.update_message(message=posted, text="notes, edited")
        notifier.post_ephemeral(channel=channel, user="U0ALICE", text="only you")
        assert notifier.find_message(channel=channel, mark=MARK) == posted
        assert notifier.bot_in_channel(channel=channel)
    assert notifier.display_name(user="U0ALICE") == "Alice Approver"
    assert notifier.group_members(group="S0LEADS") == {"U0ALICE"}
    notifier.open_view(trigger_id=slack.new_trigger_id("U0ALICE"), view=MODAL)
    notifier.update_view(external_id="edit-1", view=MODAL)
    notifier.publish_home(user="U0ALICE", view=HOME)
    notifier.check()

    assert {c.method for c in slack.calls} == set(METHOD_SCOPES)
    assert [c for c in slack.calls if c.error] == []


def test_a_method_whose_scope_is_not_declared_is_refused_before_it_is_sent(
    slack: FakeSlack,
) -> None:
    calls = SlackCalls(api_url=slack.api_url, rate_limit_budget=1)
    sent: list[str] = []

    def send() -> SlackResponse:
        sent.append("reactions.add")
        raise AssertionError("sent")

    with pytest.raises(RuntimeError, match=r"reactions\.add .*METHOD_SCOPES"):
        calls.run(Call("reactions.add", write=True), send)

    assert sent == []


def test_a_call_the_token_has_no_scope_for_fails_naming_the_scope(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    slack.revoke_scope("users:read")

    with pytest.raises(AuthError, match="lacks the scope users:read"):
        notifier.display_name(user="U0ALICE")

    assert slack.calls_to("users.info")[-1].error == "missing_scope"


def test_the_scope_check_passes_with_the_manifests_scopes(notifier: SlackNotifier) -> None:
    held = notifier.check_scopes()

    assert held == f"the token holds all {len(BOT_SCOPES)} bot scopes the bot needs"


def test_the_scope_check_names_each_missing_scope_and_what_needs_it(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    slack.revoke_scope("users:read")
    slack.revoke_scope("groups:history")

    with pytest.raises(AuthError) as failed:
        notifier.check_scopes()

    message = str(failed.value)
    assert "lacks 2 scope(s)" in message
    assert "groups:history (for conversations.history)" in message
    assert "users:read (for users.info)" in message
    assert slack.bot_token not in message
