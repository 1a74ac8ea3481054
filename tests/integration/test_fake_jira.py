"""The fake Jira behaves as Jira Cloud and Data Center do, seen through the real `jira` library."""

from __future__ import annotations

import functools
import ssl
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import requests
from jira import JIRA, JIRAError

from tests.fakes.jira import FakeJira, fake_jira_cloud, fake_jira_datacenter  # noqa: F401
from tests.fakes.jira.schema import JiraSpec, check_value

START, END = datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)


def adf(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def client_for(fake: FakeJira) -> JIRA:
    if fake.mode == "cloud":
        return JIRA(
            server=fake.base_url, basic_auth=(fake.email, fake.token), max_retries=0, timeout=5
        )
    return JIRA(server=fake.base_url, token_auth=fake.token, max_retries=0, timeout=5)


@functools.cache
def tls() -> ssl.SSLContext:
    # Building a context per client costs more than the exchanges themselves; plain HTTP is
    # all the fake speaks anyway.
    return ssl.create_default_context()


def http_for(fake: FakeJira) -> httpx.Client:
    if fake.mode == "cloud":
        auth = (fake.email, fake.token)
        return httpx.Client(base_url=fake.base_url, auth=auth, timeout=5, verify=tls())
    headers = {"Authorization": f"Bearer {fake.token}"}
    return httpx.Client(base_url=fake.base_url, headers=headers, timeout=5, verify=tls())


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> FakeJira:
    """Each deployment in turn."""
    name = "fake_jira_cloud" if request.param == "cloud" else "fake_jira_datacenter"
    served: FakeJira = request.getfixturevalue(name)
    return served


@pytest.fixture
def cloud(fake_jira_cloud: FakeJira) -> FakeJira:  # noqa: F811
    fake_jira_cloud.add_project("PAY")
    return fake_jira_cloud


@pytest.fixture
def cloud_jira(cloud: FakeJira) -> Iterator[JIRA]:
    with closing(client_for(cloud)) as client:
        yield client


@pytest.fixture
def jira(fake: FakeJira) -> Iterator[JIRA]:
    client = client_for(fake)
    yield client
    client.close()


@pytest.fixture
def http(fake: FakeJira) -> Iterator[httpx.Client]:
    with http_for(fake) as client:
        yield client


@pytest.fixture
def cloud_http(cloud: FakeJira) -> Iterator[httpx.Client]:
    with http_for(cloud) as client:
        yield client


# the server and who is asking ---------------------------------------------------------------


def test_library_sees_the_deployment(fake: FakeJira, jira: JIRA) -> None:
    info = jira.server_info()
    assert (info.get("deploymentType") == "Cloud") == (fake.mode == "cloud")
    assert jira.myself()["emailAddress"] == fake.email


@pytest.mark.parametrize(
    ("mode", "header"),
    [
        ("cloud", "Basic d3Jvbmc6d3Jvbmc="),
        ("cloud", "Bearer fake-jira-token"),
        ("datacenter", "Bearer wrong"),
        ("datacenter", "Basic cmVsZWFzZS1ib3RAZXhhbXBsZS5jb206ZmFrZS1qaXJhLXRva2Vu"),
    ],
)
def test_wrong_credentials_are_refused(
    mode: str, header: str, request: pytest.FixtureRequest
) -> None:
    fake: FakeJira = request.getfixturevalue(f"fake_jira_{mode}")
    with httpx.Client(base_url=fake.base_url, verify=tls()) as http:
        answer = http.get("/rest/api/2/myself", headers={"Authorization": header})
    assert answer.status_code == 401
    assert fake.requests[-1].auth == header.split()[0]
    assert fake.token not in repr(fake.requests)


def test_server_info_answers_anonymously_but_nothing_else(fake: FakeJira) -> None:
    with httpx.Client(base_url=fake.base_url, verify=tls()) as http:
        assert http.get("/rest/api/2/serverInfo").status_code == 200
        assert http.get("/rest/api/2/myself").status_code == 401


def test_datacenter_has_no_v3_api(fake_jira_datacenter: FakeJira) -> None:  # noqa: F811
    with http_for(fake_jira_datacenter) as http:
        assert http.get("/rest/api/3/myself").status_code == 404
        assert http.get("/rest/api/2/myself").status_code == 200


def test_denied_permission_is_reported_and_enforced(
    cloud: FakeJira, cloud_http: httpx.Client
) -> None:
    cloud.deny_permission("CREATE_ISSUES")
    params = {"projectKey": "PAY", "permissions": "CREATE_ISSUES,ADD_COMMENTS"}
    granted = cloud_http.get("/rest/api/3/mypermissions", params=params).json()["permissions"]
    assert {k: v["havePermission"] for k, v in granted.items()} == {
        "CREATE_ISSUES": False,
        "ADD_COMMENTS": True,
    }
    fields = {"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": "x"}
    assert cloud_http.post("/rest/api/3/issue", json={"fields": fields}).status_code == 403
    assert cloud_http.get("/rest/api/3/mypermissions").status_code == 400


# issues -------------------------------------------------------------------------------------


def test_created_issue_reads_back(fake: FakeJira, jira: JIRA) -> None:
    fake.add_project("PAY")
    fields = {"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": "Train 1"}
    created = jira.create_issue(fields=fields | {"labels": ["release-train"]})
    assert (created.key, created.fields.summary) == ("PAY-1", "Train 1")
    assert jira.issue("PAY-1", fields="labels").fields.labels == ["release-train"]
    assert fake.issue("PAY-1").labels == ("release-train",)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"project": {"key": "NOPE"}, "issuetype": {"name": "Task"}, "summary": "x"}, "project"),
        ({"project": {"key": "PAY"}, "issuetype": {"name": "Saga"}, "summary": "x"}, "issuetype"),
        ({"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": " "}, "summary"),
        ({"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": "x", "x": 1}, "x"),
        (
            {
                "project": {"key": "PAY"},
                "issuetype": {"id": "10001"},
                "summary": "x",
                "labels": ["a b"],
            },
            "labels",
        ),
    ],
)
def test_invalid_issue_is_400_naming_the_field(
    cloud_http: httpx.Client, fields: dict[str, Any], field: str
) -> None:
    answer = cloud_http.post("/rest/api/2/issue", json={"fields": fields})
    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_cloud_v3_description_must_be_adf(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    fields = {"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": "x"}
    plain = cloud_http.post("/rest/api/3/issue", json={"fields": fields | {"description": "hi"}})
    assert plain.status_code == 400
    rich = cloud_http.post(
        "/rest/api/3/issue", json={"fields": fields | {"description": adf("hi")}}
    )
    assert rich.status_code == 201
    v2 = cloud_http.get(f"/rest/api/2/issue/{rich.json()['key']}", params={"fields": "description"})
    assert v2.json()["fields"]["description"] == "hi"


def test_labels_are_added_and_set_in_place(cloud: FakeJira, cloud_jira: JIRA) -> None:
    key = cloud.add_issue("PAY", "x", labels=["release-train"])
    with http_for(cloud) as http:
        add = {"update": {"labels": [{"add": "approved"}, {"add": "release-train"}]}}
        assert http.put(f"/rest/api/3/issue/{key}", json=add).status_code == 204
    assert cloud.issue(key).labels == ("release-train", "approved")
    cloud_jira.issue(key).update(fields={"labels": ["only"]})  # PUTs to the issue's self URL
    assert cloud.issue(key).labels == ("only",)


# remote links -------------------------------------------------------------------------------


def test_remote_link_upsert_by_global_id(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    key = cloud.add_issue("PAY", "train")
    path = f"/rest/api/3/issue/{key}/remotelink"
    first = {"globalId": "g-1", "object": {"url": "https://a", "title": "A", "summary": "s"}}
    created = cloud_http.post(path, json=first)
    again = cloud_http.post(
        path, json={"globalId": "g-1", "object": {"url": "https://b", "title": "B"}}
    )
    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["id"] == again.json()["id"]
    (link,) = cloud_http.get(path).json()
    assert link["object"]["title"] == "B"
    assert link["object"].get("summary") is None  # left out of the upsert, so gone
    assert cloud_http.get(path, params={"globalId": "g-1"}).json()["id"] == link["id"]
    assert cloud_http.get(path, params={"globalId": "nope"}).status_code == 404


def test_library_adds_remote_links_without_warnings(fake: FakeJira, jira: JIRA) -> None:
    key = fake.add_issue("PAY", "train")
    for title in ("one", "two"):
        jira.add_remote_link(key, {"url": "https://x", "title": title}, globalId="g")
    assert [link["object"]["title"] for link in fake.remote_links(key)] == ["two"]
    # The library asks for the application links first; a non-2xx there would be a warning.
    assert "/rest/applinks/latest/listApplicationlinks" in [r.path for r in fake.requests]


def test_remote_link_needs_url_and_title(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    key = cloud.add_issue("PAY", "train")
    answer = cloud_http.post(f"/rest/api/3/issue/{key}/remotelink", json={"object": {"url": "u"}})
    assert answer.status_code == 400
    assert "title" in answer.json()["errors"]
    # The request also broke the description, which the fixture would fail the test for.
    (problem,) = cloud.clear_violations()
    assert "'title' is missing" in problem


# comments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "plain text",
        {"type": "doc", "content": []},
        {
            "type": "doc",
            "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": ""}]}],
        },
        {"type": "doc", "version": 1, "content": [{"type": "marquee", "content": []}]},
        {"type": "doc", "version": 1, "content": [{"type": "text", "text": "not in a paragraph"}]},
    ],
)
def test_cloud_v3_comment_must_be_adf(cloud: FakeJira, cloud_http: httpx.Client, body: Any) -> None:
    key = cloud.add_issue("PAY", "train")
    answer = cloud_http.post(f"/rest/api/3/issue/{key}/comment", json={"body": body})
    assert answer.status_code == 400
    assert cloud.comments(key) == []


