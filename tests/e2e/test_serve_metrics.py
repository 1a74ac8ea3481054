"""What an operator's Prometheus sees from a freshly started `serve`: every series its alert
rules read, at 0 before anything ran, in the format and encoding the scraper asks for."""

from __future__ import annotations

import gzip
from importlib.metadata import version

import httpx
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.serve_process import ServeProcess
from tests.workspace import Workspace, sprint_start

TRAINS = ("payments", "ledger")
# Once a year, at a time no test runs at: the first scrape sees every series before any sync.
YEARLY = "0 3 1 1 *"


def two_trains(workspace: Workspace) -> None:
    trains = "".join(
        f"""
[[trains]]
name = "{name}"
sync_schedule = "{YEARLY}"
  [trains.sprint]
  length_days = 14
  first_day = "{sprint_start():%Y-%m-%d}"
  [[trains.sources]]
  name = "api"
  kind = "git"
  path = "{workspace.repo.path}"
  branch = "main"
"""
        for name in TRAINS
    )
    workspace.config.write_text(
        f'[store]\nurl = "sqlite:///{workspace.root / "store.db"}"\n{trains}', encoding="utf-8"
    )


def test_the_first_scrape_holds_the_build_the_runtime_and_every_trains_series_at_zero(
    workspace: Workspace,
) -> None:
    two_trains(workspace)
    serve = ServeProcess(workspace.config, cwd=workspace.root, every_seconds=None)
    try:
        first = serve.get("/metrics")
        healthy = serve.get("/healthz")
    finally:
        code = serve.stop()

    assert code == 0, serve.stderr
    assert healthy.status_code == 200
    assert "_created" not in first.text
    families = {f.name: f for f in text_string_to_metric_families(first.text)}
    (build,) = families["release_train_build_info"].samples
    assert (build.labels, build.value) == ({"version": version("release-train")}, 1)
    assert {
        "process_cpu_seconds",
        "process_resident_memory_bytes",
        "process_start_time_seconds",
    } <= set(families)
    assert {"python_info", "python_gc_objects_collected"} <= set(families)
    values = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in families.values()
        for s in family.samples
    }
    for train in TRAINS:
        for outcome in ("ok", "partial", "failed"):
            key = ("release_train_syncs_total", (("outcome", outcome), ("train", train)))
            assert values[key] == 0
            job = (("kind", "sync"), ("outcome", outcome), ("train", train))
            assert values["release_train_job_runs_total", job] == 0
        stamp = ("release_train_last_successful_sync_timestamp_seconds", (("train", train),))
        assert values[stamp] == 0
        assert values["release_train_changes_recorded_total", (("train", train),)] == 0
        period = values["release_train_sync_period_seconds", (("train", train),)]
        assert period in (365 * 86400, 366 * 86400)  # a year, leap or not
    assert values["release_train_external_calls_total", (("service", "git"),)] == 0
    assert values["release_train_external_failures_total", (("service", "git"),)] == 0
    assert values["release_train_scheduler_running", ()] == 1


def test_a_scrape_gets_gzip_and_openmetrics_when_it_asks(workspace: Workspace) -> None:
    two_trains(workspace)
    serve = ServeProcess(workspace.config, cwd=workspace.root, every_seconds=None)
    try:
        with httpx.Client(base_url=serve.url, timeout=30, trust_env=False) as client:
            with client.stream("GET", "/metrics", headers={"Accept-Encoding": "gzip"}) as zipped:
                raw = b"".join(zipped.iter_raw())
            openmetrics = client.get(
                "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
            )
    finally:
        serve.stop()

    assert zipped.headers["content-encoding"] == "gzip"
    assert "release_train_build_info" in gzip.decompress(raw).decode()
    assert openmetrics.headers["content-type"].startswith("application/openmetrics-text")
    names = {f.name for f in openmetrics_families(openmetrics.text)}
    assert {"release_train_syncs", "release_train_build_info", "process_cpu_seconds"} <= names
