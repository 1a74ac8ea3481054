"""Migration files over a size cap, read through the real git source and the release policy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.sources.git import GitSource
from bot.domain.model import ReleaseClass
from bot.domain.policy import PolicyConfig, classify
from tests.gitrepo import GitRepo

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
PADDING_LINE = "-- keep this comment line for the auditors, it says nothing at all\n"


@pytest.mark.parametrize(
    "size",
    [
        300 * 1024,  # over the patch cap: a cut text would lose the statement at its end
        2 * 1024 * 1024,  # over the blob cap: the text is left out
    ],
)
def test_padded_contract_migration_is_a_contract_whose_stage_was_not_read(
    tmp_path: Path, size: int
) -> None:
    repo = GitRepo(tmp_path / "api")
    repo.commit("Initial import", files={"README.md": "hello\n"})
    cursor = repo.rev()
    padding = PADDING_LINE * (size // len(PADDING_LINE) + 1)
    repo.commit(
        "chore: tidy refunds",
        files={"db/migrations/0042_refunds.sql": padding + "ALTER TABLE refunds DROP reason;\n"},
    )
    source = GitSource(
        name="api",
        path=repo.path,
        branch=repo.trunk,
        migration_paths=PolicyConfig().migration_paths,
    )
    (change,) = source.gather(cursor=cursor, since=LONG_AGO).changes

    verdict = classify(change, config=PolicyConfig(), history=(), sprint="Sprint 1")

    assert verdict.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert (
        "migration file db/migrations/0042_refunds.sql is over the size cap and was not read"
        in verdict.reasons
    )
