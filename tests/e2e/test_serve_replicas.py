"""Two `serve` replicas on one PostgreSQL store, syncing into the fake Jira.

Each fire time of a job runs on one replica only (the store's run claims), and a replica killed
in the middle of a job loses nothing: the next fire time, on the other replica, finishes the
work, and nothing reaches Jira twice. Schedules fire every few seconds through the test-only
RELEASE_TRAIN_TEST_SCHEDULE_SECONDS (the configuration's cron fires once a minute at best).
"""

from __future__ import annotations

import re
import signal
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli import run_cli
from tests.e2e.jira_site import TOKEN_ENV, JiraSite, build_site, link_posts, links_by_global_id
from tests.e2e.serve_process import ServeProcess
from tests.fakes.jira import FakeJira

pytestmark = pytest.mark.postgres


@pytest.fixture
def site(tmp_path: Path) -> Iterator[JiraSite]:
    with FakeJira(mode="cloud") as fake:
        yield build_site(tmp_path, fake)
        fake.assert_faithful()


def replicas(site: JiraSite, store_url: str, *, every: int) -> list[ServeProcess]:
    env = {TOKEN_ENV: site.fake.token, "RELEASE_TRAIN_STORE__URL": store_url}
    return [
        # --verbose: the line each run logs when it starts is a debug line
        ServeProcess(site.config, cwd=site.root, env=env, every_seconds=every, verbose=True)
        for _ in range(2)
    ]


def started(serves: list[ServeProcess]) -> list[tuple[int, str]]:
    """(replica, fire time) of every job run that started, on any replica."""
    return [
        (n, line["fire_time"])
        for n, serve in enumerate(serves)
        for line in serve.log_lines(event="job_started", job="sync")
    ]


def finished_ok(serves: list[ServeProcess]) -> set[str]:
    return {
        line["fire_time"]
        for serve in serves
        for line in serve.log_lines(event="job_finished", job="sync", outcome="ok")
    }


def claims(store_url: str) -> list[tuple[str, datetime, str, datetime | None]]:
    engine = create_engine(store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT job, fire_time, holder, finished_at FROM job_claims")
            )
            return [(row[0], row[1], row[2], row[3]) for row in rows]
    finally:
        engine.dispose()


def test_each_fire_time_runs_once_across_two_replicas(site: JiraSite, pg_url: str) -> None:
    ids = [site.merge(f"feat: change {n}", minutes=10 + n) for n in range(3)]
    serves = replicas(site, pg_url, every=2)
    try:
        serves[0].wait_for("five fire times run", lambda: len(finished_ok(serves)) >= 5)
        skipped = sum(
            s.metric(
                "release_train_job_runs_total", train="payments", kind="sync", outcome="skipped"
            )
            for s in serves
        )
    finally:
        codes = [serve.stop(signal.SIGTERM) for serve in serves]

    assert codes == [0, 0], [s.stderr[-2000:] for s in serves]
    runs = started(serves)
    per_fire = Counter(fire for _, fire in runs)
    assert per_fire and set(per_fire.values()) == {1}, per_fire
    assert skipped >= 1  # the other replica did try those fire times
    rows = claims(pg_url)
    assert sorted(row[1].astimezone(UTC).isoformat() for row in rows) == sorted(per_fire)
    assert all(row[3] is not None for row in rows)  # every run finished its claim
    key = ticket_key(site, pg_url)
    linked = links_by_global_id(site.fake, key)  # fails if any globalId appears twice
    assert len(linked) == len(ids) + 1  # each change and the initial import, once
    assert len(link_posts(site.fake.requests)) == len(ids) + 1  # and each written once


def test_a_replica_killed_mid_job_loses_nothing(site: JiraSite, pg_url: str) -> None:
    serves = replicas(site, pg_url, every=8)
    try:
        serves[0].wait_for("the first sync", lambda: len(finished_ok(serves)) >= 1)
        site.fake.latency = 0.6  # a distant Jira: the next sync spends seconds writing
        mark = site.mark()
        merged_at = datetime.now(UTC)
        new = [site.merge(f"feat: later change {n}", minutes=100 + n) for n in range(3)]
        victim, fire = serves[0].wait_for(
            "the next sync to start",
            lambda: next(
                (run for run in started(serves) if datetime.fromisoformat(run[1]) > merged_at),
                None,
            ),
        )
        serves[0].wait_for(
            "its first Jira write", lambda: any(r.is_write for r in site.since(mark))
        )
        serves[victim].kill()
        assert serves[victim].log_line(event="job_finished", fire_time=fire) is None
        site.fake.latency = 0.0
        survivor = serves[1 - victim]
        survivor.wait_for(
            "a later sync to finish the work",
            lambda: any(f > fire for f in finished_ok([survivor])),
        )
    finally:
        codes = [serve.stop(signal.SIGTERM) for serve in serves if serve.proc.poll() is None]

    assert codes == [0]
    key = ticket_key(site, pg_url)
    linked = links_by_global_id(site.fake, key)  # fails if any globalId appears twice
    assert len(linked) == 1 + len(new)  # the initial import and every later change, once
    assert len(site.fake.comments(key)) == 1  # the one summary comment, updated in place
    killed = [row for row in claims(pg_url) if row[1].astimezone(UTC).isoformat() == fire]
    assert len(killed) == 1 and killed[0][3] is None  # its holder died before finishing it


def ticket_key(site: JiraSite, store_url: str) -> str:
    """The Release Train ticket the store remembers (the fake saw it created once)."""
    created = [
        r
        for r in site.fake.writes
        if r.method == "POST" and re.fullmatch(r"/rest/api/\d/issue", r.path)
    ]
    assert len(created) == 1
    status = run_cli(
        site.config,
        "status",
        "--json",
        cwd=site.root,
        env={TOKEN_ENV: site.fake.token, "RELEASE_TRAIN_STORE__URL": store_url},
    )
    assert status.code == 0, status.err
    return str(status.json()["ticket"]["key"])
