"""`release-train draft` and `digest` as a user runs them, against the fake Slack over HTTP."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.slack_site import CHANNEL, HOSTILE, SlackSite, build_site, drafted
from tests.fakes.slack import FakeSlack, fake_slack  # noqa: F401 (the fixture)


def site_of(tmp_path: Path, fake: FakeSlack) -> SlackSite:
    return build_site(tmp_path, fake)


def test_draft_posts_the_notes_once_and_an_unchanged_rerun_posts_nothing(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    site.merge("feat: add refund reason", minutes=5)

    message = drafted(site)
    again = site.ok("draft")

    assert "version 1" in again.out and "nothing posted" in again.out
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert message.metadata == {
        "event_type": "release_train_draft",
        "event_payload": {"train": "payments", "sprint": "Sprint 1", "version": 1},
    }
    texts = " ".join(str(b.get("text", {}).get("text", "")) for b in message.blocks)
    assert "add refund reason" in texts
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "approve_draft",
        "request_changes",
        "edit_draft",
    ]


def test_new_changes_post_a_new_version_and_retire_the_old_buttons(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    site.merge("feat: add refund reason", minutes=5)
    first = drafted(site)
    site.merge("fix: round refunds", minutes=10)

    site.ok("sync")
    posted = site.ok("draft")

    assert "posted version 2" in posted.out
    old, new = site.drafts()
    assert old.ts == first.ts
    assert not [b for b in old.blocks if b["type"] == "actions"]
    assert "Superseded by version 2" in str(old.blocks[-1])
    assert [b for b in new.blocks if b["type"] == "actions"]
    assert site.ok("status", "--json").json()["draft"]["version"] == 2


def test_a_stop_between_posting_and_storing_the_ts_never_posts_twice(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    site.merge("feat: add refund reason", minutes=5)
    site.ok("sync")
    fake_slack.fail_next("chat.postMessage", kind="commit_then_drop")

    lost = site.run("draft")
    healed = site.ok("draft")
    third = site.ok("draft")

    assert lost.code == 3, lost.err
    assert "already in the channel" in healed.out
    assert "nothing posted" in third.out
    assert len(site.drafts()) == 1


def test_hostile_titles_are_inert_in_the_draft_message(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    site.merge(f"feat: {HOSTILE}", minutes=5)

    message = drafted(site)

    shown = [str(b.get("text", {}).get("text", "")) for b in message.blocks] + [message.text]
    for text in shown:
        assert "<!channel>" not in text and "<@U0MALLORY>" not in text
        assert "<https://evil.test" not in text
    assert any("&lt;!channel&gt;" in text for text in shown)
    for call in fake_slack.calls_to("chat.postMessage"):
        assert "link_names" not in call.args and call.args.get("parse") != "full"


def test_digest_dry_run_prints_markdown_and_posts_nothing(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    site.merge("feat: add refund reason", minutes=5)
    site.merge(
        "feat: expand refunds",
        minutes=6,
        files={
            "db/migrations/0001_add_reason.sql": "ALTER TABLE refunds ADD COLUMN reason text;\n"
        },
    )
    site.ok("sync")

    printed = site.ok("digest", "--dry-run")

    assert printed.out.startswith("# Sprint digest — payments, Sprint ")
    assert "days left" in printed.out
    assert "3 changes: 2 continuous, 1 migration-expand." in printed.out
    assert "table `refunds`" in printed.out
    assert "No draft posted yet." in printed.out
    assert "May approve: U0ALICE, S0LEADS" in printed.out
    assert fake_slack.calls_to("chat.postMessage") == []


def test_digest_posts_one_message_with_the_draft_state(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    site.merge("feat: add refund reason", minutes=5)
    drafted(site)

    site.ok("digest")

    digests = [m for m in fake_slack.messages(CHANNEL) if "Sprint digest" in m.text]
    assert len(digests) == 1
    body = "\n".join(str(b["text"]["text"]) for b in digests[0].blocks)
    assert "Version 1 awaits approval." in body
    assert "May approve: <@U0ALICE>, <!subteam^S0LEADS>" in body


def test_missing_bot_token_is_a_configuration_error_naming_the_variable(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)

    done = site.run("draft", without=("RELEASE_TRAIN_SLACK__BOT_TOKEN",))

    assert done.code == 2
    assert "RELEASE_TRAIN_SLACK__BOT_TOKEN" in done.err
    assert fake_slack.calls == []


def test_check_online_reads_the_token_the_channel_and_the_approver_group(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)

    done = site.run("check", "--online")

    assert done.code == 0, done.out + done.err
    assert "ok    slack: Slack workspace" in done.out
    assert "ok    slack scopes: the token holds all 8 bot scopes the bot needs" in done.out
    assert "ok    slack mode: http mode: RELEASE_TRAIN_SLACK__SIGNING_SECRET is set" in done.out
    assert f"ok    train payments slack channel: the bot is in {CHANNEL}" in done.out
    assert "ok    train payments approver group S0LEADS: 1 member(s) readable" in done.out


def test_check_online_fails_when_the_bot_is_not_in_the_channel(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    fake_slack.remove_bot(CHANNEL)

    done = site.run("check", "--online")

    assert done.code == 3
    assert f"FAIL  train payments slack channel: the bot is not in channel {CHANNEL}" in done.out


def test_check_online_names_the_scope_the_installed_app_lacks(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)
    fake_slack.revoke_scope("users:read")  # an app installed before the manifest asked for it

    done = site.run("check", "--online")

    assert done.code == 3, done.out + done.err
    assert (
        "FAIL  slack scopes: the bot token lacks 1 scope(s) the bot needs: users:read "
        "(for users.info)" in done.out
    )
    assert "ok    slack: Slack workspace" in done.out


def test_check_names_the_missing_secret_of_the_mode(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811
) -> None:
    site = site_of(tmp_path, fake_slack)

    done = site.run("check", "--online", without=("RELEASE_TRAIN_SLACK__SIGNING_SECRET",))

    assert done.code == 2
    assert "RELEASE_TRAIN_SLACK__SIGNING_SECRET" in done.out + done.err
