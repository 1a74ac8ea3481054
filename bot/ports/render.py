"""Turning release-notes data into text (the templates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Renderer(Protocol):
    """Turns release-notes data into text for one target format."""

    def render_notes(self, *, context: Mapping[str, Any], fmt: str) -> str: ...

    def render_template(self, *, name: str, context: Mapping[str, Any]) -> str:
        """Any template by its file name (`digest.slack.j2`), with the same filters."""
        ...

    def check_templates(self) -> list[str]:
        """Render every template with sample data; returns the problems found."""
        ...
