"""The GitLab source: merged merge requests and direct pushes, read over GitLab's REST API (v4).

Modules: `source` (GitLabSource), `client` (HTTP, rate limits, paging), `listing` (merge
requests merged since a time), `trunk` (the branch's new first-parent commits and which are
direct pushes), `cursor` (what the store keeps between polls) and `changes` (the JSON turned
into changes).
"""

from bot.adapters.sources.gitlab.client import GitLabClient
from bot.adapters.sources.gitlab.source import GitLabSource

__all__ = ["GitLabClient", "GitLabSource"]
