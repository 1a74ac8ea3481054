"""The fake Slack answers the real slack_sdk WebClient as Slack does, and refuses what it would."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from http.client import RemoteDisconnected

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401
from tests.fakes.slack.schema import check_answer

CHANNEL = "C0RELEASE"
METADATA = {"event_type": "release_train_draft", "event_payload": {"train": "payments"}}


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:  # noqa: F811
    fake_slack.add_channel(CHANNEL, "releases", members=["U0ALICE"])
    return fake_slack


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])


def _error(call: object) -> str:
    assert isinstance(call, pytest.ExceptionInfo)
    error = call.value
    assert isinstance(error, SlackApiError)
    return str(error.response["error"])


def test_metadata_comes_back_only_when_asked_for(client: WebClient) -> None:
    client.chat_postMessage(channel=CHANNEL, text="notes", metadata=METADATA)
    plain = client.conversations_history(channel=CHANNEL)["messages"]
    full = client.conversations_history(channel=CHANNEL, include_all_metadata=True)["messages"]
    assert "metadata" not in plain[0]
    assert full[0]["metadata"] == METADATA


def test_history_is_newest_first_and_pages_with_a_cursor(client: WebClient) -> None:
    sent = [client.chat_postMessage(channel=CHANNEL, text=f"m{n}")["ts"] for n in range(5)]
    first = client.conversations_history(channel=CHANNEL, limit=2)
    second = client.conversations_history(
        channel=CHANNEL, limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    third = client.conversations_history(
        channel=CHANNEL, limit=2, cursor=second["response_metadata"]["next_cursor"]
    )
    seen = [m["ts"] for page in (first, second, third) for m in page["messages"]]
    assert seen == list(reversed(sent))
    assert (first["has_more"], third["has_more"]) == (True, False)
    assert "response_metadata" not in third.data


def test_oldest_leaves_out_earlier_messages_and_thread_replies(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="parent")["ts"]
    client.chat_postMessage(channel=CHANNEL, text="reply", thread_ts=parent)
    newer = client.chat_postMessage(channel=CHANNEL, text="newer")["ts"]
    messages = client.conversations_history(channel=CHANNEL, oldest=parent)["messages"]
    assert [m["ts"] for m in messages] == [newer]
    inclusive = client.conversations_history(channel=CHANNEL, oldest=parent, inclusive=True)
    assert [m["text"] for m in inclusive["messages"]] == ["newer", "parent"]


def test_channels_the_bot_cannot_use_are_refused(slack: FakeSlack, client: WebClient) -> None:
    slack.add_channel("C0QUIET", "quiet", bot_member=False)
    with pytest.raises(SlackApiError) as missing:
        client.chat_postMessage(channel="C0NOPE", text="x")
    with pytest.raises(SlackApiError) as outside:
        client.chat_postMessage(channel="C0QUIET", text="x")
    with pytest.raises(SlackApiError) as unread:
        client.conversations_history(channel="C0QUIET")
    with pytest.raises(SlackApiError) as by_name:
        client.conversations_history(channel="#releases")
    assert [_error(e) for e in (missing, outside, unread, by_name)] == [
        "channel_not_found",
        "not_in_channel",
        "not_in_channel",
        "channel_not_found",
    ]


def test_the_token_must_be_a_bearer_header(slack: FakeSlack) -> None:
    wrong = WebClient(token="xoxb-wrong", base_url=slack.api_url, retry_handlers=[])
    anonymous = WebClient(base_url=slack.api_url, retry_handlers=[])
    with pytest.raises(SlackApiError) as invalid:
        wrong.auth_test()
    with pytest.raises(SlackApiError) as missing:
        anonymous.auth_test()
    # slack_sdk itself moves a token argument into the header; a raw form post shows the rule.
    raw = urllib.request.Request(
        slack.api_url + "auth.test",
        data=urllib.parse.urlencode({"token": slack.bot_token}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(raw, timeout=5) as answer:
        in_body = json.loads(answer.read())
    assert [_error(e) for e in (invalid, missing)] == ["invalid_auth", "not_authed"]
    assert in_body == {"ok": False, "error": "not_authed"}
    assert slack.violations == ["auth.test: the token was sent in the body"]
    assert all("token" not in call.args for call in slack.calls)
    slack.violations.clear()


def test_message_limits_are_slacks(client: WebClient) -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    cases = [
        {"text": ""},
        {"text": "x" * 40_001},
        {"text": "x", "blocks": [section] * 51},
        {
            "text": "x",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}],
        },
        {"text": "x", "blocks": [{"type": "carousel"}]},
        {"text": "x", "metadata": {"event_type": "release_train_draft"}},
    ]
    errors = []
    for case in cases:
        with pytest.raises(SlackApiError) as refused:
            # api_call, because chat_postMessage warns before sending a message without text
            client.api_call("chat.postMessage", json={"channel": CHANNEL, **case})
        errors.append(_error(refused))
    assert errors == [
        "no_text",
        "msg_too_long",
        "invalid_blocks",
        "invalid_blocks",
        "invalid_blocks",
        "invalid_metadata_format",
    ]


def test_json_sent_to_a_form_only_method_is_refused_and_flagged(
    slack: FakeSlack, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.api_call("conversations.history", json={"channel": CHANNEL})
    assert _error(refused) == "invalid_arguments"
    assert slack.violations == [
        "conversations.history: Slack does not read JSON bodies for this method"
    ]
    slack.violations.clear()


def test_rate_limit_fault_is_a_429_with_retry_after(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel=CHANNEL, text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert _error(limited) == "ratelimited"
    client.chat_postMessage(channel=CHANNEL, text="x")  # the fault is used up
    assert len(slack.messages(CHANNEL)) == 1


def test_commit_then_drop_posts_but_never_answers(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", kind="commit_then_drop")
    with pytest.raises((RemoteDisconnected, urllib.error.URLError, ConnectionError)):
        client.chat_postMessage(channel=CHANNEL, text="posted anyway")
    assert [m.text for m in slack.messages(CHANNEL)] == ["posted anyway"]
    assert slack.calls_to("chat.postMessage")[0].status is None


def test_slack_sdk_default_retries_would_post_twice_after_a_drop(slack: FakeSlack) -> None:
    # Why the notifier switches slack_sdk's connection retry off.
    default = WebClient(token=slack.bot_token, base_url=slack.api_url)
    slack.fail_next("chat.postMessage", kind="commit_then_drop")
    default.chat_postMessage(channel=CHANNEL, text="notes")
    assert [m.text for m in slack.messages(CHANNEL)] == ["notes", "notes"]


def test_error_fault_answers_ok_false(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("*", kind="error", error="fatal_error")
    with pytest.raises(SlackApiError) as failed:
        client.auth_test()
    assert _error(failed) == "fatal_error"


def test_usergroups_need_their_scope(slack: FakeSlack, client: WebClient) -> None:
    slack.add_usergroup("S0APPROVE", ["U0ALICE"])
    assert client.usergroups_users_list(usergroup="S0APPROVE")["users"] == ["U0ALICE"]
    slack.revoke_scope("usergroups:read")
    with pytest.raises(SlackApiError) as refused:
        client.usergroups_users_list(usergroup="S0APPROVE")
    assert refused.value.response["needed"] == "usergroups:read"


def test_views_need_a_fresh_trigger_and_valid_shape(slack: FakeSlack, client: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "A title far over 24 chars"}}
    with pytest.raises(SlackApiError) as invalid:
        client.views_open(trigger_id=slack.new_trigger_id("U0ALICE"), view={**view, "blocks": []})
    assert _error(invalid) == "invalid_arguments"
    with pytest.raises(SlackApiError) as unknown:
        client.views_open(
            trigger_id="1.2.3",
            view={**view, "title": {"type": "plain_text", "text": "ok"}, "blocks": []},
        )
    assert _error(unknown) == "expired_trigger_id"


def test_users_info_names_people(slack: FakeSlack, client: WebClient) -> None:
    slack.add_user("U0DAVE", "dave", display_name="Dave D.")
    user = client.users_info(user="U0DAVE")["user"]
    assert (user["name"], user["profile"]["display_name"]) == ("dave", "Dave D.")


def test_the_shape_check_catches_drift() -> None:
    assert check_answer("chat.postEphemeral", {"ok": True, "message_ts": "1.2", "extra": 1}) == [
        "chat.postEphemeral: undocumented field extra"
    ]
    assert check_answer("chat.postMessage", {"ok": True, "channel": "C1"}) == [
        "chat.postMessage: missing ts",
        "chat.postMessage: missing message",
    ]
