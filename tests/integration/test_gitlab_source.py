"""The gitlab source over real HTTP against the fake GitLab."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.sources.gitlab import GitLabClient, GitLabSource
from bot.adapters.sources.gitlab.client import MAX_ATTEMPTS
from bot.domain.model import Change, SourceBatch
from bot.errors import ServiceError
from tests.fakes.gitlab import FakeGitLab, FakeRequest, gitlab_fake
from tests.fakes.gitlab.state import FakeDiff, FakeProject

__all__ = ["gitlab_fake"]  # the fixture, imported for pytest to find

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SINCE = T0 - timedelta(days=7)
MIGRATIONS = ("**/migrations/**", "**/*.sql")
NOW = 1_800_000_000.0  # the injected clock's Unix time


class Harness:
    """A client with recorded sleeps and a fixed clock, and sources built on it."""

    def __init__(self, fake: FakeGitLab, *, url: str | None = None, **client: Any) -> None:
        self.fake = fake
        self.sleeps: list[float] = []
        options: dict[str, Any] = {
            "url": url or fake.url,
            "token": fake.token,
            "concurrency": 4,
            "timeout": 5.0,
            "sleep": self.sleeps.append,
            "clock": lambda: NOW,
        }
        options.update(client)
        self.client = GitLabClient(**options)

    def source(self, project: str = "acme/web", **overrides: Any) -> GitLabSource:
        options: dict[str, Any] = {
            "name": "web",
            "project": project,
            "branch": None,
            "paths": (),
            "migration_paths": MIGRATIONS,
            "client": self.client,
        }
        options.update(overrides)
        return GitLabSource(**options)

    def gather(self, cursor: str | None = None, **overrides: Any) -> SourceBatch:
        return self.source(**overrides).gather(cursor=cursor, since=SINCE)


@pytest.fixture
def project(gitlab_fake: FakeGitLab) -> FakeProject:
    return gitlab_fake.add_project("acme/web", start=T0 - timedelta(days=30))


@pytest.fixture
def make_harness(gitlab_fake: FakeGitLab) -> Iterator[Callable[..., Harness]]:
    """Builds harnesses on the fake (options as for GitLabClient); closes their clients."""
    built: list[Harness] = []

    def make(fake: FakeGitLab | None = None, **options: Any) -> Harness:
        built.append(Harness(fake or gitlab_fake, **options))
        return built[-1]

    yield make
    for harness in built:
        harness.client.close()


@pytest.fixture
def harness(make_harness: Callable[..., Harness]) -> Harness:
    return make_harness()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ids(batch: SourceBatch) -> list[str]:
    return [change.id for change in batch.changes]


def only(batch: SourceBatch) -> Change:
    assert len(batch.changes) == 1, ids(batch)
    return batch.changes[0]


def targets(fake: FakeGitLab) -> list[str]:
    return [request.target for request in fake.served()]


# -- which changes ---------------------------------------------------------------------------


def test_only_requests_merged_into_the_branch_are_changes(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request("Into main", at=at(1))
    project.merge_request("Into release", at=at(2), target="release")
    project.merge_request("Closed unmerged", at=at(3), state="closed")
    project.merge_request("Still open", at=at(4), state="opened")
    project.merge_request("Squashed into main", at=at(5), method="ff", squash=True)
    project.merge_request("Merged before since", at=SINCE - timedelta(hours=1))

    batch = harness.gather()

    assert ids(batch) == ["gitlab:acme/web!1", "gitlab:acme/web!5"]
    assert [c.title for c in batch.changes] == ["Into main", "Squashed into main"]


def test_a_configured_branch_is_followed_instead_of_the_default(
    harness: Harness, project: FakeProject
) -> None:
    project.branches["release"] = project.head()
    project.merge_request("Into main", at=at(1))
    project.merge_request("Into release", at=at(2), target="release")

    assert ids(harness.gather(branch="release")) == ["gitlab:acme/web!2"]
    assert harness.fake.served("/repository/branches/release")
    assert not harness.fake.served("/projects/acme%2Fweb?")  # no default branch to look up


def test_merge_request_fields_become_the_change(harness: Harness, project: FakeProject) -> None:
    mr = project.merge_request(
        "feat(api): refund reasons",
        at=at(1),
        source="feature/refunds",
        description="Adds a reason.\n\nFeature-Flag: refund-reasons\nRefs: PAY-7",
        labels=["api", "feature-flagged"],
        author="carol",
        messages=["Add reason column", "Expose reason\n\nBREAKING CHANGE: renamed"],
    )

    change = only(harness.gather())

    assert change.number == 1
    assert change.author == "carol"
    assert change.branch == "feature/refunds"
    assert change.labels == ("api", "feature-flagged")
    assert change.body.startswith("Adds a reason.")
    assert change.trailers == (("Feature-Flag", "refund-reasons"), ("Refs", "PAY-7"))
    assert change.url == f"{harness.fake.url}/acme/web/-/merge_requests/1"
    assert change.merged_at == at(1)
    assert change.sha == mr.merge_commit_sha
    assert change.commits == (mr.merge_commit_sha, *mr.commits)
    assert change.messages == ("Add reason column", "Expose reason\n\nBREAKING CHANGE: renamed")


@pytest.mark.parametrize(
    ("method", "squash", "trunk"),
    [
        ("merge", False, "merge_commit_sha"),
        ("merge", True, "merge_commit_sha"),
        ("ff", True, "squash_commit_sha"),
        ("ff", False, "head"),
    ],
)
def test_the_trunk_commit_depends_on_the_merge_method(
    harness: Harness, project: FakeProject, method: str, squash: bool, trunk: str
) -> None:
    mr = project.merge_request("Work", at=at(1), method=method, squash=squash, messages=["a", "b"])

    change = only(harness.gather())

    expected = mr.commits[-1] if trunk == "head" else getattr(mr, trunk)
    assert change.sha == expected == project.head()
    assert set(mr.commits) <= set(change.commits)


def test_files_count_lines_and_only_migrations_keep_their_hunks(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request(
        "Schema and code",
        at=at(1),
        files={"db/migrations/0002_reason.sql": "ALTER TABLE refunds ADD COLUMN reason text;\n"},
        diffs=[
            FakeDiff("app/refunds.py", "@@ -1,3 +1,3 @@\n a\n-b\n+c\n+d\n"),
            FakeDiff("app/new.py", "@@ -1 +1 @@\n-x\n+y\n", old_path="app/old.py"),
            FakeDiff("app/gone.py", "@@ -1,2 +0,0 @@\n-p\n-q\n", deleted_file=True),
        ],
    )

    files = {f.path: f for f in only(harness.gather()).files}

    assert {p: (f.added, f.deleted) for p, f in files.items()} == {
        "db/migrations/0002_reason.sql": (1, 0),
        "app/refunds.py": (2, 1),
        "app/new.py": (1, 1),
        "app/gone.py": (0, 2),
    }
    assert files["db/migrations/0002_reason.sql"].patch == (
        "@@ -0,0 +1,1 @@\n+ALTER TABLE refunds ADD COLUMN reason text;\n"
    )
    assert [p for p, f in files.items() if f.patch is not None] == ["db/migrations/0002_reason.sql"]


def test_files_of_a_large_request_are_read_across_pages(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request("Big", at=at(1), files={f"src/f{n}.py": "x\n" for n in range(130)})

    assert len(only(harness.gather()).files) == 130
    assert len(harness.fake.served("/merge_requests/1/diffs")) == 2


def test_paths_keep_only_changes_touching_them_and_the_cursor_still_moves(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request("Payments", at=at(1), files={"services/payments/a.py": "1\n"})
    project.merge_request("Web", at=at(2), files={"web/app.tsx": "1\n"})
    project.merge_request(
        "Moved out of payments",
        at=at(3),
        diffs=[FakeDiff("lib/a.py", "", old_path="services/payments/b.py")],
    )
    project.push("Direct to payments", at=at(4), files={"services/payments/c.py": "1\n"})
    project.push("Direct elsewhere", at=at(5), files={"docs/x.md": "1\n"})

    first = harness.gather(paths=("services/payments/**",))
    harness.fake.clear_log()
    second = harness.gather(first.cursor, paths=("services/payments/**",))

    assert [c.title for c in first.changes] == [
        "Payments",
        "Moved out of payments",
        "Direct to payments",
    ]
    assert second.changes == ()
    assert len(harness.fake.served()) == 1


# -- direct pushes -----------------------------------------------------------------------------


def test_direct_pushes_are_commit_changes_and_merges_are_not(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request("Merged work", at=at(1), messages=["one", "two"])
    push = project.push(
        "fix: hotfix the refund rounding\n\nFound in prod.\n\nFeature-Flag: none-needed",
        at=at(2),
        files={"app/round.py": "a\nb\n"},
        author="Dave Ops",
    )

    batch = harness.gather()

    assert ids(batch) == ["gitlab:acme/web!1", f"gitlab:acme/web@{push.id}"]
    change = batch.changes[1]
    assert change.title == "fix: hotfix the refund rounding"
    assert change.body == "Found in prod.\n\nFeature-Flag: none-needed"
    assert change.author == "Dave Ops"
    assert change.merged_at == at(2)  # committed 12:02 +02:00
    assert change.sha == push.id
    assert change.commits == (push.id,)
    assert change.messages == (push.message,)
    assert change.trailers == (("Feature-Flag", "none-needed"),)
    assert change.url == f"{harness.fake.url}/acme/web/-/commit/{push.id}"
    assert [(f.path, f.added) for f in change.files] == [("app/round.py", 2)]


def test_a_merge_still_being_recorded_is_not_taken_for_a_direct_push(
    make_harness: Callable[..., Harness], project: FakeProject
) -> None:
    mr = project.merge_request("Landing", at=at(1), state="locked")
    harness = make_harness(clock=lambda: at(2).timestamp())

    during = harness.gather()
    project.finish_merge(mr, at=at(1))
    after = harness.gather(during.cursor)
    again = harness.gather(after.cursor)

    assert during.changes == ()
    assert json.loads(during.cursor or "")["head"] != project.head()
    assert ids(after) == ["gitlab:acme/web!1"]
    assert again.changes == ()


def test_a_merge_left_locked_for_long_counts_as_the_push_it_looks_like(
    make_harness: Callable[..., Harness], project: FakeProject
) -> None:
    project.merge_request("Stuck", at=at(1), state="locked")
    harness = make_harness(clock=lambda: at(90).timestamp())

    batch = harness.gather()

    assert ids(batch) == [f"gitlab:acme/web@{project.head()}"]
    assert json.loads(batch.cursor or "")["head"] == project.head()


def test_trunk_commits_are_paged_without_totals(harness: Harness, project: FakeProject) -> None:
    pushes = [project.push(f"Push {n}", at=at(n)) for n in range(105)]

    batch = harness.gather()

    assert ids(batch) == [f"gitlab:acme/web@{push.id}" for push in pushes]
    pages = [r for r in harness.fake.served() if r.path.endswith("/repository/commits")]
    assert [r.query["page"] for r in pages] == ["1", "2"]


# -- polling -----------------------------------------------------------------------------------


def test_an_idle_project_costs_one_request(harness: Harness, project: FakeProject) -> None:
    project.merge_request("Done", at=at(1))
    first = harness.gather()
    harness.fake.clear_log()

    second = harness.gather(first.cursor)

    assert second.changes == ()
    assert second.cursor == first.cursor
    assert [r.path for r in harness.fake.served()] == [
        "/api/v4/projects/acme%2Fweb/repository/branches/main"
    ]


def test_an_idle_poll_is_answered_304_where_gitlab_honours_the_etag(
    harness: Harness, project: FakeProject
) -> None:
    harness.fake.honour_etags = True
    project.merge_request("Done", at=at(1))
    first = harness.gather()
    harness.fake.clear_log()

    second = harness.gather(first.cursor)

    (request,) = harness.fake.served()
    assert request.status == 304
    assert request.headers["If-None-Match"] == json.loads(first.cursor or "")["etag"]
    assert second.changes == ()
    assert second.cursor == first.cursor


def test_each_merge_is_gathered_once_across_polls(harness: Harness, project: FakeProject) -> None:
    old = project.merge_request("Old", at=at(1))
    first = harness.gather()
    project.touch(old, at=datetime.now(UTC))  # a comment after the merge
    project.merge_request("New", at=datetime.now(UTC) - timedelta(seconds=5))
    project.push("Direct", at=datetime.now(UTC) - timedelta(seconds=4))

    second = harness.gather(first.cursor)
    third = harness.gather(second.cursor)

    assert ids(first) == ["gitlab:acme/web!1"]
    assert [c.title for c in second.changes] == ["New", "Direct"]
    assert third.changes == ()


def test_a_request_updated_while_listed_is_neither_lost_nor_doubled(
    harness: Harness, project: FakeProject
) -> None:
    for n in range(120):
        project.merge_request(f"Change {n}", at=at(n))
    moved = project.merge_requests[10]  # listed newest update first: on the second page
    touched: list[bool] = []

    def touch_once(request: FakeRequest) -> None:
        listing = request.path.endswith("/merge_requests")
        if listing and request.query.get("page") == "2" and not touched:
            touched.append(True)
            project.touch(moved, at=datetime.now(UTC))

    harness.fake.before = touch_once
    batch = harness.gather()

    assert sorted(c.number or 0 for c in batch.changes) == list(range(1, 121))
    listings = [r for r in harness.fake.served() if r.path.endswith("/merge_requests")]
    assert len(listings) == 3  # two pages, then the catch-up over what changed meanwhile
    # Found by the listing itself, not by the trunk walk's lookup of its merge commit.
    assert not [r for r in harness.fake.served() if r.path.endswith("/merge_requests/10")]


def test_an_unreadable_cursor_starts_over_with_a_notice(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request("Done", at=at(1))

    batch = harness.gather("not json")

    assert ids(batch) == ["gitlab:acme/web!1"]
    assert "cursor is unreadable" in batch.notices[0]


def test_a_rewritten_branch_is_rescanned_with_a_notice(
    harness: Harness, project: FakeProject
) -> None:
    base = project.head()
    project.push("Pushed then force-pushed away", at=at(1))
    first = harness.gather()
    project.branches["main"] = base
    replacement = project.push("Replacement", at=datetime.now(UTC))

    second = harness.gather(first.cursor)

    assert ids(second) == [f"gitlab:acme/web@{replacement.id}"]
    assert "rewritten (force-push)" in second.notices[0]


def test_the_default_branch_is_looked_up_only_until_the_cursor_holds_it(
    harness: Harness, gitlab_fake: FakeGitLab
) -> None:
    trunk = gitlab_fake.add_project("acme/web", default_branch="trunk")
    trunk.merge_request("Done", at=at(1))
    first = harness.gather()
    trunk.merge_request("Next", at=datetime.now(UTC))
    gitlab_fake.clear_log()

    second = harness.gather(first.cursor)

    assert ids(second) == ["gitlab:acme/web!2"]
    assert not gitlab_fake.served("/projects/acme%2Fweb?")
    assert gitlab_fake.served("/repository/branches/trunk")


# -- addressing --------------------------------------------------------------------------------


def test_a_nested_group_path_is_one_encoded_segment(
    harness: Harness, gitlab_fake: FakeGitLab
) -> None:
    nested = gitlab_fake.add_project("acme/platform/payments-api")
    nested.merge_request("Nested", at=at(1))

    batch = harness.gather(project="acme/platform/payments-api")

    assert ids(batch) == ["gitlab:acme/platform/payments-api!1"]
    assert all(
        p.startswith("/api/v4/projects/acme%2Fplatform%2Fpayments-api")
        for p in (r.path for r in gitlab_fake.served())
    )


def test_a_numeric_project_id_gives_ids_by_path(harness: Harness, project: FakeProject) -> None:
    project.merge_request("By id", at=at(1))

    assert ids(harness.gather(project=str(project.id))) == ["gitlab:acme/web!1"]


def test_a_self_managed_instance_under_a_path_prefix(
    make_harness: Callable[..., Harness],
) -> None:
    with FakeGitLab(prefix="/gitlab") as fake:
        fake.add_project("acme/web").merge_request("Prefixed", at=at(1))
        batch = make_harness(fake, url=f"{fake.url}/").gather()

    assert ids(batch) == ["gitlab:acme/web!1"]
    assert all(r.path.startswith("/gitlab/api/v4/projects/acme%2Fweb") for r in fake.served())


# -- limits and failures -----------------------------------------------------------------------


def test_429_without_headers_backs_off_and_completes(
    harness: Harness, project: FakeProject
) -> None:
    project.merge_request("Done", at=at(1))
    harness.fake.fail(429, path="/merge_requests", times=3)

    batch = harness.gather()

    assert ids(batch) == ["gitlab:acme/web!1"]
    assert harness.sleeps == [5.0, 10.0, 20.0]


def test_429_retry_after_is_honoured(harness: Harness, project: FakeProject) -> None:
    project.merge_request("Done", at=at(1))
    harness.fake.fail(429, path="/merge_requests", headers={"Retry-After": "7"})

    assert ids(harness.gather()) == ["gitlab:acme/web!1"]
    assert harness.sleeps == [7.0]


def test_429_waits_until_the_rate_limit_resets(harness: Harness, project: FakeProject) -> None:
    project.merge_request("Done", at=at(1))
    reset = {"RateLimit-Reset": str(int(NOW) + 12), "RateLimit-Remaining": "0"}
    harness.fake.fail(429, path="/branches", headers=reset)

    assert ids(harness.gather()) == ["gitlab:acme/web!1"]
    assert harness.sleeps == [12.0]


def test_a_real_retry_after_wait_over_http(gitlab_fake: FakeGitLab, project: FakeProject) -> None:
    project.merge_request("Done", at=at(1))
    gitlab_fake.fail(429, path="/branches", headers={"Retry-After": "1"})
    client = GitLabClient(url=gitlab_fake.url, token=gitlab_fake.token, concurrency=2)
    source = GitLabSource(
        name="web", project="acme/web", branch=None, paths=(), migration_paths=(), client=client
    )
    started = time.monotonic()
    try:
        batch = source.gather(cursor=None, since=SINCE)
    finally:
        client.close()

    assert ids(batch) == ["gitlab:acme/web!1"]
    assert time.monotonic() - started >= 1.0
    assert [r.status for r in gitlab_fake.served("/branches")] == [429, 200]


def test_server_errors_are_retried_within_a_bound_then_fail(
    harness: Harness, project: FakeProject
) -> None:
    harness.fake.fail(503, path="/branches", times=MAX_ATTEMPTS)

    with pytest.raises(ServiceError, match=r"GitLab .* answered 503 .*project 'acme/web'"):
        harness.gather()

    assert harness.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert len(harness.fake.served("/branches")) == MAX_ATTEMPTS


def test_a_wait_longer_than_the_limit_fails_at_once(harness: Harness, project: FakeProject) -> None:
    harness.fake.fail(429, path="/branches", headers={"Retry-After": "3600"})

    with pytest.raises(ServiceError, match="asked to wait 3600 s"):
        harness.gather()
    assert harness.sleeps == []


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("wrong-token", "refused the token"),
        ("forbidden", "403 Forbidden"),
        ("missing", "404 Not Found"),
    ],
)
def test_failures_name_gitlab_and_the_project_never_the_token(
    gitlab_fake: FakeGitLab,
    make_harness: Callable[..., Harness],
    project: FakeProject,
    setup: str,
    expected: str,
) -> None:
    token = gitlab_fake.token if setup != "wrong-token" else "glpat-wrong-secret-value"
    if setup == "forbidden":
        gitlab_fake.forbidden.add(project.id)
    harness = make_harness(token=token)
    name = "acme/gone" if setup == "missing" else "acme/web"

    with pytest.raises(ServiceError) as caught:
        harness.gather(project=name)

    message = str(caught.value)
    assert expected in message
    assert f"project '{name}'" in message and "GitLab" in message
    assert token not in message
    assert not any(token in t for t in targets(gitlab_fake))
    assert all("PRIVATE-TOKEN" not in r.headers for r in gitlab_fake.served())


def test_an_unreachable_instance_is_a_service_error(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(url="http://127.0.0.1:9")

    with pytest.raises(ServiceError, match=r"unreachable \(ConnectError\).*project 'acme/web'"):
        harness.gather()
    assert len(harness.sleeps) == MAX_ATTEMPTS - 1


def test_the_shared_client_bounds_requests_in_flight(
    gitlab_fake: FakeGitLab, make_harness: Callable[..., Harness]
) -> None:
    for n in range(6):
        gitlab_fake.add_project(f"acme/p{n}").merge_request("Done", at=at(1))
    gitlab_fake.latency = 0.02
    harness = make_harness(concurrency=2)
    results: list[SourceBatch] = []

    def run(n: int) -> None:
        results.append(harness.gather(project=f"acme/p{n}", name=f"p{n}"))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(ids(batch)[0] for batch in results) == [f"gitlab:acme/p{n}!1" for n in range(6)]
    assert gitlab_fake.peak_in_flight == 2
