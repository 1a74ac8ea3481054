"""`notes --output` writes where the user pointed: through links, into FIFOs, keeping modes."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from tests.workspace import Workspace


def _synced(ws: Workspace) -> None:
    ws.repo.squash_pr(418, title="feat: refunds", files={"api/refunds.py": "r\n"})
    assert ws.run("sync").code == 0


def test_a_symlink_stays_a_symlink_and_its_target_gets_the_notes(workspace: Workspace) -> None:
    _synced(workspace)
    target = workspace.root / "published" / "notes.md"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = workspace.root / "notes.md"
    link.symlink_to(target)

    result = workspace.run("notes", "--output", str(link))

    assert result.code == 0, result.err
    assert link.is_symlink()
    assert "## Features" in target.read_text(encoding="utf-8")


def test_an_existing_file_keeps_its_mode(workspace: Workspace) -> None:
    _synced(workspace)
    target = workspace.root / "notes.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o644)

    assert workspace.run("notes", "--output", str(target)).code == 0

    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert "## Features" in target.read_text(encoding="utf-8")


def test_a_new_file_gets_the_mode_the_umask_gives(workspace: Workspace) -> None:
    _synced(workspace)
    target = workspace.root / "fresh.md"
    umask = os.umask(0)
    os.umask(umask)

    assert workspace.run("notes", "--output", str(target)).code == 0

    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_fifo_is_written_into_not_replaced(workspace: Workspace) -> None:
    _synced(workspace)
    fifo = workspace.root / "notes.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(_read(fifo)), daemon=True)
    reader.start()

    result = workspace.run("notes", "--output", str(fifo))

    reader.join(timeout=30)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and "## Features" in received[0]


def _read(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        return handle.read()
