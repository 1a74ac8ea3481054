"""The starter configuration `release-train init` writes: one train over one local repository."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


def train_name(folder: str) -> str:
    """A train or source name from a folder's name (letters, digits, '.', '_', '-')."""
    return _NAME_CHARACTERS.sub("-", folder).strip("-.") or "main"


def sprint_start(today: date) -> date:
    """The Monday of the week holding `today`: where the first two-week sprint starts."""
    return today - timedelta(days=today.weekday())


def starter_config(
    *, name: str, repo_path: str, branch: str | None, first_day: date, store_url: str
) -> str:
    """A commented TOML file: a SQLite store, the repository as a git source, two-week sprints."""
    branch_line = (
        f"branch = {_string(branch)}"
        if branch
        else '# branch = "main"  (default: the branch checked out)'
    )
    return f"""# release-train configuration, written by `release-train init`.
#
# It follows the git repository below in two-week sprints and keeps its record in a local
# SQLite file, with no external service. Try it:
#
#   release-train sync      # gather, classify and record the changes merged into the trunk
#   release-train status    # the current sprint at a glance
#   release-train notes     # its draft release notes
#   release-train check     # validate this file
#
# Every key may also be set from the environment (RELEASE_TRAIN_STORE__URL, ...); secrets (API
# tokens) are only ever read from the environment. Relative paths are relative to this file.
# The example configuration shipped with release-train documents every key, including [jira]
# (the sprint's Release Train ticket), [slack], [github], [gitlab] and [policy].

[store]
# Where the record of every change is kept (a SQLAlchemy URL); `sync` creates it.
url = {_string(store_url)}

[[trains]]
# The train's name, used by --train when a file holds several.
name = {_string(name)}
# The time zone for sprint boundaries and the dates shown to people.
timezone = "UTC"

  [trains.sprint]
  # Fixed two-week sprints: "Sprint 1" starts at 00:00 of first_day (or take them from a Jira
  # board with board_id, which needs [jira]).
  length_days = 14
  first_day = "{first_day.isoformat()}"

  [[trains.sources]]
  # Part of every change id: keep it stable.
  name = {_string(name)}
  kind = "git"
  # The repository's folder (a local clone; read only).
  path = {_string(repo_path)}
  # The trunk.
  {branch_line}
  # A link for each change, with {{sha}} standing for the full commit id:
  # web_url = "https://git.example.com/{name}/commit/{{sha}}"
"""


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
