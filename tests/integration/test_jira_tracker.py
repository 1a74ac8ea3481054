"""JiraTracker against the fake Jira over HTTP, as Cloud and as Data Center."""

from __future__ import annotations

import socket
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from bot.adapters.jira_tracker import JiraTracker, WriteOutcomeUnknownError
from bot.domain.document import Document, Heading, Link, Paragraph, Text
from bot.errors import (
    AuthError,
    RateLimitedError,
    ServiceError,
    TicketNotFoundError,
)
from bot.ports.tracker import RemoteLink
from tests.fakes.jira import FakeJira, fake_jira_cloud, fake_jira_datacenter  # noqa: F401

HOSTILE = "[~accountid:x] !http://evil.test/a.png! {code}"
HOSTILE_ESCAPED = r"\[\~accountid:x\] \!http://evil.test/a.png\! \{code\}"
SPRINT_START = datetime(2026, 11, 16, 8, tzinfo=UTC)
SPRINT_END = datetime(2026, 11, 30, 8, tzinfo=UTC)

MakeTracker = Callable[..., JiraTracker]


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> FakeJira:
    """The fake Jira in each deployment, with the PAY project."""
    site: FakeJira = request.getfixturevalue(f"fake_jira_{request.param}")
    site.add_project("PAY")
    return site


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the tracker asked for, instead of waiting."""
    return []


@pytest.fixture
def make_tracker(fake: FakeJira, sleeps: list[float]) -> Iterator[MakeTracker]:
    made: list[JiraTracker] = []

    def make(**overrides: object) -> JiraTracker:
        settings: dict[str, object] = {
            "url": fake.base_url,
            "deployment": fake.mode,
            "email": fake.email if fake.mode == "cloud" else None,
            "token": fake.token,
            "timeout": 5.0,
            "sleep": sleeps.append,
        }
        settings.update(overrides)
        tracker = JiraTracker(**settings)  # type: ignore[arg-type]
        made.append(tracker)
        return tracker

    yield make
    for tracker in made:
        tracker.close()


@pytest.fixture
def tracker(make_tracker: MakeTracker) -> JiraTracker:
    return make_tracker()


def _paragraph(text: str) -> Document:
    return Document((Paragraph((Text(text),)),))


def _create(tracker: JiraTracker, summary: str = "Release Train: Sprint 42") -> str:
    ticket = tracker.create_ticket(
        project="PAY",
        issue_type="Task",
        summary=summary,
        labels=["release-train"],
        description=_paragraph(summary),
    )
    return ticket.key


def _writes(fake: FakeJira) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.writes]


def test_server_check_names_the_deployment_version_and_account(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    line = tracker.server_check()

    kind = "Cloud" if fake.mode == "cloud" else "Data Center"
    assert line.startswith(f"Jira {kind} ")
    assert line.endswith(f" as {fake.email}")


def test_created_ticket_is_read_back_directly_and_joins_the_sprint(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    board = fake.add_board("PAY")
    sprint = fake.add_sprint(board, "Sprint 42", "active", SPRINT_START, SPRINT_END)

    created = tracker.create_ticket(
        project="PAY",
        issue_type="Task",
        summary="Release Train:\nSprint 42",
        labels=["release-train"],
        description=None,
    )
    tracker.add_to_sprint(sprint_id=str(sprint), keys=[created.key])

    assert tracker.get_ticket(key=created.key) == created
    assert created.url == f"{fake.base_url}/browse/{created.key}"
    stored = fake.issue(created.key)
    assert stored.summary == "Release Train: Sprint 42"
    assert stored.labels == ("release-train",)
    assert stored.sprint_ids == (sprint,)
    api = "3" if fake.mode == "cloud" else "2"
    assert _writes(fake) == [
        ("POST", f"/rest/api/{api}/issue"),
        ("POST", f"/rest/agile/1.0/sprint/{sprint}/issue"),
    ]


def test_sprint_takes_at_most_fifty_issues_per_request(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    board = fake.add_board("PAY")
    sprint = fake.add_sprint(board, "Sprint 42", "active", SPRINT_START, SPRINT_END)
    keys = [fake.add_issue("PAY", f"change {n}") for n in range(120)]

    tracker.add_to_sprint(sprint_id=str(sprint), keys=keys)

    assert [len(r.body["issues"]) for r in fake.writes] == [50, 50, 20]
    assert all(fake.issue(key).sprint_ids == (sprint,) for key in keys)


def test_board_sprints_are_aware_utc_windows_and_undated_sprints_are_left_out(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    board = fake.add_board("PAY")
    for n in range(60):  # more than one page of closed sprints
        start = datetime(2024, 1, 1, tzinfo=UTC) + (SPRINT_END - SPRINT_START) * n
        fake.add_sprint(board, f"Old {n}", "closed", start, start + (SPRINT_END - SPRINT_START))
    active = fake.add_sprint(board, "Sprint 42", "active", SPRINT_START, SPRINT_END)
    fake.add_sprint(board, "Sprint 43", "future", None, None)

    sprints = tracker.board_sprints(board_id=board, states=["active", "future"])
    closed = tracker.board_sprints(board_id=board, states=["closed"])

    assert [(s.name, s.id, s.state) for s in sprints] == [("Sprint 42", str(active), "active")]
    assert (sprints[0].start, sprints[0].end) == (SPRINT_START, SPRINT_END)
    assert sprints[0].start.tzinfo is UTC
    assert len(closed) == 60
    assert len({s.id for s in closed}) == 60


def test_missing_board_is_a_service_error_naming_it(tracker: JiraTracker) -> None:
    with pytest.raises(ServiceError, match="board 999"):
        tracker.board_sprints(board_id=999, states=["active"])


def test_remote_link_upsert_sends_one_post_per_put_and_reads_back_equal(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    key = fake.add_issue("PAY", "Release Train: Sprint 42")
    link = RemoteLink(
        global_id="release-train:github:acme/api#7",
        url="https://github.com/acme/api/pull/7",
        title="[api] feat: refunds",
        summary="continuous",
        icon_url="https://github.com/favicon.ico",
        resolved=False,
    )

    tracker.put_remote_link(key=key, link=link)
    read_back = tracker.remote_links(key=key)
    # The caller compares and skips an identical put; a changed one replaces the link in place.
    changed = RemoteLink(global_id=link.global_id, url=link.url, title="[api] feat: refund v2")
    tracker.put_remote_link(key=key, link=changed)

    assert read_back == {link.global_id: link}
    assert tracker.remote_links(key=key) == {link.global_id: changed}
    assert len(fake.remote_links(key)) == 1
    assert _writes(fake) == [("POST", f"/rest/api/2/issue/{key}/remotelink")] * 2
    assert fake.writes[0].body == {
        "globalId": link.global_id,
        "object": {
            "url": link.url,
            "title": link.title,
            "summary": "continuous",
            "icon": {"url16x16": "https://github.com/favicon.ico"},
            "status": {"resolved": False},
        },
    }
    assert not any("applinks" in r.path for r in fake.requests)


def test_issue_link_is_one_post_and_shows_on_the_ticket(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    ticket = fake.add_issue("PAY", "Release Train: Sprint 42")
    referenced = fake.add_issue("PAY", "Refund reasons")

    tracker.link_issues(key=ticket, other=referenced, link_type="Relates")

    assert tracker.linked_issue_keys(key=ticket) == {referenced}
    assert fake.issue_links() == [("Relates", ticket, referenced)]
    assert _writes(fake) == [("POST", "/rest/api/2/issueLink")]
    assert not any("issueLinkType" in r.path for r in fake.requests)


def test_label_is_added_with_one_put(fake: FakeJira, tracker: JiraTracker) -> None:
    key = fake.add_issue("PAY", "Release Train", labels=["release-train"])

    tracker.add_label(key=key, label="release-notes-approved")

    assert fake.issue(key).labels == ("release-train", "release-notes-approved")
    assert [r.body for r in fake.writes] == [
        {"update": {"labels": [{"add": "release-notes-approved"}]}}
    ]


def test_hostile_title_is_stored_as_literal_text(fake: FakeJira, tracker: JiraTracker) -> None:
    key = _create(tracker, summary=HOSTILE)
    comment = tracker.add_comment(key=key, body=_paragraph(HOSTILE))

    stored = fake.comments(key)[0].body
    description = fake.issue(key).description
    if fake.mode == "cloud":
        for body in (stored, description):
            assert body["content"][0]["content"] == [{"type": "text", "text": HOSTILE}]
    else:
        assert stored == description == HOSTILE_ESCAPED
    assert comment.text == HOSTILE
    assert fake.issue(key).summary == HOSTILE  # a summary is plain text in Jira


def test_comments_are_added_updated_in_place_and_read_across_pages(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    key = fake.add_issue("PAY", "Release Train")
    summary = tracker.add_comment(
        key=key, body=Document((Heading("Release train summary"), Paragraph((Text("v1"),))))
    )
    for n in range(104):
        tracker.add_comment(key=key, body=_paragraph(f"note {n}"))

    tracker.update_comment(
        key=key,
        comment_id=summary.id,
        body=Document((Heading("Release train summary"), Paragraph((Link("v2", "https://x.t"),)))),
    )
    comments = tracker.comments(key=key)

    assert len(comments) == 105
    assert comments[0].id == summary.id
    assert comments[0].text.splitlines()[0] == "Release train summary"
    assert "v2" in comments[0].text
    assert len(fake.comments(key)) == 105
    assert [r.method for r in fake.writes].count("PUT") == 1


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_cloud_search_uses_only_search_jql_with_next_page_tokens(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    keys = [fake.add_issue("PAY", f"change {n}") for n in range(130)]

    found = tracker.search_tickets(jql="project = PAY ORDER BY key", limit=200)

    assert sorted(t.key for t in found) == sorted(keys)
    searches = [r for r in fake.requests if "/search" in r.path]
    assert {r.path for r in searches} == {"/rest/api/3/search/jql"}
    assert len(searches) == 2
    assert "nextPageToken" in searches[1].query
    assert all(r.query.get("fields") for r in searches)


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_cloud_search_misses_a_new_ticket_that_get_ticket_reads(
    fake: FakeJira, tracker: JiraTracker
) -> None:
    key = _create(tracker)

    assert tracker.search_tickets(jql="project = PAY", limit=10) == []
    assert tracker.get_ticket(key=key).key == key


@pytest.mark.parametrize("fake", ["datacenter"], indirect=True)
def test_datacenter_search_pages_by_offset(fake: FakeJira, tracker: JiraTracker) -> None:
    for n in range(130):
        fake.add_issue("PAY", f"change {n}", labels=["release-train"])

    found = tracker.search_tickets(jql='labels = "release-train"', limit=120)

    assert len({t.key for t in found}) == 120
    searches = [r for r in fake.requests if "/search" in r.path]
    assert [r.query["startAt"] for r in searches] == [["0"], ["100"]]
    assert {r.path for r in searches} == {"/rest/api/2/search"}


def test_rate_limited_write_waits_as_asked_and_is_written_once(
    fake: FakeJira, tracker: JiraTracker, sleeps: list[float]
) -> None:
    key = fake.add_issue("PAY", "Release Train")
    fake.fail_next("POST", r"/comment$", kind="rate_limited", retry_after=7, times=2)

    tracker.add_comment(key=key, body=_paragraph("summary"))

    assert sleeps == [7.0, 7.0]
    assert len(fake.comments(key)) == 1
    assert [r.status for r in fake.writes] == [429, 429, 201]


def test_unavailable_without_retry_after_backs_off(
    fake: FakeJira, tracker: JiraTracker, sleeps: list[float]
) -> None:
    key = fake.add_issue("PAY", "Release Train")
    fake.fail_next("GET", r"/remotelink$", kind="unavailable", retry_after=None, times=2)

    assert tracker.remote_links(key=key) == {}
    assert len(sleeps) == 2
    assert 0 < sleeps[0] < sleeps[1]


def test_rate_limit_beyond_the_budget_gives_up_without_writing(
    fake: FakeJira, make_tracker: MakeTracker, sleeps: list[float]
) -> None:
    key = fake.add_issue("PAY", "Release Train")
    tracker = make_tracker(retry_budget=10.0)
    fake.fail_next("PUT", rf"/issue/{key}$", kind="rate_limited", retry_after=6, times=3)

    with pytest.raises(RateLimitedError, match=r"Jira.*429.*jira-per-issue-on-write"):
        tracker.add_label(key=key, label="release-notes-approved")

    assert sleeps == [6.0]
    assert fake.issue(key).labels == ()


def test_refused_credentials_are_an_auth_error_that_never_shows_the_token(
    fake: FakeJira, make_tracker: MakeTracker
) -> None:
    wrong = "wrong-secret-token-value"
    tracker = make_tracker(token=wrong)

    with pytest.raises(AuthError) as caught:
        tracker.server_check()

    message = str(caught.value)
    assert "Jira" in message
    assert "RELEASE_TRAIN_JIRA__TOKEN" in message
    assert wrong not in message
    assert fake.token not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_missing_permission_is_an_auth_error(fake: FakeJira, tracker: JiraTracker) -> None:
    key = fake.add_issue("PAY", "Release Train")
    fake.deny_permission("ADD_COMMENTS")

    with pytest.raises(AuthError, match=r"Jira denied .*HTTP 403"):
        tracker.add_comment(key=key, body=_paragraph("summary"))


@pytest.mark.parametrize(
    "call",
    [
        lambda t, k: t.get_ticket(key=k),
        lambda t, k: t.remote_links(key=k),
        lambda t, k: t.comments(key=k),
        lambda t, k: t.add_comment(key=k, body=_paragraph("x")),
        lambda t, k: t.add_label(key=k, label="x"),
    ],
    ids=["get", "remote_links", "comments", "add_comment", "add_label"],
)
def test_hidden_ticket_is_not_found_by_its_key(
    fake: FakeJira, tracker: JiraTracker, call: Callable[[JiraTracker, str], object]
) -> None:
    key = fake.add_issue("PAY", "Somebody else's")
    fake.hide_issue(key)

    with pytest.raises(TicketNotFoundError, match=f"Jira ticket {key} "):
        call(tracker, key)


def test_write_whose_answer_was_lost_is_not_resent(
    fake: FakeJira, tracker: JiraTracker, sleeps: list[float]
) -> None:
    key = fake.add_issue("PAY", "Release Train")
    fake.fail_next("POST", r"/comment$", kind="commit_then_drop")

    with pytest.raises(WriteOutcomeUnknownError, match="read it back"):
        tracker.add_comment(key=key, body=_paragraph("summary"))

    assert len(fake.comments(key)) == 1
    assert [r.status for r in fake.writes] == [None]
    assert sleeps == []
    assert [c.text for c in tracker.comments(key=key)] == ["summary"]


def test_read_whose_connection_dropped_is_retried(
    fake: FakeJira, tracker: JiraTracker, sleeps: list[float]
) -> None:
    key = fake.add_issue("PAY", "Release Train")
    fake.fail_next("GET", rf"/issue/{key}$", kind="drop")

    assert tracker.get_ticket(key=key).key == key
    assert len(sleeps) == 1


def test_unreachable_jira_is_a_service_error_even_for_a_write(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tracker = JiraTracker(
        url=f"http://127.0.0.1:{port}",
        deployment="datacenter",
        email=None,
        token="t",
        sleep=sleeps.append,
    )

    with pytest.raises(ServiceError, match=r"Jira at .* could not be reached") as caught:
        tracker.add_label(key="PAY-1", label="x")

    assert not isinstance(caught.value, WriteOutcomeUnknownError)
    assert len(sleeps) == 2  # connecting is a read: retried, then given up


def test_silent_jira_times_out_instead_of_hanging(sleeps: list[float]) -> None:
    with socket.socket() as silent:
        # The kernel completes the connection; nobody ever reads the request or answers it.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        tracker = JiraTracker(
            url=f"http://127.0.0.1:{silent.getsockname()[1]}",
            deployment="datacenter",
            email=None,
            token="t",
            timeout=0.2,
            sleep=sleeps.append,
        )

        with pytest.raises(ServiceError, match=r"did not answer .* within 0\.2 s"):
            tracker.get_ticket(key="PAY-1")

    assert len(sleeps) == 2


def test_credentials_of_the_other_deployment_are_refused_naming_the_token_kind(
    fake: FakeJira, make_tracker: MakeTracker
) -> None:
    other = "datacenter" if fake.mode == "cloud" else "cloud"
    email = "release-bot@example.com" if other == "cloud" else None
    tracker = make_tracker(deployment=other, email=email)

    expected = "API token" if other == "cloud" else "personal access token"
    with pytest.raises(AuthError, match=expected):
        tracker.get_ticket(key="PAY-1")


def test_a_whole_round_emits_no_python_warning(fake: FakeJira, tracker: JiraTracker) -> None:
    board = fake.add_board("PAY")
    sprint = fake.add_sprint(board, "Sprint 42", "active", SPRINT_START, SPRINT_END)
    other = fake.add_issue("PAY", "Refund reasons")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tracker.server_check()
        key = _create(tracker)
        tracker.add_to_sprint(sprint_id=str(sprint), keys=[key])
        tracker.search_tickets(jql="project = PAY", limit=5)
        tracker.put_remote_link(key=key, link=RemoteLink("release-train:1", "https://x.t", "t"))
        tracker.link_issues(key=key, other=other, link_type="Relates")
        tracker.add_comment(key=key, body=_paragraph("summary"))

    assert [str(w.message) for w in caught] == []
