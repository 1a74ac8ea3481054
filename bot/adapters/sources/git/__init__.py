"""The local git source: a clone's trunk read with a constant number of git processes.

Its modules mirror the GitHub and GitLab sources' where git has the same piece: `source`
(GitSource, the gathering), `client` (the git process runner: what talks to the backend, as
the HTTP clients do for the code hosts), `changes` (a trunk commit's message read as a
change: title, number, branch, trailers, author). Two have no hosted counterpart: `objects`
parses git's object output (rev-list, cat-file, raw commits) and walks merges, and `diffs`
reads every trunk commit's files, line counts and flag lines from one `git log` pass and builds
the migration patches a code host would send ready-made; `evidence` finds flag lines with a
filtered `git log -G` for callers that want those alone. There
is no `listing` (no merge requests to list) and no `cursor` module (the cursor is the tip's
commit id).
"""

from bot.adapters.sources.git.source import RESCAN_LIMIT, GitSource

__all__ = ["RESCAN_LIMIT", "GitSource"]
