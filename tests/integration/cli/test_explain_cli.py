"""`explain CHANGE` end to end: why a recorded change got its release class."""

from __future__ import annotations

from tests.workspace import Workspace

EXPAND = "def upgrade():\n    op.add_column('orders', sa.Column('reason', sa.Text()))\n"


def test_explain_walks_every_rule_and_names_the_one_that_gave_the_class(
    workspace: Workspace,
) -> None:
    sha = workspace.repo.squash_pr(419, title="feat!: drop v1", files={"api/v1.py": "x\n"})
    assert workspace.run("sync").code == 0

    result = workspace.run("explain", sha[:8])

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "#419 feat!: drop v1"
    assert "Release class: needs-flag (needs a feature flag and names none)" in lines
    assert "  no  contract migration" in lines
    assert "  no  flagged" in lines
    assert "  yes needs a flag  <- gives the class" in lines
    evidence = lines[lines.index("  yes needs a flag  <- gives the class") + 1]
    assert evidence.strip() == "backwards-incompatible: conventional commit 'feat!'"
    assert "  yes anything else" in lines


def test_explain_finds_a_change_by_its_url_and_shows_the_migration(workspace: Workspace) -> None:
    sha = workspace.repo.merged_pr(
        420, title="feat: refund reasons", files={"alembic/versions/0002_reason.py": EXPAND}
    )
    assert workspace.run("sync").code == 0

    result = workspace.run("explain", f"https://git.example.com/api/commit/{sha}")

    assert result.code == 0, result.err
    assert "Release class: migration-expand" in result.out
    assert "  yes expand migration  <- gives the class" in result.out
    assert "adds column orders.reason" in result.out
    assert "no drops or renames in alembic/versions/0002_reason.py" in result.out


def test_explain_of_an_unknown_change_is_one_sentence_and_exit_2(workspace: Workspace) -> None:
    workspace.repo.squash_pr(1, title="fix: one", files={"a.txt": "a\n"})
    assert workspace.run("sync").code == 0

    result = workspace.run("explain", "github:acme/nowhere#9")

    assert result.code == 2
    assert result.out == ""
    assert result.err.strip().splitlines() == [
        "release-train: error: no recorded change of train 'payments' matches "
        "'github:acme/nowhere#9'; give its id, URL or short sha as `release-train status` "
        "lists them"
    ]


def test_explain_json_gives_the_change_its_verdict_and_the_rules_walk(
    workspace: Workspace,
) -> None:
    sha = workspace.repo.squash_pr(
        421,
        title="feat!: drop v1",
        files={"api/v1.py": "x\n"},
        body="Release-Waiver: agreed with support, no customer uses v1",
    )
    synced = workspace.run("sync", "--json")
    assert synced.code == 0, synced.err
    [listed] = [c for c in synced.json()["changes"] if c["title"] == "feat!: drop v1"]

    result = workspace.run("explain", sha[:8], "--json")

    assert result.code == 0, result.err
    explained = result.json()
    assert explained["id"] == listed["id"] == f"git:api:{sha}"
    assert explained["title"] == "feat!: drop v1"
    assert explained["url"] == f"https://git.example.com/api/commit/{sha}"
    assert explained["release_class"] == "needs-flag"
    assert explained["reasons"] == listed["reasons"]
    assert explained["violation"]
    assert explained["waiver"] == {
        "reason": "agreed with support, no customer uses v1",
        "by": "trailer",
    }
    assert explained["flag"] is None
    assert explained["migration_ops"] == []
    assert [(r["name"], r["matched"], r["gives_class"]) for r in explained["rules"]] == [
        ("contract migration", False, False),
        ("flagged", False, False),
        ("needs a flag", True, True),
        ("expand migration", False, False),
        ("anything else", True, False),
    ]
    needs_a_flag = explained["rules"][2]["evidence"]
    assert "backwards-incompatible: conventional commit 'feat!'" in needs_a_flag
    assert "new" not in explained


def test_explain_json_lists_the_migration_statements(workspace: Workspace) -> None:
    sha = workspace.repo.merged_pr(
        422, title="feat: refund reasons", files={"alembic/versions/0002_reason.py": EXPAND}
    )
    assert workspace.run("sync").code == 0

    result = workspace.run("explain", sha, "--json")

    assert result.code == 0, result.err
    explained = result.json()
    assert explained["release_class"] == "migration-expand"
    assert explained["migration_ops"] == [
        {"stage": "expand", "table": "orders", "column": "reason", "action": "add column"}
    ]
    assert explained["waiver"] is None
    assert [r["name"] for r in explained["rules"] if r["gives_class"]] == ["expand migration"]


def test_explain_json_of_an_unknown_change_prints_nothing_on_stdout(workspace: Workspace) -> None:
    assert workspace.run("sync").code == 0

    result = workspace.run("explain", "github:acme/nowhere#9", "--json")

    assert result.code == 2
    assert result.out == ""
    assert "no recorded change" in result.err
