"""Texts written to Jira stay within Jira's limits, whatever the length of a change's title."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.services.tickets.summary import SUMMARY_MARKER
from tests.e2e.jira_site import JiraSite, build_site, serve, writes
from tests.fakes.jira import FakeJira
from tests.fakes.jira.routes_issues import SUMMARY_LIMIT, TEXT_LIMIT, java_length

# 250 added lines under web/ without a flag: a violation, so the title is in the comment too.
BIG_UI_CHANGE = {"web/page.tsx": "line\n" * 250}


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    yield from serve(request.param)


@pytest.fixture
def site(tmp_path: Path, fake: FakeJira) -> JiraSite:
    return build_site(tmp_path, fake)


def test_a_forty_thousand_character_title_is_cut_to_fit_every_jira_text(site: JiraSite) -> None:
    site.merge("feat: " + "😀" * 40_000, minutes=5, files=BIG_UI_CHANGE)

    result = site.sync("--json")

    assert result.code == 0, result.err
    key = result.json()["ticket"]["key"]
    refused = [r.path for r in writes(site.fake.requests) if (r.status or 0) >= 400]
    assert refused == []
    [comment] = site.fake.comments(key)
    assert SUMMARY_MARKER in comment.text
    assert "Shortened to fit Jira's" in comment.text
    compact = json.dumps(comment.body, ensure_ascii=False, separators=(",", ":"))
    body = comment.body if isinstance(comment.body, str) else compact
    assert java_length(body) <= TEXT_LIMIT
    titles = [link["object"]["title"] for link in site.fake.remote_links(key)]
    assert all(java_length(title) <= SUMMARY_LIMIT for title in titles)
    assert any(title.startswith("[api] feat: 😀") and title.endswith("…") for title in titles)
