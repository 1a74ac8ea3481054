"""Jira as the issue tracker: the JiraTracker adapter and the rendering of documents for Jira."""

from bot.adapters.jira_tracker.tracker import JiraTracker
from bot.errors import WriteOutcomeUnknownError

__all__ = ["JiraTracker", "WriteOutcomeUnknownError"]
