"""`release-train sync` end to end: classification, idempotence, dry runs, strict mode."""

from __future__ import annotations

import sqlite3

from tests.workspace import Workspace

MIGRATION_EXPAND = """\
def upgrade():
    op.add_column('orders', sa.Column('refund_reason', sa.Text(), nullable=True))
"""
MIGRATION_CONTRACT = """\
def upgrade():
    op.drop_column('orders', 'legacy_reason')
"""


def _build_history(ws: Workspace) -> None:
    repo = ws.repo
    repo.merged_pr(
        418,
        title="feat: add refund reason field PAY-77",
        files={"api/refunds.py": "reason = 1\n"},
    )
    repo.merged_pr(
        419,
        title="feat!: remove the v1 refunds endpoint",
        files={"api/v1.py": "gone = True\n"},
    )
    repo.squash_pr(
        420,
        title="feat: new checkout page",
        files={"web/checkout.tsx": "line\n" * 250},
        body="Feature-Flag: new-checkout",
    )
    repo.squash_pr(
        421,
        title="Add refund reason column",
        files={"alembic/versions/0002_reason.py": MIGRATION_EXPAND},
    )
    repo.commit("fix: rounding of refunds", files={"api/money.py": "round = 2\n"})


def test_first_sync_classifies_every_trunk_change(workspace: Workspace) -> None:
    _build_history(workspace)

    result = workspace.run("sync", "--json")

    assert result.code == 0, result.err
    report = result.json()
    assert report["train"] == "payments"
    assert report["ticket"] is None
    by_title = {c["title"]: c for c in report["changes"]}
    assert by_title["feat: add refund reason field PAY-77"]["release_class"] == "continuous"
    assert by_title["feat: add refund reason field PAY-77"]["jira_keys"] == ["PAY-77"]
    assert by_title["feat!: remove the v1 refunds endpoint"]["release_class"] == "needs-flag"
    assert by_title["feat: new checkout page"]["release_class"] == "flagged"
    assert by_title["Add refund reason column"]["release_class"] == "migration-expand"
    assert by_title["fix: rounding of refunds"]["category"] == "fix"
    assert all(c["new"] and not c["attached"] for c in report["changes"])
    assert all(
        c["url"].startswith("https://git.example.com/api/commit/") for c in report["changes"]
    )
    assert report["counts"]["needs-flag"] == 1
    assert [v["rule"] for v in report["violations"]] == ["needs-flag"]
    assert report["dry_run"] is False


def test_rerun_records_nothing_new(workspace: Workspace) -> None:
    _build_history(workspace)
    first = workspace.run("sync", "--json").json()

    second = workspace.run("sync", "--json")

    assert second.code == 0, second.err
    again = second.json()
    assert [c["id"] for c in again["changes"]] == [c["id"] for c in first["changes"]]
    assert not any(c["new"] for c in again["changes"])


def test_new_merge_is_the_only_new_change(workspace: Workspace) -> None:
    _build_history(workspace)
    workspace.run("sync")
    workspace.repo.squash_pr(422, title="perf: cache refund lookups", files={"api/c.py": "x\n"})

    report = workspace.run("sync", "--json").json()

    new = [c for c in report["changes"] if c["new"]]
    assert [c["title"] for c in new] == ["perf: cache refund lookups"]
    assert new[0]["category"] == "performance"


def test_contract_after_expand_in_same_sprint_is_a_violation(workspace: Workspace) -> None:
    _build_history(workspace)
    workspace.run("sync")
    workspace.repo.squash_pr(
        423,
        title="Drop legacy reason",
        files={
            "alembic/versions/0003_drop.py": MIGRATION_CONTRACT.replace(
                "legacy_reason", "refund_reason"
            )
        },
    )

    report = workspace.run("sync", "--json").json()

    contract = next(c for c in report["changes"] if c["title"] == "Drop legacy reason")
    assert contract["release_class"] == "migration-contract"
    assert any(v["change"] == contract["id"] for v in report["violations"])


