"""The local git source: a clone's trunk read with git plumbing, one subprocess at a time.

Its modules mirror the GitHub and GitLab sources' where git has the same piece: `source`
(GitSource, the gathering), `client` (the git process runner: what talks to the backend, as
the HTTP clients do for the code hosts), `changes` (a trunk commit's message read as a
change: title, number, branch, trailers, author). Two have no hosted counterpart: `objects`
parses git's object output (rev-list, cat-file, raw commits) and walks merges, and `diffs`
parses diff-tree and builds the migration patches a code host would send ready-made. There
is no `listing` (no merge requests to list) and no `cursor` module (the cursor is the tip's
commit id).
"""

from bot.adapters.sources.git.source import RESCAN_LIMIT, GitSource

__all__ = ["RESCAN_LIMIT", "GitSource"]