def test_comment_is_edited_in_place(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    key = cloud.add_issue("PAY", "train")
    path = f"/rest/api/3/issue/{key}/comment"
    created = cloud_http.post(path, json={"body": adf("first")}).json()
    edited = cloud_http.put(f"{path}/{created['id']}", json={"body": adf("second")})
    assert edited.status_code == 200
    assert [c.text for c in cloud.comments(key)] == ["second"]
    page = cloud_http.get(f"/rest/api/2/issue/{key}/comment").json()
    assert (page["total"], page["comments"][0]["body"]) == (1, "second")


def test_comments_over_jiras_text_limit_are_refused(
    cloud: FakeJira, cloud_http: httpx.Client
) -> None:
    key = cloud.add_issue("PAY", "train")
    v2, v3 = f"/rest/api/2/issue/{key}/comment", f"/rest/api/3/issue/{key}/comment"
    assert cloud_http.post(v2, json={"body": "x" * 32_767}).status_code == 201
    too_long = cloud_http.post(v2, json={"body": "😀" * 16_384})  # 32,768 UTF-16 units
    assert too_long.status_code == 400
    assert "exceeds the allowed limit of 32,767" in too_long.json()["errors"]["comment"]
    assert cloud_http.post(v3, json={"body": adf("x" * 40_000)}).status_code == 400
    assert len(cloud.comments(key)) == 1


def test_summaries_and_link_titles_over_255_are_refused(
    cloud: FakeJira, cloud_http: httpx.Client
) -> None:
    key = cloud.add_issue("PAY", "train")
    edit = cloud_http.put(f"/rest/api/2/issue/{key}", json={"fields": {"summary": "s" * 256}})
    assert edit.status_code == 400
    link = {"globalId": "g", "object": {"url": "https://x.test/", "title": "t" * 256}}
    answer = cloud_http.post(f"/rest/api/2/issue/{key}/remotelink", json=link)
    assert answer.status_code == 400
    assert "title" in answer.json()["errors"]
    cloud.clear_violations()


def test_library_comments_in_wiki_markup(fake: FakeJira, jira: JIRA) -> None:
    key = fake.add_issue("PAY", "train")
    comment = jira.add_comment(key, "*summary*")
    comment.update(body="*summary v2*")
    assert [c.body for c in jira.comments(key)] == ["*summary v2*"]
    assert [c.body for c in fake.comments(key)] == ["*summary v2*"]


# issue links --------------------------------------------------------------------------------


def test_issue_links_show_on_both_issues_once(fake: FakeJira, jira: JIRA) -> None:
    train, story = fake.add_issue("PAY", "train"), fake.add_issue("PAY", "story")
    for _ in range(2):
        jira.create_issue_link("Relates", train, story)  # sends "comment": null
    (outward,) = jira.issue(train, fields="issuelinks").fields.issuelinks
    (inward,) = jira.issue(story, fields="issuelinks").fields.issuelinks
    assert (outward.outwardIssue.key, inward.inwardIssue.key) == (story, train)
    assert fake.issue_links() == [("Relates", train, story)]


def test_unknown_link_type_is_404(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    one, two = cloud.add_issue("PAY", "a"), cloud.add_issue("PAY", "b")
    body = {"type": {"name": "Haunts"}, "inwardIssue": {"key": one}, "outwardIssue": {"key": two}}
    assert cloud_http.post("/rest/api/2/issueLink", json=body).status_code == 404


# search -------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2", "3"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cloud_removed_the_offset_search(
    cloud_http: httpx.Client, version: str, method: str
) -> None:
    path = f"/rest/api/{version}/search"
    if method == "GET":
        answer = cloud_http.get(path, params={"jql": "project = PAY"})
    else:
        answer = cloud_http.post(path, json={"jql": "project = PAY"})
    assert answer.status_code == 410
    assert "search/jql" in answer.json()["errorMessages"][0]


def test_datacenter_searches_by_offset(fake_jira_datacenter: FakeJira) -> None:  # noqa: F811
    dc = fake_jira_datacenter
    keys = [dc.add_issue("PAY", f"issue {n}") for n in range(3)]
    with closing(client_for(dc)) as client:
        assert [i.key for i in client.search_issues("project = PAY", fields="summary")] == keys
    with http_for(dc) as http:
        page = http.get("/rest/api/2/search", params={"jql": "project = PAY", "maxResults": 2})
        assert (page.json()["total"], len(page.json()["issues"])) == (3, 2)
        assert (
            http.get("/rest/api/2/search/jql", params={"jql": "project = PAY"}).status_code == 404
        )


def test_search_jql_pages_by_token_without_total(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    keys = [cloud.add_issue("PAY", f"issue {n}") for n in range(7)]
    seen: list[str] = []
    params: dict[str, Any] = {
        "jql": "project = PAY ORDER BY key",
        "maxResults": 3,
        "fields": "summary",
    }
    pages = []
    while True:
        page = cloud_http.get("/rest/api/3/search/jql", params=params).json()
        pages.append(len(page["issues"]))
        seen += [issue["key"] for issue in page["issues"]]
        assert "total" not in page
        if page["isLast"]:
            assert "nextPageToken" not in page
            break
        params["nextPageToken"] = page["nextPageToken"]
    assert (pages, seen) == ([3, 3, 1], keys)


def test_library_follows_page_tokens_to_the_end(cloud: FakeJira, cloud_jira: JIRA) -> None:
    keys = [cloud.add_issue("PAY", f"issue {n}") for n in range(130)]
    found = cloud_jira.enhanced_search_issues("project = PAY", maxResults=0, fields=["summary"])
    assert [i.key for i in found] == keys
    assert [r.path for r in cloud.requests].count("/rest/api/2/search/jql") == 2


def test_search_jql_returns_only_ids_unless_fields_are_named(
    cloud: FakeJira, cloud_http: httpx.Client
) -> None:
    cloud.add_issue("PAY", "one")
    (bare,) = cloud_http.post("/rest/api/3/search/jql", json={"jql": "project = PAY"}).json()[
        "issues"
    ]
    assert set(bare) == {"id"}


def test_new_issue_is_missing_from_search_until_indexed(cloud_jira: JIRA) -> None:
    created = cloud_jira.create_issue(
        fields={"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": "train"}
    )
    jql, fields = "project = PAY", ["summary"]
    assert list(cloud_jira.enhanced_search_issues(jql, fields=fields)) == []
    reconciled = cloud_jira.enhanced_search_issues(
        jql, fields=fields, reconcileIssues=[int(created.id)]
    )
    assert [i.key for i in reconciled] == [created.key]
    assert [i.key for i in cloud_jira.enhanced_search_issues(jql, fields=fields)] == [created.key]


def test_search_lag_is_configurable() -> None:
    with FakeJira(search_lag=3) as fake, http_for(fake) as http:
        fake.add_project("PAY")
        fields = {"project": {"key": "PAY"}, "issuetype": {"name": "Task"}, "summary": "x"}
        http.post("/rest/api/3/issue", json={"fields": fields})
        found = [
            len(
                http.get("/rest/api/3/search/jql", params={"jql": "project = PAY"}).json()["issues"]
            )
            for _ in range(4)
        ]
        fake.assert_faithful()
    assert found == [0, 0, 0, 1]


@pytest.mark.parametrize(
    ("jql", "wanted"),
    [
        ('project = PAY AND labels = "release-train" AND sprint = {sprint}', ["PAY-1"]),
        ("project = PAY AND sprint in openSprints()", ["PAY-1", "PAY-2"]),
        ("key in (PAY-3, PAY-2) ORDER BY key DESC", ["PAY-3", "PAY-2"]),
        ("project = PAY AND (labels = other OR labels is EMPTY)", ["PAY-2", "PAY-3"]),
        ("project = PAY AND labels != release-train", ["PAY-2", "PAY-3"]),
    ],
)
def test_search_jql_understands_the_queries_the_bot_sends(
    cloud: FakeJira, cloud_http: httpx.Client, jql: str, wanted: list[str]
) -> None:
    board = cloud.add_board("PAY")
    sprint = cloud.add_sprint(board, "Sprint 1", "active", START, END)
    future = cloud.add_sprint(board, "Sprint 2", "future", None, None)
    cloud.add_issue("PAY", "train", labels=["release-train"], sprint=sprint)
    cloud.add_issue("PAY", "next", sprint=future, labels=["other"])
    cloud.add_issue("PAY", "loose")
    query = {"jql": jql.format(sprint=sprint), "fields": ["summary"]}
    answer = cloud_http.post("/rest/api/3/search/jql", json=query)
    assert [i["key"] for i in answer.json()["issues"]] == wanted


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jql": ""}, "Unbounded"),
        ({"jql": "colour = red"}, "does not exist"),
        ({"jql": "project = PAY", "nextPageToken": "forged"}, "token"),
    ],
)
def test_bad_searches_are_400(
    cloud_http: httpx.Client, params: dict[str, str], message: str
) -> None:
    answer = cloud_http.get("/rest/api/3/search/jql", params=params)
    assert answer.status_code == 400
    assert message in answer.json()["errorMessages"][0]


