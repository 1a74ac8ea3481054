"""Finding a recorded change the way people name it, and explaining its class, over the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.store import SqlStore
from bot.domain.model import Change, RecordedChange
from bot.domain.policy import PolicyConfig, classify
from bot.errors import ConfigError
from bot.services.explain import ExplainChange

T0 = datetime(2026, 11, 17, 9, tzinfo=UTC)


def _record(store: SqlStore, *changes: Change, policy: PolicyConfig | None = None) -> None:
    rows = [
        RecordedChange(
            change=c,
            classification=classify(c, config=policy or PolicyConfig(), history=(), sprint="S1"),
            train="payments",
            sprint="S1",
        )
        for c in changes
    ]
    store.record_batch(train="payments", source="api", cursor="x", changes=rows, run_id=None)


def _change(id_: str, n: int, **fields: Any) -> Change:
    return Change(
        id=id_, source="api", title="fix: thing", merged_at=T0 + timedelta(minutes=n), **fields
    )


@pytest.fixture
def explainer(store: SqlStore) -> ExplainChange:
    _record(
        store,
        _change("github:acme/api#12", 1, number=12, url="https://github.com/acme/api/pull/12"),
        _change("gitlab:acme/web!12", 2, number=12),
        _change("git:api:" + "abcd1" + "0" * 35, 3, sha="abcd1" + "0" * 35),
        _change("git:api:" + "abcd2" + "0" * 35, 4, sha="abcd2" + "0" * 35),
    )
    return ExplainChange(train="payments", store=store, policy=PolicyConfig())


def test_a_pull_request_and_a_merge_request_of_the_same_number_are_told_apart(
    explainer: ExplainChange,
) -> None:
    assert explainer.find("#12").change.id == "github:acme/api#12"
    assert explainer.find("!12").change.id == "gitlab:acme/web!12"
    assert explainer.find("https://github.com/acme/api/pull/12").change.number == 12


def test_a_sha_prefix_that_names_two_changes_is_refused_naming_them(
    explainer: ExplainChange,
) -> None:
    with pytest.raises(ConfigError, match=r"'abcd' matches several .*abcd1.*abcd2"):
        explainer.find("abcd")

    assert explainer.find("ABCD2").change.sha == "abcd2" + "0" * 35


def test_a_change_recorded_under_another_policy_says_what_the_policy_gives_now(
    store: SqlStore,
) -> None:
    labelled = _change("github:acme/api#7", 1, number=7, labels=("ui",))
    _record(store, labelled, policy=PolicyConfig(ui_labels=()))

    explanation = ExplainChange(train="payments", store=store, policy=PolicyConfig()).explain("#7")

    assert explanation.recorded.classification.release_class == "continuous"
    assert explanation.current_class == "needs-flag"
    assert explanation.lines()[-1].startswith("Note: the policy as configured now gives needs-flag")
