"""The starter configuration `release-train init` writes: one train over one local repository.

Pure text and derivations (a name from a folder, the first sprint's day, the .gitignore line for
the store); what init reads of the repository and the writing itself are in `first_run`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta

# The train-name shape the settings accept (bot.settings.fields.Name): a letter or digit, then
# up to 63 letters, digits, '.', '_' or '-'.
_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_MAX = 64
FALLBACK_NAME = "release-train"
STORE_FILE = "release-train.db"
# How far back the first sync reaches: the first sprint starts this many weeks before the
# Monday of the current week, so a repository with recent history shows it at once.
WEEKS_BACK = 4


def train_name(folder: str) -> str:
    """A train or source name from a folder's name that the settings always accept: accents
    dropped (`ünï` -> `uni`), every other run of characters a name cannot hold made one '-',
    starting with a letter or digit, at most 64 characters; `release-train` when nothing is
    left."""
    ascii_text = unicodedata.normalize("NFKD", folder).encode("ascii", "ignore").decode("ascii")
    name = _NAME_CHARACTERS.sub("-", ascii_text)
    name = re.sub(r"^[^A-Za-z0-9]+", "", name)[:_NAME_MAX].rstrip("-._")
    return name or FALLBACK_NAME


def first_sprint_day(today: date) -> date:
    """The Monday `WEEKS_BACK` weeks before the Monday of the week holding `today` (today's
    Monday counts as this week's): where Sprint 1 starts and the first sync begins."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(weeks=WEEKS_BACK)


def ignore_line(store: str) -> str:
    """The .gitignore line that keeps the store, and the -wal and -shm files SQLite writes
    beside it, out of git; `store` is its path from the repository's top folder."""
    return f"{store}*"


def starter_config(
    *,
    name: str,
    repo_path: str,
    branch: str | None,
    first_day: date,
    store_url: str,
    post_deploy_paths: Sequence[str] = (),
) -> str:
    """A commented TOML file: a SQLite store, the repository as a git source read from
    `first_day`, two-week sprints from `first_day`, and (when the repository has
    post-deployment migration folders) the `[policy]` that names them."""
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
# Where the record of every change is kept (a SQLAlchemy URL); `sync` creates it. Three
# slashes and a relative name: the file beside this one. Keep it out of git.
url = {_string(store_url)}
{_policy(post_deploy_paths)}
[[trains]]
# The train's name, used by --train when a file holds several.
name = {_string(name)}
# The time zone for sprint boundaries and the dates shown to people.
timezone = "UTC"

  [trains.sprint]
  # Fixed two-week sprints: "Sprint 1" starts at 00:00 of first_day (or take them from a Jira
  # board with board_id, which needs [jira]). init puts first_day {WEEKS_BACK} weeks back, so the
  # first sync already has history to show.
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
  # Where the first sync starts reading the trunk. To go further back, make this day and
  # first_day above earlier (a sprint holds only changes from its first_day on); once a sync
  # has run, also run `release-train sync --since DAY` to read the earlier changes (those
  # already recorded are kept, each once).
  since = "{first_day.isoformat()}"
  # A link for each change, with {{sha}} standing for the full commit id:
  # web_url = "https://git.example.com/{name}/commit/{{sha}}"
"""


def _policy(post_deploy_paths: Sequence[str]) -> str:
    """The `[policy]` table naming the repository's post-deployment migration folders, or
    nothing when it has none (the defaults then apply to every key)."""
    if not post_deploy_paths:
        return ""
    items = ", ".join(_string(path) for path in post_deploy_paths)
    return f"""
[policy]
# The release rules; every key left out keeps its default (see the example configuration).
# Migrations in these folders run after the new code is deployed, so each is a contract stage
# (drop or rename) whatever it holds. init found them in this repository; the default is
# ["**/db/post_migrate/**", "**/post_migrations/**"].
post_deploy_paths = [{items}]
"""


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