# agile --------------------------------------------------------------------------------------


def test_board_sprints_by_state_and_page(fake: FakeJira, jira: JIRA) -> None:
    board = fake.add_board("PAY", board_id=42)
    closed = fake.add_sprint(board, "Sprint 1", "closed", START, END)
    active = [fake.add_sprint(board, f"Sprint {n}", "active", START, END) for n in (2, 3)]
    fake.add_sprint(board, "Sprint 4", "future", None, None)
    assert [s.id for s in jira.sprints(42, state="active")] == active
    assert [s.id for s in jira.sprints(42, state="closed,active")] == [closed, *active]
    with http_for(fake) as http:
        page = http.get("/rest/agile/1.0/board/42/sprint", params={"maxResults": 3}).json()
        rest = http.get("/rest/agile/1.0/board/42/sprint", params={"startAt": 3}).json()
    assert (len(page["values"]), page["isLast"], len(rest["values"]), rest["isLast"]) == (
        3,
        False,
        1,
        True,
    )
    assert page["values"][1]["startDate"] == "2026-11-16T00:00:00.000Z"


@pytest.mark.parametrize(
    ("board_type", "board_id", "status"),
    [("kanban", 7, 400), ("scrum", 8, 404)],
)
def test_board_without_sprints_is_refused(
    cloud: FakeJira, cloud_http: httpx.Client, board_type: str, board_id: int, status: int
) -> None:
    cloud.add_board("PAY", board_id=7, board_type=board_type)
    assert cloud_http.get(f"/rest/agile/1.0/board/{board_id}/sprint").status_code == status


