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
