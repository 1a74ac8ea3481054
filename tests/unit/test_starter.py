"""The starter configuration's names, first sprint, store and policy."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from pydantic import TypeAdapter

from bot.settings import Name
from bot.settings.starter import first_sprint_day, ignore_line, starter_config, train_name

_NAME = TypeAdapter(Name)


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("payments-api", "payments-api"),
        ("payments api", "payments-api"),
        ("my repo!", "my-repo"),
        ("My Repo!", "My-Repo"),
        ("_tools", "tools"),
        (".dotfiles", "dotfiles"),
        ("-x-", "x"),
        ("...", "release-train"),
        ("日本語", "release-train"),
        ("ünï", "uni"),
        ("Crème Brûlée", "Creme-Brulee"),
        ("a" * 100, "a" * 64),
        ("a" * 63 + "-b", "a" * 63),
    ],
)
def test_a_folder_name_becomes_a_valid_train_name(folder: str, expected: str) -> None:
    assert train_name(folder) == expected


@pytest.mark.parametrize(
    "folder",
    ["_", "__init__", "-", ".git", "a b c", "x" * 200, "9lives", "a..b", "_a_", "\t", "🚂 train"],
)
def test_every_derived_name_passes_the_settings_name_check(folder: str) -> None:
    assert _NAME.validate_python(train_name(folder)) == train_name(folder)


@pytest.mark.parametrize(
    ("today", "first_day"),
    [
        (date(2026, 12, 7), date(2026, 11, 9)),  # a Monday: four weeks before this Monday
        (date(2026, 12, 10), date(2026, 11, 9)),  # a Thursday
        (date(2026, 12, 13), date(2026, 11, 9)),  # a Sunday
        (date(2026, 12, 14), date(2026, 11, 16)),  # the next Monday
        (date(2027, 1, 1), date(2026, 11, 30)),  # across a year
    ],
)
def test_the_first_sprint_starts_on_the_monday_four_weeks_before_this_week(
    today: date, first_day: date
) -> None:
    assert first_sprint_day(today) == first_day
    assert first_sprint_day(today).weekday() == 0


def test_quotes_and_backslashes_in_paths_stay_literal() -> None:
    text = starter_config(
        name="api",
        repo_path='odd "dir"\\x',
        branch=None,
        first_day=date(2026, 11, 30),
        store_url="sqlite:////tmp/a b/release-train.db",
    )

    parsed = tomllib.loads(text)
    [source] = parsed["trains"][0]["sources"]
    assert source["path"] == 'odd "dir"\\x'
    assert "branch" not in source
    assert parsed["store"]["url"] == "sqlite:////tmp/a b/release-train.db"


def test_the_source_starts_reading_on_the_first_sprints_day_and_says_how_to_go_back() -> None:
    text = starter_config(
        name="api",
        repo_path=".",
        branch="main",
        first_day=date(2026, 11, 9),
        store_url="sqlite:///release-train.db",
    )

    parsed = tomllib.loads(text)
    [train] = parsed["trains"]
    assert train["sprint"]["first_day"] == "2026-11-09"
    assert train["sources"][0]["since"] == "2026-11-09"
    assert "release-train sync --since DAY" in text
    assert "policy" not in parsed


def test_post_deployment_folders_are_written_to_the_policy() -> None:
    text = starter_config(
        name="api",
        repo_path=".",
        branch="main",
        first_day=date(2026, 11, 9),
        store_url="sqlite:///release-train.db",
        post_deploy_paths=["db/post_migrate/**", "ee/db/post_migrate/**"],
    )

    assert tomllib.loads(text)["policy"] == {
        "post_deploy_paths": ["db/post_migrate/**", "ee/db/post_migrate/**"]
    }


def test_the_ignore_line_covers_the_files_sqlite_writes_beside_the_store() -> None:
    assert ignore_line("release-train.db") == "release-train.db*"
    assert ignore_line("ops/release-train.db") == "ops/release-train.db*"
