"""A faithful fake Slack (Web API and response_url) over loopback, and a driver of signed requests.

Use the fixture (it starts the server, sets NO_PROXY for loopback, and fails the test at
teardown if any answer broke Slack's documented shapes or a request was one Slack would not
read, e.g. a token in the body or JSON sent to a form-only method):

    from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401

    def test_x(fake_slack: FakeSlack) -> None:  # noqa: F811 (the imported fixture)
        fake_slack.add_channel("C0RELEASE", "releases", members=["U0ALICE"])
        client = WebClient(token=fake_slack.bot_token, base_url=fake_slack.api_url)

or `with FakeSlack() as fake: ...` (then call `fake.assert_faithful()` yourself).

The workspace: team T0FAKETEAM, the bot user U0FAKEBOT (bot_id B0FAKEBOT, app A0FAKEAPP) with
exactly the bot scopes of deploy/slack-manifest.socket.yaml, as installing the app from it would
grant; each method needs the scope Slack documents for it (conversations.* the one of the
channel's kind), else it answers missing_scope. Every answer to the bot token carries the
`x-oauth-scopes` header listing them. Tokens: `bot_token` (Authorization: Bearer, for every
method) and `app_token` (apps.connections.open only).

Methods: auth.test, chat.postMessage (`metadata` {event_type, event_payload} kept; thread_ts),
chat.update, chat.postEphemeral, views.open (needs a trigger_id from `new_trigger_id`, used
once, within 3 seconds; an `external_id` unique among open views), views.update (by view_id or
external_id), views.publish (type home), usergroups.users.list, conversations.history (newest first;
limit <= 999, cursor paging, oldest/latest/inclusive; metadata only with include_all_metadata;
thread replies left out), conversations.info (`is_member` says whether the bot is in it),
users.info. Checks as Slack: channel_not_found, not_in_channel (bot not a member; postMessage
also takes "#name"), is_archived, no_text, msg_too_long (text > 40,000), invalid_blocks
(> 50 blocks, section text > 3,000, unknown block types, button text > 75...; the problems in
response_metadata.messages), invalid_metadata_format, message_not_found, cant_update_message,
user_not_in_channel, expired_trigger_id, no_such_subteam, missing_scope (after revoke_scope),
not_authed / invalid_auth.

Seeding: add_user(id, name, display_name=), add_channel(id, name, members=, bot_member=True,
private=False), join(channel, *users), remove_bot(channel), add_usergroup(id, users),
revoke_scope(scope), post_as(channel, text, user=, bot_id=None, metadata=None) (someone
else's message), new_trigger_id(user), new_response_url(channel=, user=, message_ts=).

response_url: POST <base_url>/response/<id> with JSON {text, blocks, response_type,
replace_original, delete_original, thread_ts}; ephemeral answers land in `ephemerals()`,
in_channel ones in `messages()`, replace_original edits the message named by `message_ts`.

Inspection: `calls` / calls_to(method) -> Call(method, args without the token, encoding
"json"|"form", HTTP status or None when dropped, error); messages(channel) -> Message (text,
blocks, metadata, thread_ts, history of "posted"/"updated"/"response_url"); ephemerals(user);
opened_views(); home(user); responses(response_url); violations.

Faults (a queue; each matches the next call to one method, "*" for any, and is used up):
    fail_next(method="*", kind="ratelimited", retry_after=1, error=None, times=1)
    kinds: ratelimited (HTTP 429, Retry-After unless retry_after=None, `ratelimited`),
    error (HTTP 200, ok false with `error`, e.g. "fatal_error"), commit_then_drop (perform the
    call, then close the connection without answering: a crash between post and stored ts),
    drop (close the connection without performing the call). method="response_url" faults the
    response_url posts instead: 429 "rate_limited" with Retry-After, or error -> HTTP 400 <error>.

Latency: slow(method, seconds) answers every later call to `method` ("*": any) that late, after
performing it (calls at once wait side by side), as a distant or busy Slack would.

Waiting for work an app does after it acknowledged: fake.wait_until(lambda fake: ...) polls
the condition (AssertionError after `timeout`, 10 s by default).

Socket Mode (`fake.socket`, a SocketModeServer): apps.connections.open with `app_token`
answers a single-use ws://127.0.0.1 url (a bot token gets not_allowed_token_type); the server
sends hello, answers pings, records acks. socket.wait_connected(n), socket.send(kind, payload,
accepts_response_payload=) -> envelope_id, socket.wait_ack(envelope_id) -> the ack,
socket.disconnect(reason) (the app reconnects through apps.connections.open), socket.envelopes,
socket.acks, socket.connections, socket.refused.

Drivers: tests.fakes.slack.driver.SlackDriver sends signed slash commands, block actions and
view submissions to an app's HTTP endpoint; tests.fakes.slack.socket_driver.SocketDriver sends
the same as Socket Mode envelopes and waits for their acks.
"""

from tests.fakes.slack.fake import APP_TOKEN, BOT_TOKEN, FakeSlack, fake_slack
from tests.fakes.slack.http import Call
from tests.fakes.slack.state import Ephemeral, Message, View

__all__ = [
    "APP_TOKEN",
    "BOT_TOKEN",
    "Call",
    "Ephemeral",
    "FakeSlack",
    "Message",
    "View",
    "fake_slack",
]