@pytest.mark.parametrize(
    ("state", "count", "status"),
    [("active", 50, 204), ("future", 1, 204), ("active", 51, 400), ("closed", 1, 400)],
)
def test_adding_issues_to_a_sprint(
    cloud: FakeJira, cloud_http: httpx.Client, state: str, count: int, status: int
) -> None:
    sprint = cloud.add_sprint(cloud.add_board("PAY"), "Sprint 1", state, START, END)
    keys = [cloud.add_issue("PAY", f"issue {n}") for n in range(count)]
    answer = cloud_http.post(f"/rest/agile/1.0/sprint/{sprint}/issue", json={"issues": keys})
    assert answer.status_code == status
    assert (cloud.issue(keys[0]).sprint_ids == (sprint,)) == (status == 204)


def test_library_moves_an_issue_between_open_sprints(fake: FakeJira, jira: JIRA) -> None:
    board = fake.add_board("PAY")
    old = fake.add_sprint(board, "Sprint 1", "active", START, END)
    new = fake.add_sprint(board, "Sprint 2", "future", None, None)
    key = fake.add_issue("PAY", "train", sprint=old)
    jira.add_issues_to_sprint(new, [key])
    assert fake.issue(key).sprint_ids == (new,)


# hidden issues ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/rest/api/2/issue/{key}", None),
        ("PUT", "/rest/api/2/issue/{key}", {"fields": {"labels": ["x"]}}),
        ("GET", "/rest/api/2/issue/{key}/comment", None),
        ("POST", "/rest/api/2/issue/{key}/comment", {"body": "x"}),
        ("GET", "/rest/api/2/issue/{key}/remotelink", None),
        ("POST", "/rest/api/2/issue/{key}/remotelink", {"object": {"url": "u", "title": "t"}}),
        (
            "POST",
            "/rest/api/2/issueLink",
            {
                "type": {"name": "Relates"},
                "inwardIssue": {"key": "PAY-2"},
                "outwardIssue": {"key": "{key}"},
            },
        ),
    ],
)
def test_hidden_issue_is_404_like_a_missing_one(
    cloud: FakeJira, cloud_http: httpx.Client, method: str, path: str, body: Any
) -> None:
    key = cloud.add_issue("PAY", "secret")
    cloud.add_issue("PAY", "open")
    cloud.hide_issue(key)
    body = None if body is None else _fill(body, key)
    answer = cloud_http.request(method, path.format(key=key), json=body)
    missing = cloud_http.request(
        method, path.format(key="PAY-99"), json=body and _fill(body, "PAY-99")
    )
    assert (answer.status_code, missing.status_code) == (404, 404)
    assert cloud.issue(key).history == ()


