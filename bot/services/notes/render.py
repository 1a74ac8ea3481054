"""A sprint's release notes as every entry point asks for them: its context, rendered.

A call reads the sprint's changes once (a lean read) and renders one template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.errors import ConfigError
from bot.ports.render import Renderer
from bot.services.notes.context import build_notes_context
from bot.services.views.report import count_classes
from bot.services.views.status import TrainView, TrainViews


class SprintNotes:
    """Builds and renders the release notes of a train's sprints."""

    def __init__(self, *, train: str, views: TrainViews, renderer: Callable[[], Renderer]) -> None:
        self._train = train
        self._views = views
        self._renderer = renderer

    def context(self, *, sprint_name: str | None = None) -> dict[str, Any]:
        """The data the notes templates receive, for the named (or current) sprint."""
        return self.context_of(self._views.read(sprint_name=sprint_name))

    def context_of(self, view: TrainView) -> dict[str, Any]:
        """The notes context of a view already read; an error when no sprint holds today."""
        if view.sprint is None:
            raise ConfigError(
                f"train '{self._train}' has no sprint holding the current date; "
                "name one with --sprint"
            )
        return build_notes_context(
            train=self._train,
            sprint=view.sprint,
            changes=view.changes,
            ticket=view.ticket,
            draft=view.draft,
            tz=view.tz,
        )

    def render(self, *, fmt: str, sprint_name: str | None = None) -> str:
        """The notes of the named (or current) sprint in `fmt` (markdown, slack or jira)."""
        return self.render_for_people(fmt=fmt, sprint_name=sprint_name)[0]

    def render_for_people(
        self, *, fmt: str, sprint_name: str | None = None
    ) -> tuple[str, str | None]:
        """The notes, and for an empty sprint where the changes are (`notes --sprint latest`)."""
        renderer = self._renderer()  # a bad templates folder is named before the store is read
        view = self._views.read(sprint_name=sprint_name)
        text = renderer.render_notes(context=self.context_of(view), fmt=fmt)
        return text, view.empty_hint("notes")

    def current_for_slack(self) -> tuple[str, str, dict[str, int]]:
        """The current sprint's name, its notes in Slack mrkdwn, and its counts by class."""
        renderer = self._renderer()
        view = self._views.read()
        context = self.context_of(view)
        assert view.sprint is not None  # noqa: S101 - context_of refuses a view without one
        text = renderer.render_notes(context=context, fmt="slack")
        return view.sprint.name, text, count_classes(view.changes)
