"""Terminal controls and bidi overrides in a title never reach the operator's terminal raw."""

from __future__ import annotations

import json
import re

from tests.workspace import Workspace

# Retitle the terminal, clear the screen, ring the bell, and reverse what follows.
HOSTILE = "fix: totals \x1b]0;pwned\x07\x1b[2J\x9b31m hidden \u202egnp.exe"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_status_sync_notes_and_explain_show_controls_as_visible_escapes(
    workspace: Workspace,
) -> None:
    sha = workspace.repo.squash_pr(5, title=HOSTILE, files={"a.txt": "a\n"})

    outputs = {
        "sync": workspace.run("sync"),
        "status": workspace.run("status"),
        "notes": workspace.run("notes"),
        "slack notes": workspace.run("notes", "--format", "slack"),
        "explain": workspace.run("explain", sha[:10]),
    }

    for name, result in outputs.items():
        assert result.code == 0, (name, result.err)
        assert RAW.search(result.out + result.err) is None, (name, result.out)
    assert "\\x1b]0;pwned\\x07" in outputs["explain"].out
    assert "\\u202egnp.exe" in outputs["explain"].out
    assert "\\x1b" in outputs["status"].out
    assert "\\x1b" in outputs["notes"].out


def test_notes_written_to_a_file_hold_no_raw_controls(workspace: Workspace) -> None:
    workspace.repo.squash_pr(5, title=HOSTILE, files={"a.txt": "a\n"})
    assert workspace.run("sync").code == 0
    target = workspace.root / "notes.md"

    assert workspace.run("notes", "--output", str(target)).code == 0

    assert RAW.search(target.read_text(encoding="utf-8")) is None


def test_json_outputs_write_controls_and_bidi_overrides_as_escapes(workspace: Workspace) -> None:
    workspace.repo.squash_pr(5, title=HOSTILE + " \x7f", files={"a.txt": "a\n"})

    outputs = {
        "sync --json": workspace.run("sync", "--json"),
        "status --json": workspace.run("status", "--json"),
        "json logs": workspace.run("--log-format", "json", "-v", "sync"),
    }

    for name, result in outputs.items():
        assert result.code == 0, (name, result.err)
        assert RAW.search(result.out + result.err) is None, (name, result.out + result.err)
    report = json.loads(outputs["status --json"].out)
    titles = [change["title"] for change in report["changes"]]
    assert HOSTILE + " \x7f" in titles  # escaped in the text, the same title when read back
    assert "\\u202e" in outputs["status --json"].out and "\\u009b" in outputs["status --json"].out