def _fill(body: Any, key: str) -> Any:
    if isinstance(body, dict):
        return {k: _fill(v, key) for k, v in body.items()}
    return body.replace("{key}", key) if isinstance(body, str) else body


def test_hidden_issue_is_left_out_of_searches(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    cloud.hide_issue(cloud.add_issue("PAY", "secret"))
    shown = cloud.add_issue("PAY", "open")
    answer = cloud_http.get(
        "/rest/api/3/search/jql", params={"jql": "project = PAY", "fields": "summary"}
    )
    assert [i["key"] for i in answer.json()["issues"]] == [shown]


# faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "headers"),
    [
        ("rate_limited", 429, {"Retry-After": "7", "RateLimit-Reason": "jira-per-issue-on-write"}),
        ("unavailable", 503, {"Retry-After": "7"}),
        ("unauthorized", 401, {}),
        ("forbidden", 403, {}),
    ],
)
def test_fault_answers_once_then_the_request_goes_through(
    cloud: FakeJira, cloud_http: httpx.Client, kind: str, status: int, headers: dict[str, str]
) -> None:
    key = cloud.add_issue("PAY", "train")
    cloud.fail_next("POST", r"/comment$", kind=kind, retry_after=7)
    path = f"/rest/api/3/issue/{key}/comment"
    refused = cloud_http.post(path, json={"body": adf("hi")})
    assert refused.status_code == status
    assert {k: refused.headers[k] for k in headers} == headers
    assert cloud.comments(key) == []
    assert cloud_http.post(path, json={"body": adf("hi")}).status_code == 201


