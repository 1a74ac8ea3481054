"""`release-train sync` and `check --online` when Jira refuses the token or hides the ticket."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.jira_site import (
    TOKEN_ENV,
    JiraSite,
    build_site,
    links_by_global_id,
    serve,
    writes,
)
from tests.fakes.jira import FakeJira

BAD_TOKEN = "not-the-token-3f9a"  # a wrong credential on purpose


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    yield from serve(request.param)


@pytest.fixture
def site(tmp_path: Path, fake: FakeJira) -> JiraSite:
    return build_site(tmp_path, fake)


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_cloud_searches_only_with_search_jql(site: JiraSite) -> None:
    site.merge("Add refund reason", minutes=5)

    assert site.sync().code == 0
    assert site.run("check", "--online").code == 0
    site.merge("Fix rounding", minutes=10)
    assert site.sync().code == 0

    paths = [r.path for r in site.fake.requests]
    assert "/rest/api/3/search/jql" in paths
    assert not [p for p in paths if re.fullmatch(r"/rest/api/[23]/search", p)]


def test_refused_credentials_exit_3_naming_the_setting_and_keep_changes_queued(
    site: JiraSite,
) -> None:
    assert site.sync().code == 0
    queued = site.merge("Add refund reason", minutes=5)

    refused = site.sync("--json", token=BAD_TOKEN)

    assert refused.code == 3
    [line] = refused.err.strip().splitlines()
    assert "Jira" in line
    assert TOKEN_ENV in line
    assert BAD_TOKEN not in refused.err + refused.out
    # The change is recorded, and queued for the ticket.
    attached = {c["id"]: c["attached"] for c in refused.json()["changes"]}
    assert attached[queued] is False

    later = site.sync("--json")

    assert later.code == 0, later.err
    assert all(c["attached"] for c in later.json()["changes"])
    key = later.json()["ticket"]["key"]
    assert f"release-train:{queued}" in links_by_global_id(site.fake, key)


def test_a_remembered_ticket_that_is_hidden_is_named_and_never_replaced(site: JiraSite) -> None:
    first = site.sync("--json")
    assert first.code == 0, first.err
    key = first.json()["ticket"]["key"]
    site.fake.hide_issue(key)
    site.merge("Add refund reason", minutes=5)
    mark = site.mark()

    result = site.sync("--json")

    assert result.code == 3
    [line] = result.err.strip().splitlines()
    assert key in line
    assert {c["title"]: c["attached"] for c in result.json()["changes"]}[
        "Add refund reason"
    ] is False
    assert writes(site.since(mark)) == []
    creates = [r for r in site.fake.requests if re.fullmatch(r"/rest/api/[23]/issue", r.path)]
    assert len(creates) == 1


def test_check_online_reports_auth_board_and_ticket(site: JiraSite) -> None:
    assert site.sync().code == 0
    mark = site.mark()

    result = site.run("check", "--online")

    assert result.code == 0, result.out + result.err
    lines = result.out.splitlines()
    [auth] = [line for line in lines if line.startswith("ok    jira: ")]
    kind = "Cloud" if site.fake.mode == "cloud" else "Data Center"
    assert f"Jira {kind}" in auth
    [board] = [line for line in lines if "train payments board" in line]
    assert board.startswith("ok") and "Sprint 7" in board
    assert f"/rest/agile/1.0/board/{site.board}/sprint" in [r.path for r in site.since(mark)]
    [ticket] = [line for line in lines if "train payments ticket" in line]
    assert ticket.startswith("ok") and "PAY-1" in ticket
    assert writes(site.since(mark)) == []


def test_check_online_with_a_refused_token_exits_3(site: JiraSite) -> None:
    result = site.run("check", "--online", token=BAD_TOKEN)

    assert result.code == 3
    [auth] = [line for line in result.out.splitlines() if line.startswith("FAIL  jira: ")]
    assert TOKEN_ENV in auth
    assert BAD_TOKEN not in result.out + result.err
