"""Waivers through the command line: a waived violation stays listed with its reason and is not
counted by `--strict` or `status`; an unwaived one still is."""

from __future__ import annotations

from pathlib import Path

from tests.workspace import Workspace, history_time, make_workspace


def _workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path, in_process=True)


def test_a_waived_violation_is_listed_with_its_reason_and_not_counted(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    ws.repo.commit(
        "feat!: retire the v1 export\n\nRelease-Waiver: agreed with support, nobody uses v1\n",
        files={"export.py": "v2 = True\n"},
        when=history_time(10),
    )

    synced = ws.run("sync", "--json", "--strict")
    status = ws.run("status")

    assert synced.code == 0, synced.err
    (violation,) = synced.json()["violations"]
    assert violation["rule"] == "needs-flag"
    assert violation["waiver"] == {"reason": "agreed with support, nobody uses v1", "by": "trailer"}
    assert "waived (trailer: agreed with support, nobody uses v1):" in status.out
    assert "\nviolation:" not in status.out


def test_an_unwaived_violation_still_fails_strict(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    ws.repo.commit("feat!: retire the v1 export", files={"x.py": "1\n"}, when=history_time(10))

    synced = ws.run("sync", "--json", "--strict")

    assert synced.code == 4
    (violation,) = synced.json()["violations"]
    assert violation["waiver"] is None