def test_library_surfaces_429_without_retrying(cloud: FakeJira, cloud_jira: JIRA) -> None:
    key = cloud.add_issue("PAY", "train")
    cloud.fail_next("post", "comment", retry_after=3)
    with pytest.raises(JIRAError) as raised:
        cloud_jira.add_comment(key, "hi")
    assert raised.value.status_code == 429
    assert raised.value.response is not None
    assert raised.value.response.headers["Retry-After"] == "3"
    assert len([r for r in cloud.writes if r.path.endswith("/comment")]) == 1


def test_commit_then_drop_leaves_the_write_committed(cloud: FakeJira, cloud_jira: JIRA) -> None:
    key = cloud.add_issue("PAY", "train")
    cloud.fail_next("POST", "/comment", kind="commit_then_drop")
    with pytest.raises(requests.ConnectionError):
        cloud_jira.add_comment(key, "hi")
    assert [c.text for c in cloud.comments(key)] == ["hi"]
    assert cloud.requests[-1].status is None


def test_drop_loses_the_write(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    key = cloud.add_issue("PAY", "train")
    cloud.fail_next("*", "/remotelink", kind="drop")
    with pytest.raises(httpx.RemoteProtocolError):
        cloud_http.post(
            f"/rest/api/2/issue/{key}/remotelink", json={"object": {"url": "u", "title": "t"}}
        )
    assert cloud.remote_links(key) == []


def test_log_counts_writes_and_reads(cloud: FakeJira, cloud_http: httpx.Client) -> None:
    key = cloud.add_issue("PAY", "train")
    cloud_http.get(f"/rest/api/3/issue/{key}")
    cloud_http.post("/rest/api/3/search/jql", json={"jql": "project = PAY"})
    cloud_http.put(f"/rest/api/3/issue/{key}", json={"update": {"labels": [{"add": "a"}]}})
    assert [(r.method, r.status) for r in cloud.writes] == [("PUT", 204)]
    assert [r.method for r in cloud.reads] == ["GET", "POST"]
    assert {r.auth for r in cloud.requests} == {"Basic"}


# the OpenAPI checks themselves --------------------------------------------------------------


def test_checker_rejects_an_invented_field() -> None:
    spec = JiraSpec.load()
    good = {"baseUrl": "http://x", "versionNumbers": [1001, 0, 0], "deploymentType": "Cloud"}
    assert (
        spec.check_response(
            method="GET", path="/rest/api/2/serverInfo", query={}, status=200, body=good
        )
        == []
    )
    bad = good | {"cloudFlavour": "vanilla"}
    (problem,) = spec.check_response(
        method="GET", path="/rest/api/2/serverInfo", query={}, status=200, body=bad
    )
    assert "cloudFlavour" in problem


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"id": "1", "self": "x"}, "str where integer"),
        ([{"id": 1, "object": {"url": "u", "title": "t"}, "icon": {}}], "'icon'"),
        ([{"id": 1, "object": {"url": "u"}}], "'title'"),
    ],
)
def test_checker_holds_remote_links_to_the_schema(body: Any, fragment: str) -> None:
    spec = JiraSpec.load()
    path = "/rest/api/3/issue/PAY-1/remotelink"
    status = 201 if isinstance(body, dict) else 200
    method = "POST" if isinstance(body, dict) else "GET"
    problems = spec.check_response(method=method, path=path, query={}, status=status, body=body)
    assert any(fragment in p for p in problems), problems


def test_checker_allows_nullable_and_rejects_wrong_types() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "nullable": True}, "b": {"type": "integer"}},
    }
    assert check_value(schema, {"a": None, "b": 1}, components={}) == []
    assert len(check_value(schema, {"a": 1, "b": True}, components={})) == 2


def test_fake_records_requests_that_break_the_description(
    cloud: FakeJira, cloud_http: httpx.Client
) -> None:
    cloud_http.post("/rest/api/3/search/jql", json={"jql": "project = PAY", "startAt": 10})
    cloud_http.get("/rest/api/3/search/jql", params={"jql": "project = PAY", "startAt": 10})
    problems = cloud.clear_violations()
    assert len(problems) == 2
    assert all("startAt" in p for p in problems)
