"""The alert rules under deploy/prometheus read only series the bot exports from a fresh start,
and (where promtool is installed) load and pass their own unit tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "alerts.yaml"
RULE_TESTS = RULES.with_name("alerts.test.yaml")
# Series Prometheus makes itself for every target, not the bot.
PROMETHEUS_OWN = {"up"}
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_LABEL_LISTS = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_NAMES = re.compile(r"(?<![\w:.])([a-zA-Z_:][\w:]*)\b(?!\s*\()")
_KEYWORDS = {"and", "or", "unless", "bool", "offset"}


def metric_names(expr: str) -> set[str]:
    """The series names a PromQL expression selects (function names, keywords, label names
    and numbers left out)."""
    bare = _LABEL_LISTS.sub(" ", _RANGES.sub(" ", _MATCHERS.sub(" ", _STRINGS.sub(" ", expr))))
    return {name for name in _NAMES.findall(bare) if name not in _KEYWORDS}


def exported_names() -> set[str]:
    """Every sample name of a freshly started serve's scrape (Socket Mode, one train)."""
    metrics = Metrics(
        trains=["payments"],
        jobs=[("payments", "sync")],
        services=["git"],
        decisions=True,
        sync_periods={"payments": 900.0},
    )
    metrics.watch_scheduler(lambda: True)
    metrics.watch_slack_socket(lambda: True)
    text = metrics.render().decode()
    return {s.name for f in text_string_to_metric_families(text) for s in f.samples}


def alert_rules() -> list[dict[str, object]]:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_reading_names_out_of_an_expression_skips_functions_labels_and_keywords() -> None:
    expr = (
        'sum by (service) (increase(a_total{outcome="failed"}[1h])) / on () group_left ()'
        ' b_seconds > 3 * max(c) and on (train) absent(up{job="x"})'
    )

    assert metric_names(expr) == {"a_total", "b_seconds", "c", "up"}


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: str(rule["alert"]))
def test_every_series_an_alert_reads_is_one_the_bot_exports(rule: dict[str, object]) -> None:
    used = metric_names(str(rule["expr"]))

    assert used
    assert used - exported_names() - PROMETHEUS_OWN == set()


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: str(rule["alert"]))
def test_every_alert_says_how_bad_and_what_happened(rule: dict[str, object]) -> None:
    labels, annotations = rule["labels"], rule["annotations"]

    assert isinstance(labels, dict) and labels["severity"] in ("warning", "critical")
    assert isinstance(annotations, dict) and annotations["summary"] and annotations["description"]


def test_the_alerts_cover_staleness_failures_jobs_slack_the_scheduler_and_the_process() -> None:
    reads = {name for rule in alert_rules() for name in metric_names(str(rule["expr"]))}

    assert {
        "release_train_last_successful_sync_timestamp_seconds",
        "release_train_external_failures_total",
        "release_train_job_runs_total",
        "release_train_slack_socket_connected",
        "release_train_scheduler_running",
        "up",
    } <= reads


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed here")
def test_promtool_loads_the_rules_and_passes_their_unit_tests() -> None:
    for args in (["check", "rules", str(RULES)], ["test", "rules", str(RULE_TESTS)]):
        done = subprocess.run(
            ["promtool", *args], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
