"""The github source and its client against the fake GitHub, over real HTTP."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.adapters.sources.github import GitHubClient, GitHubSource
from bot.domain.model import SourceBatch
from bot.errors import RateLimitedError, ServiceError
from tests.fakes.github import TOKEN, FakeFile, FakeGitHub, LoggedRequest, running
from tests.fakes.github.schema import validate

MIGRATIONS = ("db/migrate/**", "**/*.sql")
SQL_PATCH = "@@ -0,0 +1 @@\n+ALTER TABLE orders ADD COLUMN reason text;"
NOW = datetime.now(UTC).replace(microsecond=0)
SINCE = NOW - timedelta(days=2)


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with running() as fake:
        yield fake
        assert fake.schema_errors == [], "the fake answered outside GitHub's schemas"


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the client asked for (the fake's clock moves on instead)."""
    return []


@pytest.fixture
def client(github: FakeGitHub, sleeps: list[float]) -> Iterator[GitHubClient]:
    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        github.advance(seconds)

    made = GitHubClient(
        api_url=github.url, token=TOKEN, concurrency=4, sleep=sleep, clock=github.now
    )
    yield made
    made.close()


def source(
    client: GitHubClient, repo: str = "acme/api", *, branch: str | None = None, **kwargs: object
) -> GitHubSource:
    options: dict[str, object] = {"paths": (), "migration_paths": MIGRATIONS, **kwargs}
    return GitHubSource(name=repo.split("/")[1], repo=repo, branch=branch, client=client, **options)  # type: ignore[arg-type]


def gather(github_source: GitHubSource, cursor: str | None = None) -> SourceBatch:
    return github_source.gather(cursor=cursor, since=SINCE)


def ids(batch: SourceBatch) -> list[str]:
    return [c.id for c in batch.changes]


def calls(requests: list[LoggedRequest]) -> list[tuple[int, str]]:
    """(status, path after the repository) of each request."""
    return [(r.status, r.path.split("acme/api", 1)[-1] or "/") for r in requests]


