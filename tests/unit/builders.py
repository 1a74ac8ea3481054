"""Builders of domain objects for unit tests: each names only what its test is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.domain.model import Change

_BASE = Change(
    id="git:api:" + "0" * 40,
    source="api",
    title="Tidy up",
    merged_at=datetime(2026, 3, 2, tzinfo=UTC),
)


def make_change(**fields: Any) -> Change:
    """A plain change of a local git source, with `fields` set."""
    return replace(_BASE, **fields)
