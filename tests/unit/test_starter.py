"""The starter configuration's names and first sprint."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bot.settings.starter import sprint_start, starter_config, train_name


@pytest.mark.parametrize(
    ("folder", "expected"),
    [("payments-api", "payments-api"), ("my repo!", "my-repo"), ("...", "main"), ("ünï", "n")],
)
def test_a_folder_name_becomes_a_valid_train_name(folder: str, expected: str) -> None:
    assert train_name(folder) == expected


def test_the_first_sprint_starts_on_the_monday_of_this_week() -> None:
    assert sprint_start(date(2026, 12, 3)) == date(2026, 11, 30)  # a Thursday
    assert sprint_start(date(2026, 11, 30)) == date(2026, 11, 30)


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
