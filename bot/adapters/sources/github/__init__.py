"""The GitHub source: merged pull requests and direct pushes, read over GitHub's REST API.

Modules: `source` (GitHubSource), `client` (HTTP, rate limits, paging), `listing` (pull
requests merged since a time), `trunk` (the branch's new first-parent commits), `cursor`
(what the store keeps between syncs) and `changes` (the JSON turned into changes).
"""

from bot.adapters.sources.github.client import GitHubClient
from bot.adapters.sources.github.source import GitHubSource

__all__ = ["GitHubClient", "GitHubSource"]
