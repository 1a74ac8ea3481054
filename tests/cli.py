"""The command line as the tests run it: `run_cli` in a process of its own, exactly as a user
runs it; `run_here` inside the test process, for configuration and error cases that need no
process (the same entry point, argv, working folder and RELEASE_TRAIN_* environment, with stdout,
stderr and the exit code captured; a starting interpreter costs about a second each).

`run_here` puts back everything the run changes in the process: the environment, the working
folder, sys.argv, the root logger's handlers and levels.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Result:
    """What one run of the command printed and how it exited."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(
    config: Path,
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> Result:
    """`python -m bot -c CONFIG ARGS...` as a user runs it: no inherited RELEASE_TRAIN_*
    variables, loopback never through a proxy, plus `env`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    full_env["NO_PROXY"] = full_env["no_proxy"] = "127.0.0.1,localhost"
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "-c", str(config), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_here(
    config: Path | None, *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> Result:
    """Run the command in this process; its output and exit code as a Result."""
    from bot.cli import main

    argv = ["release-train", *(["-c", str(config)] if config is not None else []), *args]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with (
        _environment(env or {}),
        _folder(cwd),
        _argv(argv),
        _logging_kept(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            main()
        except SystemExit as done:
            code = _exit_code(done.code)
    return Result(code, out.getvalue(), err.getvalue())


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith("RELEASE_TRAIN_")]:
        del os.environ[name]
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _folder(cwd: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _argv(argv: list[str]) -> Iterator[None]:
    before = sys.argv
    sys.argv = argv
    try:
        yield
    finally:
        sys.argv = before


@contextlib.contextmanager
def _logging_kept() -> Iterator[None]:
    """The root logger, the bot's and the libraries' as they were: the command installs its
    own handler and sets their levels."""
    from bot.logs import LIBRARY_LOGGERS, PAYLOAD_LOGGERS, WRAPPED_CLIENT_LOGGERS

    root = logging.getLogger()
    named = ["bot", *LIBRARY_LOGGERS, *WRAPPED_CLIENT_LOGGERS, *PAYLOAD_LOGGERS]
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in named}
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        for name, kept in levels.items():
            logging.getLogger(name).setLevel(kept)
