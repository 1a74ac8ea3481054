"""The slash command's parsing and help text, and the Home tab built from digest data."""

from __future__ import annotations

from typing import Any

from bot.slack_app.commands import help_text, parse
from bot.slack_app.home_blocks import SHOWN, home_view


def test_known_subcommands_are_read_with_their_argument() -> None:
    assert parse("status") == ("status", "")
    assert parse("  EXPLAIN  github:acme/api#12 ") == ("explain", "github:acme/api#12")
    assert parse("notes extra words") == ("notes", "extra words")


def test_unknown_or_missing_subcommands_read_as_help() -> None:
    assert parse("") == ("help", "")
    assert parse("deploy everything") == ("help", "")


def test_help_names_every_subcommand_of_the_configured_command() -> None:
    text = help_text("/rt")
    for sub in ("status", "notes", "sync", "draft", "explain <change id or URL>", "help"):
        assert f"`/rt {sub}" in text


def home_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "train": "payments",
        "sprint": {"name": "Sprint 42", "last_day": "2026-11-29", "days_left": 3},
        "ticket": {"key": "PAY-7", "url": "https://jira.example.com/browse/PAY-7"},
        "tracked": True,
        "counts": {"continuous": 3, "needs-flag": 1},
        "total": 4,
        "violations": [
            {
                "title": f"<!channel> change {n}",
                "url": "javascript:alert(1)",
                "source": "api",
                "message": "needs a flag",
            }
            for n in range(SHOWN + 2)
        ],
        "violations_more": 0,
        "owed_contracts": [{"table": "refunds", "since_sprint": "Sprint 40"}],
        "owed_more": 0,
        "draft": {
            "version": 2,
            "state": "approved",
            "approved_by": "U1",
            "approved_at_local": "2026-11-27 10:00",
        },
    }
    data.update(extra)
    return data


def test_home_shows_each_train_with_its_state_and_keeps_titles_inert() -> None:
    view = home_view([home_data()], problems=["billing: the store cannot be read"])
    text = str(view)
    assert view["type"] == "home"
    assert "3 days left" in text and "<https://jira.example.com/browse/PAY-7|PAY-7>" in text
    assert "4 changes: 3 continuous, 1 needs-flag" in text
    assert "`refunds` since Sprint 40" in text
    assert "version 2 approved by <@U1> on 2026-11-27 10:00" in text
    assert "… and 2 more" in text
    assert "<!channel>" not in text and "javascript:" not in text
    assert "billing: the store cannot be read" in text
