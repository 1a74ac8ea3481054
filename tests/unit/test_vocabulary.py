"""How people are shown changes, sprint windows and drafts: one form each, everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import DraftState, Sprint
from bot.services.views.vocabulary import draft_line, short_id, window_text
from tests.unit.builders import make_change

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_window_is_its_first_and_last_day_in_the_trains_zone() -> None:
    # Midnight in Berlin is 23:00 UTC the day before; the end is excluded.
    sprint = Sprint(
        name="Sprint 1",
        start=datetime(2026, 11, 15, 23, tzinfo=UTC),
        end=datetime(2026, 11, 29, 23, tzinfo=UTC),
    )

    assert window_text(sprint, BERLIN) == "16 Nov \u2013 29 Nov 2026"
    assert window_text(sprint, ZoneInfo("UTC")) == "15 Nov \u2013 29 Nov 2026"


def test_a_window_across_new_year_names_both_years() -> None:
    sprint = Sprint(
        name="Sprint 9",
        start=datetime(2025, 12, 29, tzinfo=UTC),
        end=datetime(2026, 1, 12, tzinfo=UTC),
    )

    assert window_text(sprint, ZoneInfo("UTC")) == "29 Dec 2025 \u2013 11 Jan 2026"


@pytest.fixture
def approved() -> DraftState:
    return DraftState(
        version=3,
        state="approved",
        approved_by="Dana",
        approved_at=datetime(2026, 11, 20, 13, 30, tzinfo=UTC),
    )


def test_draft_line_for_each_state(approved: DraftState) -> None:
    assert draft_line(DraftState()) == "none"
    assert draft_line(DraftState(version=2, state="pending")) == "pending v2"
    assert draft_line(approved) == "approved v3 by Dana at 2026-11-20 13:30 UTC"
    assert draft_line(approved, BERLIN) == "approved v3 by Dana at 2026-11-20 14:30 Europe/Berlin"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": "gitlab:group/api!12", "number": 12}, "!12"),
        ({"id": "github:acme/api#418", "number": 418}, "#418"),
        ({"id": "git:api:" + "deb16463d1" * 4, "sha": "deb16463d1" * 4}, "deb1646"),
    ],
)
def test_one_short_id_form(fields: dict[str, object], expected: str) -> None:
    assert short_id(make_change(**fields)) == expected