def test_only_pull_requests_merged_into_the_trunk_are_gathered(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    squash = repo.merge_pull(
        "feat: refunds",
        merged_at=ago(6),
        body="Adds refunds.\n\nFeature-Flag: refunds",
        labels=["api", "ui"],
        author="alice",
        head_ref="feature/refunds",
    )
    merge = repo.merge_pull("fix: rounding", merged_at=ago(5), method="merge", author="bob")
    rebase = repo.merge_pull("perf: cache", merged_at=ago(4), method="rebase", commits=3)
    repo.close_pull("never merged", closed_at=ago(3))
    repo.merge_pull("hotfix on the release branch", merged_at=ago(2), base="release")
    repo.merge_pull("before the window", merged_at=SINCE - timedelta(hours=1))

    batch = gather(source(client))

    assert ids(batch) == ["github:acme/api#1", "github:acme/api#2", "github:acme/api#3"]
    first, second, third = batch.changes
    assert (first.title, first.author, first.branch, first.number) == (
        "feat: refunds",
        "alice",
        "feature/refunds",
        1,
    )
    assert first.labels == ("api", "ui")
    assert first.trailers == (("Feature-Flag", "refunds"),)
    assert first.body == "Adds refunds.\n\nFeature-Flag: refunds"
    assert first.url == "https://github.com/acme/api/pull/1"
    assert first.merged_at == ago(6)
    assert first.sha == squash.merge_commit_sha
    assert first.commits == tuple(squash.trunk)
    assert first.messages == ("feat: refunds (#1)\n\nAdds refunds.\n\nFeature-Flag: refunds",)
    assert second.author == "bob"
    assert second.commits == tuple(merge.trunk)
    # A rebase merge's trunk commit comes first, then the others it brought, oldest first.
    assert third.commits == (rebase.trunk[-1], *rebase.trunk[:-1])
    assert batch.source == "api"
    assert batch.notices == ()


def test_default_branch_is_read_once_then_remembered_by_the_cursor(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api", default_branch="trunk")
    repo.merge_pull("feat: one", merged_at=ago(3))
    github_source = source(client)
    first = gather(github_source)
    repo.merge_pull("feat: two", merged_at=ago(1))
    github.clear_log()

    second = gather(github_source, first.cursor)

    assert ids(second) == ["github:acme/api#2"]
    assert json.loads(second.cursor or "")["branch"] == "trunk"
    assert "/" not in [path for _, path in calls(github.requests)]


def test_migration_files_keep_their_patch_and_others_do_not(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull(
        "feat: reason column",
        merged_at=ago(2),
        files=[
            FakeFile("db/migrate/0042_reason.sql", added=1, patch=SQL_PATCH, status="added"),
            FakeFile("src/refunds.py", added=30, deleted=4, patch="@@ -1 +1 @@\n-a\n+b"),
            FakeFile("db/schema.rb", added=2, status="renamed", previous="db/old.sql"),
            FakeFile("db/migrate/huge.sql", added=9000),  # GitHub sends no patch for it
        ],
    )

    (change,) = gather(source(client)).changes

    assert [(f.path, f.added, f.deleted, f.patch) for f in change.files] == [
        ("db/migrate/0042_reason.sql", 1, 0, SQL_PATCH),
        ("src/refunds.py", 30, 4, None),
        ("db/schema.rb", 2, 0, None),
        ("db/migrate/huge.sql", 9000, 0, None),
    ]


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ((), ["payments", "web", "docs: typo"]),
        (("services/payments/**",), ["payments"]),
        (("web/**",), ["web"]),
        (("legacy/**",), ["web"]),  # the old name of a renamed file counts
        (("docs/**", "services/**"), ["payments", "docs: typo"]),
        (("nothing/**",), []),
    ],
)
def test_paths_keep_only_changes_touching_them(
    github: FakeGitHub, client: GitHubClient, paths: tuple[str, ...], expected: list[str]
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("payments", merged_at=ago(3), files=[FakeFile("services/payments/a.py")])
    repo.merge_pull(
        "web",
        merged_at=ago(2),
        files=[FakeFile("web/app.tsx", status="renamed", previous="legacy/app.tsx")],
    )
    repo.push("docs: typo", at=ago(1), files=[FakeFile("docs/index.md")])

    batch = gather(source(client, paths=paths))

    assert [c.title for c in batch.changes] == expected


def test_direct_push_is_a_commit_change(github: FakeGitHub, client: GitHubClient) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("feat: merged", merged_at=ago(3))
    sha = repo.push(
        "Fix the build\n\nNobody reviewed this.\n\nFeature-Flag: none-needed",
        at=ago(1),
        author="carol",
        files=[FakeFile("db/migrate/7.sql", added=1, patch=SQL_PATCH)],
    )

    batch = gather(source(client))

    assert ids(batch) == ["github:acme/api#1", f"github:acme/api@{sha}"]
    push = batch.changes[1]
    assert (push.title, push.body, push.author, push.sha, push.number) == (
        "Fix the build",
        "Nobody reviewed this.\n\nFeature-Flag: none-needed",
        "carol",
        sha,
        None,
    )
    assert push.merged_at == ago(1)
    assert push.commits == (sha,)
    assert push.trailers == (("Feature-Flag", "none-needed"),)
    assert push.url == f"https://github.com/acme/api/commit/{sha}"
    assert [(f.path, f.patch) for f in push.files] == [("db/migrate/7.sql", SQL_PATCH)]


def test_unchanged_repository_costs_one_conditional_request_answered_304(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("feat: one", merged_at=ago(2))
    github_source = source(client, branch="main")
    first = gather(github_source)
    etag = json.loads(first.cursor or "")["etag"]
    github.clear_log()
    remaining = github.remaining

    second = gather(github_source, first.cursor)

    assert second.changes == ()
    assert second.cursor == first.cursor
    (request,) = github.requests
    assert (request.status, request.path) == (304, "/repos/acme/api/branches/main")
    assert request.headers["if-none-match"] == etag
    assert github.remaining == remaining  # a 304 costs nothing against the rate limit


def test_moved_trunk_costs_a_handful_of_requests_and_brings_only_new_changes(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("feat: one", merged_at=ago(3))
    github_source = source(client, branch="main")
    first = gather(github_source)
    repo.merge_pull("feat: two", merged_at=ago(1))
    github.clear_log()

    second = gather(github_source, first.cursor)

    assert ids(second) == ["github:acme/api#2"]
    made = calls(github.requests)
    # The branch first; then the listing, the trunk's commits and the files travel together.
    assert made[0] == (200, "/branches/main")
    assert sorted(made[1:]) == [(200, "/commits"), (200, "/pulls"), (200, "/pulls/2/files")]
    assert json.loads(second.cursor or "")["seen"] == [2]  # inside the overlap of the next listing


def test_pull_request_merged_before_since_never_comes_back_through_the_overlap(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("just before", merged_at=SINCE - timedelta(minutes=5))
    repo.merge_pull("just after", merged_at=SINCE + timedelta(minutes=2))
    github_source = source(client)
    first = gather(github_source)
    repo.merge_pull("later", merged_at=ago(1))

    second = gather(github_source, first.cursor)

    assert [c.title for c in first.changes] == ["just after"]
    assert [c.title for c in second.changes] == ["later"]


def test_pull_request_merged_just_after_the_trunk_was_read_is_gathered_once(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("feat: one", merged_at=ago(3))

    def merge_after_branch_read(request: LoggedRequest) -> None:
        if request.path.endswith("/pulls") and not repo.pulls.get(2):
            repo.merge_pull("feat: racing", merged_at=datetime.now(UTC).replace(microsecond=0))

    github.hooks.append(merge_after_branch_read)
    github_source = source(client)
    first = gather(github_source)
    github.hooks.clear()
    repo.push("chore: later push", at=datetime.now(UTC).replace(microsecond=0))

    second = gather(github_source, first.cursor)

    assert ids(first) == ["github:acme/api#1", "github:acme/api#2"]
    # The racing merge's commit is new on the trunk now, yet it is neither gathered again
    # nor taken for a direct push.
    assert [c.title for c in second.changes] == ["chore: later push"]


def test_pull_request_updated_between_two_page_reads_is_neither_lost_nor_doubled(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    for n in range(130):
        repo.merge_pull(f"change {n + 1}", merged_at=ago(40) + timedelta(minutes=n))
    moved: list[int] = []

    def comment_on_the_oldest(request: LoggedRequest) -> None:
        if request.path.endswith("/pulls") and request.query.get("page") == "2" and not moved:
            repo.touch_pull(1, at=NOW)  # now first on page one, which was read already
            moved.append(1)

    github.hooks.append(comment_on_the_oldest)

    batch = gather(source(client))

    assert moved == [1]
    assert sorted(c.number or 0 for c in batch.changes) == list(range(1, 131))
    # Found by the listing itself, not one by one through its commit.
    assert not [r for r in github.requests if "/commits/" in r.path and r.path.endswith("/pulls")]
    listings = [
        r for r in github.requests if r.path.endswith("/pulls") and "/commits/" not in r.path
    ]
    assert [
        (r.path.startswith("/repositories/"), r.query.get("page"), r.status) for r in listings
    ] == [
        (False, None, 200),
        (True, "2", 200),
        (False, None, 200),  # page one again: it changed
        (False, None, 304),  # and again: settled
    ]


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_limit_with_retry_after_is_waited_out(
    github: FakeGitHub, client: GitHubClient, sleeps: list[float], status: int
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    github.fail(status, path_contains="/pulls", headers={"retry-after": "7"})

    batch = gather(source(client))

    assert ids(batch) == ["github:acme/api#1"]
    assert sleeps == [7.0]
    assert [r.status for r in github.requests if r.path.endswith("/pulls")] == [status, 200]


def test_secondary_limit_really_waits_before_retrying(github: FakeGitHub) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    github.fail(429, path_contains="/branches/", headers={"retry-after": "1"})
    real = GitHubClient(api_url=github.url, token=TOKEN, concurrency=2)
    started = time.monotonic()
    try:
        batch = gather(source(real))
    finally:
        real.close()

    assert ids(batch) == ["github:acme/api#1"]
    branch_reads = [r for r in github.requests if "/branches/" in r.path]
    assert [r.status for r in branch_reads] == [429, 200]
    assert branch_reads[1].started - branch_reads[0].finished >= 1.0
    assert time.monotonic() - started >= 1.0


def test_secondary_limit_without_headers_backs_off_from_a_minute(
    github: FakeGitHub, client: GitHubClient, sleeps: list[float]
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    github.fail(403, path_contains="/pulls", times=2)

    assert ids(gather(source(client))) == ["github:acme/api#1"]
    assert sleeps == [60.0, 120.0]


def test_secondary_limit_beyond_the_budget_fails_naming_the_repository(
    github: FakeGitHub, client: GitHubClient, sleeps: list[float]
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    github.fail(403, path_contains="/pulls", times=4)

    with pytest.raises(RateLimitedError, match="acme/api") as caught:
        gather(source(client))

    assert sleeps == [60.0, 120.0, 240.0]
    assert TOKEN not in str(caught.value)


def test_primary_limit_waits_until_the_reset(
    github: FakeGitHub, client: GitHubClient, sleeps: list[float]
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    github.freeze()
    github.exhaust(reset_in=30)

    batch = gather(source(client))

    assert ids(batch) == ["github:acme/api#1"]
    (waited,) = sleeps
    assert 30 <= waited <= 32
    assert github.requests[0].status == 403


def test_primary_limit_resetting_too_late_fails_at_once(
    github: FakeGitHub, client: GitHubClient, sleeps: list[float]
) -> None:
    github.add_repo("acme/api")
    github.exhaust(reset_in=3000)

    with pytest.raises(RateLimitedError, match=r"acme/api.*resets only in 50 minutes"):
        gather(source(client))
    assert sleeps == []


@pytest.mark.parametrize(("failures", "fails"), [(2, False), (3, True)])
def test_server_errors_are_retried_with_backoff_then_fail(
    github: FakeGitHub, client: GitHubClient, sleeps: list[float], failures: int, fails: bool
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    github.fail(502, path_contains="/commits", times=failures)

    if fails:
        with pytest.raises(ServiceError, match=r"acme/api.*HTTP 502") as caught:
            gather(source(client))
        assert TOKEN not in str(caught.value)
    else:
        assert ids(gather(source(client))) == ["github:acme/api#1"]
    assert sleeps == [1.0, 2.0]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("bad-token", r"rejected the token \(401 Unauthorized\) for acme/api"),
        ("deny", r"404 Not Found for acme/api \(GET /repos/acme/api\): the repository"),
        ("forbidden", r"refused acme/api \(GET .*\) \(403 Forbidden\)"),
        ("no-branch", r"404 Not Found for acme/api \(GET /repos/acme/api/branches/gone\)"),
    ],
)
def test_refusals_are_service_errors_naming_the_repository_never_the_token(
    github: FakeGitHub, client: GitHubClient, setup: str, message: str
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    branch = "gone" if setup == "no-branch" else None
    token = "ghp_wrongToken999" if setup == "bad-token" else TOKEN
    if setup == "deny":
        github.deny("acme/api")
    if setup == "forbidden":
        github.fail(403, message="Resource not accessible by personal access token")
    other = GitHubClient(api_url=github.url, token=token, concurrency=1)
    try:
        with pytest.raises(ServiceError, match=message) as caught:
            gather(source(other, branch=branch))
    finally:
        other.close()
    assert token not in str(caught.value)
    assert len(github.requests) == 1  # refusals are not retried


def test_unreachable_github_is_a_service_error(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    offline = GitHubClient(
        api_url=f"http://127.0.0.1:{port}", token=TOKEN, concurrency=1, sleep=sleeps.append
    )
    try:
        with pytest.raises(ServiceError, match=r"127\.0\.0\.1.*acme/api.*ConnectError"):
            gather(source(offline, branch="main"))
    finally:
        offline.close()
    assert sleeps == [1.0, 2.0]


def test_enterprise_server_keeps_the_api_path_prefix() -> None:
    with running(prefix="/api/v3") as ghe:
        ghe.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(2))
        ghe.add_repo("acme/api").merge_pull("feat: two", merged_at=ago(1))
        for n in range(105):
            ghe.repos["acme/api"].close_pull(f"closed {n}", closed_at=ago(1) + timedelta(seconds=n))
        enterprise = GitHubClient(api_url=f"{ghe.url}/", token=TOKEN, concurrency=2)
        try:
            batch = gather(source(enterprise))
        finally:
            enterprise.close()
        assert ghe.schema_errors == []
    assert ids(batch) == ["github:acme/api#1"]
    assert ghe.requests and all(r.path.startswith("/api/v3/") for r in ghe.requests)
    assert any(r.path.startswith("/api/v3/repositories/") for r in ghe.requests)  # Link pages


def test_every_request_carries_the_api_headers_and_the_token_only_in_authorization(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("feat: one", merged_at=ago(2))
    repo.push("direct", at=ago(1))
    gather(source(client))

    assert github.requests
    for request in github.requests:
        assert request.authorized
        assert TOKEN not in request.target
        assert TOKEN not in json.dumps(request.headers)
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"].startswith("release-train")


@pytest.mark.parametrize("garbled", ["not json", '{"v": 99}', '{"v": 1, "branch": "main"}', "[]"])
def test_unreadable_cursor_starts_again_from_since_with_a_notice(
    github: FakeGitHub, client: GitHubClient, garbled: str
) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))

    batch = gather(source(client), garbled)

    assert ids(batch) == ["github:acme/api#1"]
    assert len(batch.notices) == 1
    assert "cursor cannot be read" in batch.notices[0]


def test_force_push_reads_the_recent_trunk_again_with_a_notice(
    github: FakeGitHub, client: GitHubClient
) -> None:
    repo = github.add_repo("acme/api")
    repo.merge_pull("feat: one", merged_at=ago(3))
    github_source = source(client)
    first = gather(github_source)
    cursor = json.loads(first.cursor or "")
    cursor["head"] = "f" * 40  # a tip that is no longer on the trunk
    cursor["etag"] = None
    repo.push("after the rewrite", at=ago(1))

    second = gather(github_source, json.dumps(cursor))

    assert [c.title for c in second.changes] == ["after the rewrite"]
    assert "rewritten (force-push)" in second.notices[0]


def test_sources_gathering_at_once_share_the_clients_bound(github: FakeGitHub) -> None:
    github.latency = 0.05
    for n in range(6):
        github.add_repo(f"acme/r{n}").merge_pull("feat: one", merged_at=ago(1))
    shared = GitHubClient(api_url=github.url, token=TOKEN, concurrency=2)
    results: dict[str, list[str]] = {}

    def run(n: int) -> None:
        results[f"r{n}"] = ids(gather(source(shared, f"acme/r{n}")))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        shared.close()
    assert results == {f"r{n}": [f"github:acme/r{n}#1"] for n in range(6)}
    assert github.max_in_flight == 2


def test_schema_check_catches_what_github_would_never_send(github: FakeGitHub) -> None:
    github.add_repo("acme/api").merge_pull("feat: one", merged_at=ago(1))
    answer = httpx.get(
        f"{github.url}/repos/acme/api/pulls?state=closed",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    (pull,) = answer.json()
    assert validate(pull, "pull-request-simple") == []

    broken = [
        {k: v for k, v in pull.items() if k != "merged_at"},
        {**pull, "number": "1"},
        {**pull, "merged_at": "yesterday"},
        {**pull, "state": None},
        {**pull, "merged_by": "alice"},  # not a field of the listing's objects
        {**pull, "labels": [{"name": "ui"}]},
    ]
    problems = [validate(item, "pull-request-simple") for item in broken]
    assert all(problems), problems
