"""Bad input end to end: one readable line, the right exit code, the store left as it was."""

from __future__ import annotations

import sqlite3

import pytest

from tests.workspace import Workspace


def _one_line_error(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.startswith("release-train:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_missing_repository_exits_2_naming_the_source(workspace: Workspace) -> None:
    missing = str(workspace.root / "nowhere")
    text = workspace.config.read_text().replace(str(workspace.repo.path), missing)
    workspace.config.write_text(text)

    result = workspace.run("sync")

    assert result.code == 2
    assert "api" in _one_line_error(result.err)


def test_missing_branch_exits_2_and_leaves_the_store_empty(workspace: Workspace) -> None:
    text = workspace.config.read_text().replace('branch = "main"', 'branch = "trunk"')
    workspace.config.write_text(text)

    result = workspace.run("sync")

    assert result.code == 2
    assert "trunk" in _one_line_error(result.err)
    with sqlite3.connect(workspace.root / "store.db") as db:
        assert db.execute("select count(*) from changes").fetchone() == (0,)


def test_unknown_config_key_exits_2_naming_it(workspace: Workspace) -> None:
    workspace.write_config(extra_train="colour = 'blue'")

    result = workspace.run("status")

    assert result.code == 2
    assert "colour" in _one_line_error(result.err)


def test_bad_cron_exits_2_naming_the_dotted_key(workspace: Workspace) -> None:
    workspace.write_config(extra_train="sync_schedule = '61 * * * *'")

    result = workspace.run("check")

    assert result.code == 2
    assert "trains[0].sync_schedule" in _one_line_error(result.err)


def test_secret_in_environment_never_printed(workspace: Workspace) -> None:
    secret = "s3cr3t-DO-NOT-PRINT-4242"
    text = workspace.config.read_text().replace(
        'url = "sqlite:///', 'url = "postgresql+psycopg://bot:' + secret + '@127.0.0.1:1/x"\n# '
    )
    workspace.config.write_text(text)

    result = workspace.run("-v", "sync")

    assert result.code == 3
    assert secret not in result.err + result.out


def test_store_from_a_newer_version_is_refused_and_unchanged(workspace: Workspace) -> None:
    assert workspace.run("db", "upgrade").code == 0
    db_path = workspace.root / "store.db"
    with sqlite3.connect(db_path) as db:
        db.execute("update alembic_version set version_num = '9999_from_the_future'")
    before = db_path.read_bytes()

    result = workspace.run("sync")

    assert result.code == 2
    assert "newer" in _one_line_error(result.err)
    assert db_path.read_bytes() == before


def test_broken_user_template_exits_2_naming_the_file(workspace: Workspace) -> None:
    templates = workspace.root / "my-templates"
    templates.mkdir()
    (templates / "notes.markdown.j2").write_text("{{ no_such_variable }}\n", encoding="utf-8")
    workspace.write_config(extra_top=f'[notes]\ntemplates_dir = "{templates}"\n')
    assert workspace.run("sync").code == 0

    result = workspace.run("notes")

    assert result.code == 2
    assert "notes.markdown.j2" in _one_line_error(result.err)


def test_check_reports_one_line_per_check(workspace: Workspace) -> None:
    result = workspace.run("check")

    assert result.code == 0, result.err
    lines = result.out.strip().splitlines()
    assert all(line.startswith(("ok", "FAIL")) for line in lines)
    assert any("templates" in line for line in lines)
    assert any("source api" in line for line in lines)


def test_check_online_skips_unconfigured_services(workspace: Workspace) -> None:
    result = workspace.run("check", "--online")

    assert result.code == 0, result.err
    assert "jira: not configured" in result.out


@pytest.mark.parametrize("args", [["--help"], ["sync", "--help"], ["--version"]])
def test_help_and_version_need_no_config(workspace: Workspace, args: list[str]) -> None:
    workspace.config.unlink()

    result = workspace.run(*args)

    assert result.code == 0, result.err
    assert result.out


def test_json_logs_are_json_lines(workspace: Workspace) -> None:
    import json

    result = workspace.run("--log-format", "json", "-v", "sync")

    assert result.code == 0, result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert "level" in json.loads(line)
