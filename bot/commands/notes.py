"""`release-train notes`: render the train's draft release notes."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands.common import load
from bot.console import for_people, note, write_text
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.commands.common import Globals


def run_notes(g: Globals, *, fmt: str, output: Path | None, sprint: str | None) -> None:
    """Render the notes of the current (or named) sprint to stdout or a file."""
    from bot.bootstrap import open_train

    settings, train = load(g)
    with open_train(settings, train, read_only=True) as runtime:
        text, hint = runtime.notes.render_for_people(fmt=fmt, sprint_name=sprint)
    if hint is not None:
        note(hint)  # stdout (or --output) holds the notes alone
    if output is None:
        write_text(text)
    else:
        _write_output(output, for_people(text))


def _write_output(path: Path, text: str) -> None:
    """Write where the user pointed: through a symlink to its target, straight into a FIFO or
    a device, and over a regular file atomically, keeping that file's mode."""
    target = path.resolve() if path.is_symlink() else path
    try:
        found = target.stat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise ConfigError(f"--output: cannot write to {path}: {exc.strerror}") from None
    if found is not None and not stat.S_ISREG(found.st_mode):
        try:
            with target.open("w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise ConfigError(f"--output: cannot write to {path}: {exc.strerror}") from None
        return
    mode = stat.S_IMODE(found.st_mode) if found is not None else _default_mode()
    _write_atomically(target, text, mode=mode)


def _default_mode() -> int:
    """What a new file gets (0666 less the umask), as any other program would create it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_atomically(path: Path, text: str, *, mode: int) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    folder = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ConfigError(f"--output: cannot write to {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            os.fchmod(handle.fileno(), mode)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"--output: cannot write to {path}: {exc.strerror}") from None
