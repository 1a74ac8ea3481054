"""`release-train notes`: render the train's draft release notes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import for_people, write_text
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_notes(g: Globals, *, fmt: str, output: Path | None, sprint: str | None) -> None:
    """Render the notes of the current (or named) sprint to stdout or a file."""
    from bot.bootstrap import open_train

    settings, train = load(g)
    with open_train(settings, train, read_only=True) as runtime:
        text = runtime.notes.render(fmt=fmt, sprint_name=sprint)
    if output is None:
        write_text(text)
    else:
        _write_atomically(output, for_people(text))


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    folder = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ConfigError(f"--output: cannot write to {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"--output: cannot write to {path}: {exc.strerror}") from None
