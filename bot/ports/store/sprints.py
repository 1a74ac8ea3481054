"""The sprints role: a train's sprints as last seen, and each one's remembered ticket."""

from __future__ import annotations

from typing import Protocol

from bot.domain.model import Sprint


class Sprints(Protocol):
    """A train's sprints as last seen, and the Release Train ticket remembered for each."""

    def save_sprint(self, *, train: str, sprint: Sprint) -> None:
        """Insert or update the sprint's window; its remembered ticket is kept."""
        ...

    def list_sprints(self, *, train: str) -> list[Sprint]:
        """Every saved sprint of the train, earliest start first."""
        ...

    def get_ticket_key(self, *, train: str, sprint: Sprint) -> str | None:
        """The ticket remembered for the sprint (matched by Jira id when it has one, else name)."""
        ...

    def ticket_key_named(self, *, train: str, sprint: str) -> str | None:
        """The ticket remembered for the sprint of that name (one query)."""
        ...

    def set_ticket_key(self, *, train: str, sprint: Sprint, key: str) -> None:
        """Remember the sprint's ticket (saving the sprint too when it is not saved yet)."""
        ...
