"""SlackNotifier against the fake Slack through the real slack_sdk WebClient."""

from __future__ import annotations

import socket

import pytest

from bot.adapters.slack import SlackNotifier
from bot.errors import (
    AuthError,
    ConfigError,
    RateLimitedError,
    ServiceError,
    WriteOutcomeUnknownError,
)
from bot.ports.chat import MessageMark, PostedMessage
from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401

CHANNEL = "C0RELEASE"
MARK = MessageMark(
    event_type="release_train_draft",
    payload={"train": "payments", "sprint": "Sprint 4", "version": 2},
)
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*Features*\n• Faster checkout"}}


class Waits:
    """Records the waits asked for instead of sleeping them."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:  # noqa: F811
    fake_slack.add_channel(CHANNEL, "releases", members=["U0ALICE", "U0BOB"])
    return fake_slack


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def notifier(slack: FakeSlack, waits: Waits) -> SlackNotifier:
    return SlackNotifier(
        token=slack.bot_token, api_url=slack.api_url, rate_limit_budget=10, sleep=waits
    )


def test_post_carries_text_blocks_and_mark(slack: FakeSlack, notifier: SlackNotifier) -> None:
    posted = notifier.post_message(
        channel=CHANNEL, text="Release notes for Sprint 4", blocks=[SECTION], mark=MARK
    )
    (message,) = slack.messages(CHANNEL)
    assert posted == PostedMessage(channel=CHANNEL, ts=message.ts)
    assert message.text == "Release notes for Sprint 4"
    assert message.blocks == [SECTION]
    assert message.metadata == {
        "event_type": "release_train_draft",
        "event_payload": {"train": "payments", "sprint": "Sprint 4", "version": 2},
    }
    (call,) = slack.calls_to("chat.postMessage")
    assert call.encoding == "json"


def test_post_by_channel_name_returns_the_channel_id(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    posted = notifier.post_message(channel="#releases", text="hello")
    assert posted.channel == CHANNEL


def test_rate_limited_post_waits_retry_after_then_posts_once(
    slack: FakeSlack, notifier: SlackNotifier, waits: Waits
) -> None:
    slack.fail_next("chat.postMessage", kind="ratelimited", retry_after=3, times=2)
    notifier.post_message(channel=CHANNEL, text="notes", mark=MARK)
    assert waits.seconds == [3.0, 3.0]
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 429, 200]
    assert len(slack.messages(CHANNEL)) == 1


def test_rate_limit_without_retry_after_waits_a_second(
    slack: FakeSlack, notifier: SlackNotifier, waits: Waits
) -> None:
    slack.fail_next("usergroups.users.list", kind="ratelimited", retry_after=None)
    slack.add_usergroup("S0APPROVE", ["U0ALICE"])
    assert notifier.group_members(group="S0APPROVE") == {"U0ALICE"}
    assert waits.seconds == [1.0]


def test_rate_limit_past_the_budget_gives_up_without_posting(
    slack: FakeSlack, notifier: SlackNotifier, waits: Waits
) -> None:
    slack.fail_next("chat.postMessage", kind="ratelimited", retry_after=4, times=5)
    with pytest.raises(RateLimitedError, match=r"Slack kept rate-limiting chat\.postMessage"):
        notifier.post_message(channel=CHANNEL, text="notes")
    assert waits.seconds == [4.0, 4.0]  # a third wait would pass the 10 s budget
    assert slack.messages(CHANNEL) == []


def test_dropped_post_answer_is_not_resent_and_the_mark_finds_it(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    slack.fail_next("chat.postMessage", kind="commit_then_drop")
    with pytest.raises(WriteOutcomeUnknownError, match=r"chat\.postMessage was lost"):
        notifier.post_message(channel=CHANNEL, text="notes", blocks=[SECTION], mark=MARK)
    assert len(slack.calls_to("chat.postMessage")) == 1  # never resent blindly
    (message,) = slack.messages(CHANNEL)
    found = notifier.find_message(channel=CHANNEL, mark=MARK)
    assert found == PostedMessage(channel=CHANNEL, ts=message.ts)


def test_dropped_post_that_never_happened_finds_nothing(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    slack.fail_next("chat.postMessage", kind="drop")
    with pytest.raises(WriteOutcomeUnknownError):
        notifier.post_message(channel=CHANNEL, text="notes", mark=MARK)
    assert notifier.find_message(channel=CHANNEL, mark=MARK) is None


def test_find_message_matches_the_whole_mark_from_this_bot_only(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    other_version = MessageMark(event_type=MARK.event_type, payload={**MARK.payload, "version": 1})
    notifier.post_message(channel=CHANNEL, text="v1", mark=other_version)
    mine = notifier.post_message(channel=CHANNEL, text="v2", mark=MARK)
    metadata = {"event_type": MARK.event_type, "event_payload": dict(MARK.payload)}
    slack.post_as(CHANNEL, "copycat", user="U0OTHER", bot_id="B0OTHER", metadata=metadata)
    slack.post_as(CHANNEL, "chatter", user="U0ALICE")
    assert notifier.find_message(channel=CHANNEL, mark=MARK) == mine
    partial = MessageMark(event_type=MARK.event_type, payload={"train": "payments"})
    assert notifier.find_message(channel=CHANNEL, mark=partial) == mine  # the newest match
    unknown = MessageMark(event_type="release_train_digest", payload={"train": "payments"})
    assert notifier.find_message(channel=CHANNEL, mark=unknown) is None


def test_find_message_pages_back_and_stops_at_its_page_bound(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    marked = notifier.post_message(channel=CHANNEL, text="notes", mark=MARK)
    for n in range(450):
        slack.post_as(CHANNEL, f"message {n}", user="U0ALICE")
    assert notifier.find_message(channel=CHANNEL, mark=MARK) == marked
    history = slack.calls_to("conversations.history")
    assert len(history) == 3
    assert history[1].args["cursor"] and history[0].args["include_all_metadata"] == "1"
    assert notifier.find_message(channel=CHANNEL, mark=MARK, max_pages=2) is None


def test_find_message_since_reads_only_newer_history(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    from datetime import UTC, datetime, timedelta

    notifier.post_message(channel=CHANNEL, text="notes", mark=MARK)
    later = datetime.now(UTC) + timedelta(hours=1)
    assert notifier.find_message(channel=CHANNEL, mark=MARK, since=later) is None
    assert slack.calls_to("conversations.history")[-1].args["oldest"]


def test_a_read_that_loses_its_connection_is_tried_again(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    marked = notifier.post_message(channel=CHANNEL, text="notes", mark=MARK)
    slack.fail_next("conversations.history", kind="drop")
    assert notifier.find_message(channel=CHANNEL, mark=MARK) == marked
    assert [c.status for c in slack.calls_to("conversations.history")] == [None, 200]


def test_update_replaces_text_and_blocks_in_place(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    posted = notifier.post_message(channel=CHANNEL, text="pending", blocks=[SECTION], mark=MARK)
    decided = {"type": "context", "elements": [{"type": "mrkdwn", "text": "Approved by alice"}]}
    notifier.update_message(message=posted, text="approved", blocks=[SECTION, decided])
    (message,) = slack.messages(CHANNEL)
    assert (message.text, message.blocks, message.history) == (
        "approved",
        [SECTION, decided],
        ["posted", "updated"],
    )
    assert message.metadata is not None and message.metadata["event_payload"]["version"] == 2


def test_ephemeral_reaches_only_that_user(slack: FakeSlack, notifier: SlackNotifier) -> None:
    notifier.post_ephemeral(channel=CHANNEL, user="U0BOB", text="Already approved by alice")
    assert [e.text for e in slack.ephemerals("U0BOB")] == ["Already approved by alice"]
    assert slack.ephemerals("U0ALICE") == []
    assert slack.messages(CHANNEL) == []


def test_ephemeral_to_someone_outside_the_channel_is_refused(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    slack.add_user("U0CAROL")
    with pytest.raises(ServiceError, match="user_not_in_channel"):
        notifier.post_ephemeral(channel=CHANNEL, user="U0CAROL", text="hi")


def test_bot_outside_the_channel_is_named_in_the_error(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    slack.add_channel("C0QUIET", "quiet", bot_member=False)
    with pytest.raises(ServiceError) as caught:
        notifier.post_message(channel="C0QUIET", text="notes")
    assert str(caught.value) == (
        "Slack refused chat.postMessage for channel C0QUIET: not_in_channel "
        "(invite the bot to the channel)"
    )
    assert not isinstance(caught.value, WriteOutcomeUnknownError)


def test_membership_check_reads_the_channel(slack: FakeSlack, notifier: SlackNotifier) -> None:
    slack.add_channel("C0QUIET", "quiet", bot_member=False)
    assert notifier.bot_in_channel(channel=CHANNEL) is True
    assert notifier.bot_in_channel(channel="C0QUIET") is False
    with pytest.raises(ServiceError, match="channel C0MISSING: channel_not_found"):
        notifier.bot_in_channel(channel="C0MISSING")


def test_check_describes_the_workspace(notifier: SlackNotifier) -> None:
    assert notifier.check() == "Slack workspace Fake Team as release-train (bot B0FAKEBOT)"


def test_a_wrong_token_names_the_variable_and_never_the_token(slack: FakeSlack) -> None:
    wrong = "xoxb-not-the-right-token-123"
    notifier = SlackNotifier(token=wrong, api_url=slack.api_url)
    with pytest.raises(AuthError) as caught:
        notifier.post_message(channel=CHANNEL, text="notes")
    assert str(caught.value) == (
        "Slack refused the bot token (invalid_auth); check RELEASE_TRAIN_SLACK__BOT_TOKEN"
    )
    assert wrong not in repr(caught.value.__cause__) + repr(caught.value.__context__)


def test_an_empty_token_is_a_config_error(slack: FakeSlack) -> None:
    with pytest.raises(ConfigError, match="RELEASE_TRAIN_SLACK__BOT_TOKEN is not set"):
        SlackNotifier(token="", api_url=slack.api_url)


def test_group_members_and_failing_closed(slack: FakeSlack, notifier: SlackNotifier) -> None:
    slack.add_usergroup("S0APPROVE", ["U0ALICE", "U0DAVE"])
    assert notifier.group_members(group="S0APPROVE") == {"U0ALICE", "U0DAVE"}
    with pytest.raises(ServiceError, match="user group S0NOPE: no_such_subteam"):
        notifier.group_members(group="S0NOPE")
    slack.revoke_scope("usergroups:read")
    with pytest.raises(AuthError, match="lacks the scope usergroups:read"):
        notifier.group_members(group="S0APPROVE")


def test_an_slack_error_answer_is_mapped(slack: FakeSlack, notifier: SlackNotifier) -> None:
    slack.fail_next("chat.update", kind="error", error="fatal_error")
    posted = notifier.post_message(channel=CHANNEL, text="notes")
    with pytest.raises(ServiceError, match=r"Slack refused chat\.update for message .*fatal_error"):
        notifier.update_message(message=posted, text="approved")


def test_blocks_over_slacks_limits_are_refused_with_slacks_reason(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    with pytest.raises(ServiceError, match=r"invalid_blocks \(\[ERROR\] must be less than 3001"):
        notifier.post_message(channel=CHANNEL, text="notes", blocks=[long])
    with pytest.raises(ServiceError, match="no more than 50 items"):
        notifier.post_message(channel=CHANNEL, text="notes", blocks=[SECTION] * 51)
    assert slack.messages(CHANNEL) == []


def test_a_modal_opens_once_per_trigger(slack: FakeSlack, notifier: SlackNotifier) -> None:
    trigger = slack.new_trigger_id("U0ALICE")
    view = {
        "type": "modal",
        "callback_id": "edit_draft",
        "title": {"type": "plain_text", "text": "Edit the notes"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "notes",
                "label": {"type": "plain_text", "text": "Notes"},
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            }
        ],
    }
    view_id = notifier.open_view(trigger_id=trigger, view=view)
    (opened,) = slack.opened_views()
    assert (opened.id, opened.user, opened.body["callback_id"]) == (
        view_id,
        "U0ALICE",
        "edit_draft",
    )
    with pytest.raises(ServiceError, match="expired_trigger_id"):
        notifier.open_view(trigger_id=trigger, view=view)


def test_home_tab_is_published_for_the_user(slack: FakeSlack, notifier: SlackNotifier) -> None:
    home = {"type": "home", "blocks": [SECTION]}
    notifier.publish_home(user="U0ALICE", view=home)
    notifier.publish_home(user="U0ALICE", view=home)
    shown = slack.home("U0ALICE")
    assert shown is not None and shown.body == home
    assert len(slack.calls_to("views.publish")) == 2


def test_respond_answers_ephemerally_or_replaces_the_clicked_message(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    posted = notifier.post_message(channel=CHANNEL, text="pending", blocks=[SECTION])
    url = slack.new_response_url(channel=CHANNEL, user="U0BOB", message_ts=posted.ts)
    notifier.respond(response_url=url, text="Only approvers may decide")
    notifier.respond(response_url=url, text="approved", blocks=[SECTION], replace_original=True)
    assert [e.text for e in slack.ephemerals("U0BOB")] == ["Only approvers may decide"]
    (message,) = slack.messages(CHANNEL)
    assert message.text == "approved" and message.history == ["posted", "response_url"]
    assert [a["response_type"] for a in slack.responses(url)] == ["ephemeral", "ephemeral"]


def test_respond_to_a_used_up_url_is_refused_without_showing_it(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    url = slack.new_response_url(channel=CHANNEL, user="U0BOB")
    for n in range(5):
        notifier.respond(response_url=url, text=f"answer {n}")
    with pytest.raises(ServiceError) as caught:
        notifier.respond(response_url=url, text="one too many")
    assert "HTTP 404 used_url" in str(caught.value) and url not in str(caught.value)


def test_an_unreachable_api_url_is_named(slack: FakeSlack) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api_url = f"http://127.0.0.1:{port}/api/"
    notifier = SlackNotifier(token=slack.bot_token, api_url=api_url)
    with pytest.raises(ServiceError, match=rf"unreachable at {api_url} \(connection refused\)"):
        notifier.post_message(channel=CHANNEL, text="notes")


def test_respond_waits_out_a_rate_limit(
    slack: FakeSlack, notifier: SlackNotifier, waits: Waits
) -> None:
    url = slack.new_response_url(channel=CHANNEL, user="U0BOB")
    slack.fail_next("response_url", kind="ratelimited", retry_after=2)
    notifier.respond(response_url=url, text="Synced 3 changes")
    assert waits.seconds == [2.0]
    assert [a["text"] for a in slack.responses(url)] == ["Synced 3 changes"]


def test_respond_whose_answer_is_lost_is_not_resent(
    slack: FakeSlack, notifier: SlackNotifier
) -> None:
    url = slack.new_response_url(channel=CHANNEL, user="U0BOB")
    slack.fail_next("response_url", kind="commit_then_drop")
    with pytest.raises(WriteOutcomeUnknownError, match="response_url post was lost"):
        notifier.respond(response_url=url, text="Synced 3 changes")
    assert [e.text for e in slack.ephemerals("U0BOB")] == ["Synced 3 changes"]
    assert len(slack.responses(url)) == 1
