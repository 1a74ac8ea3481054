"""Stopping `serve` while a job runs: the job finishes its work, then the process exits 0."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.jira_site import TOKEN_ENV, JiraSite, build_site, links_by_global_id
from tests.e2e.serve_process import ServeProcess
from tests.fakes.jira import FakeJira


@pytest.fixture
def site(tmp_path: Path) -> Iterator[JiraSite]:
    with FakeJira(mode="cloud", latency=0.3) as fake:  # a distant Jira: a sync takes seconds
        yield build_site(tmp_path, fake)
        fake.assert_faithful()


def test_sigterm_mid_job_lets_the_job_finish_then_exits_0(site: JiraSite) -> None:
    for n in range(3):
        site.merge(f"feat: change {n}", minutes=10 + n)
    serve = ServeProcess(
        site.config, cwd=site.root, env={TOKEN_ENV: site.fake.token}, every_seconds=2, verbose=True
    )
    started = serve.wait_for("a sync to start", lambda: serve.log_line(event="job_started"))
    serve.wait_for("its first Jira write", lambda: site.fake.writes)

    code = serve.stop(signal.SIGTERM)

    assert code == 0, serve.stderr
    events = [line.get("event") for line in serve.lines]
    finished = serve.log_line(event="job_finished", fire_time=started["fire_time"])
    assert finished is not None and finished["outcome"] == "ok"
    # The stop began while the job ran; no job started after it.
    stopping = events.index("stopping")
    assert stopping < serve.lines.index(finished)
    assert "job_started" not in events[stopping:]
    assert events[-1] == "stopped"
    status = site.run("status", "--json")
    key = status.json()["ticket"]["key"]
    assert len(links_by_global_id(site.fake, key)) == 4  # the initial import and three changes