def test_contract_without_recorded_expand_is_not_a_violation(workspace: Workspace) -> None:
    workspace.repo.squash_pr(
        424, title="Drop legacy reason", files={"alembic/versions/0003_drop.py": MIGRATION_CONTRACT}
    )

    report = workspace.run("sync", "--json").json()

    (change,) = [c for c in report["changes"] if c["title"] == "Drop legacy reason"]
    assert change["release_class"] == "migration-contract"
    assert report["violations"] == []
    assert any("predates" in reason or "recorded" in reason for reason in change["reasons"])


def test_dry_run_writes_nothing(workspace: Workspace) -> None:
    _build_history(workspace)

    result = workspace.run("sync", "--dry-run", "--json")

    assert result.code == 0, result.err
    assert result.json()["dry_run"] is True
    assert len(result.json()["changes"]) == 6
    assert not (workspace.root / "store.db").exists()


def test_dry_run_after_a_sync_leaves_the_store_as_it_was(workspace: Workspace) -> None:
    _build_history(workspace)
    workspace.run("sync")
    workspace.repo.squash_pr(425, title="fix: typo", files={"api/t.py": "t\n"})
    before = _dump(workspace)

    report = workspace.run("sync", "--dry-run", "--json").json()

    assert [c["title"] for c in report["changes"] if c["new"]] == ["fix: typo"]
    assert _dump(workspace) == before


def test_strict_exits_4_on_a_violation(workspace: Workspace) -> None:
    _build_history(workspace)

    result = workspace.run("sync", "--strict")

    assert result.code == 4
    assert "violation" in result.err
    assert "Traceback" not in result.err


def test_strict_exits_0_without_violations(workspace: Workspace) -> None:
    workspace.repo.squash_pr(426, title="fix: typo", files={"api/t.py": "t\n"})

    assert workspace.run("sync", "--strict").code == 0


def test_human_output_lists_the_changes(workspace: Workspace) -> None:
    _build_history(workspace)

    result = workspace.run("sync")

    assert result.code == 0, result.err
    assert "recorded 6 new change(s)" in result.out
    assert "needs-flag" in result.out
    assert "#419" in result.out
    assert "violation:" in result.out


def test_revert_within_the_sprint_is_paired(workspace: Workspace) -> None:
    sha = workspace.repo.squash_pr(427, title="feat: risky thing", files={"api/r.py": "r\n"})
    workspace.run("sync")
    workspace.repo.revert(sha)

    report = workspace.run("sync", "--json").json()

    risky = next(c for c in report["changes"] if c["title"] == "feat: risky thing")
    revert = next(c for c in report["changes"] if c["reverts"])
    assert revert["reverts"] == risky["id"]
    assert risky["reverted_by"] == revert["id"]


def _dump(ws: Workspace) -> list[tuple[object, ...]]:
    with sqlite3.connect(ws.root / "store.db") as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        rows: list[tuple[object, ...]] = []
        for table in sorted(tables):
            rows.extend((table, *row) for row in db.execute(f"select * from {table}"))  # noqa: S608
        return sorted(rows, key=repr)


def test_force_push_is_reported_and_recovered_without_duplicates(workspace: Workspace) -> None:
    _build_history(workspace)
    keep = workspace.repo.rev("HEAD~2")
    assert workspace.run("sync").code == 0
    workspace.repo.reset_trunk(keep)
    workspace.repo.squash_pr(430, title="fix: after the rewrite", files={"api/w.py": "w\n"})

    human = workspace.run("sync")
    report = workspace.run("sync", "--json").json()

    assert human.code == 0, human.err
    assert "force-push" in human.out + human.err
    ids = [c["id"] for c in report["changes"]]
    assert len(ids) == len(set(ids))
    assert "fix: after the rewrite" in {c["title"] for c in report["changes"]}
    # the dropped commits stay on record: they were merged, and may have shipped
    assert len(ids) == 7
