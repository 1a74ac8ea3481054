"""Runs git as a read-only reader that never executes anything the repository configures."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from bot.errors import SourceError

log = logging.getLogger(__name__)

# A repository's own .git/config (and its .gitattributes) can name programs for git to run:
# an fsmonitor hook, hooks, external diff drivers, textconv filters, a pager, gpg for signature
# display, ssh or other transports for lazily fetching missing objects. Command-line config
# outranks every file, so each of these is switched off here (diff-tree also gets --no-ext-diff
# and --no-textconv); the plumbing used never needs them.
_SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.alternateRefsCommand=false",
    "credential.helper=",
    "protocol.allow=never",
    "log.showSignature=false",
    "gpg.program=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "color.ui=false",
)

# Every other GIT_* variable is dropped (they point git at other repositories, configs or
# programs); these only choose the operator's own global and system config, which stay.
_KEPT_GIT_VARIABLES = frozenset({"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM"})

_FIXED_ENVIRONMENT: Mapping[str, str] = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_SSH_COMMAND": "false",
    "LC_ALL": "C",
    "LANGUAGE": "C",
}


@dataclass(frozen=True, slots=True)
class GitOutput:
    """What one git process printed, and how it ended."""

    returncode: int
    stdout: bytes
    stderr: str


class GitRunner:
    """Runs git plumbing in one repository with a timeout, mapping failures to SourceError."""

    def __init__(
        self,
        *,
        git: str,
        repo: Path,
        source: str,
        timeout: float,
        on_run: Callable[[], None] | None = None,
    ) -> None:
        self._git = git
        self._repo = repo
        self._source = source
        self._timeout = timeout
        self._on_run = on_run  # told of each process that ran (a source's progress)

    def environment(self) -> dict[str, str]:
        """The inherited environment without git's redirections, plus the safe settings."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("GIT_") or key in _KEPT_GIT_VARIABLES
        }
        env.update(_FIXED_ENVIRONMENT)
        # Stop discovery at the configured directory: a plain folder inside some other
        # checkout must read as "not a git repository", not as that other checkout.
        env["GIT_CEILING_DIRECTORIES"] = str(self._repo.parent)
        return env

    def command(self, args: Sequence[str]) -> list[str]:
        """The full argument list: safety switches first, then the subcommand."""
        cmd = [self._git, "--no-pager", "--no-replace-objects", "-C", str(self._repo)]
        # The operator chose this path, so its ownership is vouched for; both spellings are
        # given because git compares the text of the path it found.
        for directory in {str(self._repo), str(self._repo.resolve())}:
            cmd += ["-c", f"safe.directory={directory}"]
        for setting in _SAFE_CONFIG:
            cmd += ["-c", setting]
        return [*cmd, *args]

    def run(
        self, *args: str, stdin: bytes | None = None, ok_codes: Sequence[int] = (0,)
    ) -> GitOutput:
        """Run one git command; any exit code outside `ok_codes` raises SourceError."""
        cmd = self.command(args)
        log.debug("git source %r runs git %s", self._source, args[0])
        try:
            with self._launching():
                proc = subprocess.run(
                    cmd,
                    input=stdin if stdin is not None else b"",
                    capture_output=True,
                    env=self.environment(),
                    timeout=self._timeout,
                    check=False,
                )
        except subprocess.TimeoutExpired as exc:
            raise SourceError(
                f"Git source '{self._source}' cannot be read: git {args[0]} took longer than "
                f"{self._timeout:g} seconds."
            ) from exc
        stderr = proc.stderr.decode("utf-8", errors="replace")
        if proc.returncode not in ok_codes:
            raise SourceError(self._failure(args[0], stderr))
        if self._on_run is not None:
            self._on_run()
        return GitOutput(returncode=proc.returncode, stdout=proc.stdout, stderr=stderr)

    def stream(self, *args: str, stdin: bytes = b"", chunk: int = 1 << 20) -> Iterator[bytes]:
        """Run one git command and yield its output as it comes, `chunk` bytes at most at a
        time, so a caller can read a long output holding only part of it. The same safety
        settings, timeout (for the whole run) and errors as `run`; closing the iterator early
        stops the process."""
        log.debug("git source %r streams git %s", self._source, args[0])
        with self._launching():
            proc = subprocess.Popen(
                self.command(args),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self.environment(),
            )
        pump = _Pump(proc, stdin=stdin, timeout=self._timeout)
        out = cast(io.BufferedReader, proc.stdout)
        finished = False
        try:
            while block := out.read1(chunk):
                yield block
            finished = True
        finally:
            stderr = pump.close(kill=not finished)
        if pump.expired:
            raise SourceError(
                f"Git source '{self._source}' cannot be read: git {args[0]} took longer than "
                f"{self._timeout:g} seconds."
            )
        if proc.returncode != 0:
            raise SourceError(self._failure(args[0], stderr))
        if self._on_run is not None:
            self._on_run()

    @contextmanager
    def _launching(self) -> Iterator[None]:
        """Starting git: a missing or unusable executable is a SourceError saying so."""
        try:
            yield
        except FileNotFoundError as exc:
            raise SourceError(
                f"Git source '{self._source}' cannot be read: the git executable "
                f"'{self._git}' was not found (is git installed?)."
            ) from exc
        except PermissionError as exc:
            raise SourceError(
                f"Git source '{self._source}' cannot be read: '{self._git}' is not executable."
            ) from exc

    def _failure(self, subcommand: str, stderr: str) -> str:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        fatal = next((line for line in lines if line.startswith(("fatal:", "error:"))), "")
        detail = (fatal or (lines[0] if lines else "no message")).removeprefix("fatal:")
        detail = detail.removeprefix("error:").strip().rstrip(".")
        where = f"Git source '{self._source}' ({self._repo})"
        if "not a git repository" in detail:
            return f"{where} is not a git repository (give the top directory of a clone)."
        if "dubious ownership" in detail:
            return f"{where} is refused by git as owned by another user: {detail}."
        return f"{where} cannot be read: git {subcommand} failed: {detail}."


class _Pump:
    """A streamed git process's helpers: a thread writing its stdin, one reading its stderr,
    and a timer that kills it when its time is up."""

    def __init__(self, proc: subprocess.Popen[bytes], *, stdin: bytes, timeout: float) -> None:
        self._proc = proc
        self._errors: list[bytes] = []
        self._expired = threading.Event()
        self._threads = [
            threading.Thread(target=self._feed, args=(stdin,), daemon=True),
            threading.Thread(target=self._drain, daemon=True),
        ]
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True
        for thread in self._threads:
            thread.start()
        self._timer.start()

    @property
    def expired(self) -> bool:
        return self._expired.is_set()

    def close(self, *, kill: bool) -> str:
        """Stop the timer (and the process, when `kill`), wait for it; its stderr."""
        self._timer.cancel()
        if kill:
            self._proc.kill()
        cast(IO[bytes], self._proc.stdout).close()
        self._proc.wait()
        for thread in self._threads:
            thread.join()
        cast(IO[bytes], self._proc.stderr).close()
        return b"".join(self._errors).decode("utf-8", errors="replace")

    def _feed(self, data: bytes) -> None:
        into = cast(IO[bytes], self._proc.stdin)
        try:
            with contextlib.suppress(OSError):  # git may stop reading early (it failed)
                into.write(data)
        finally:
            with contextlib.suppress(OSError):
                into.close()

    def _drain(self) -> None:
        self._errors.append(cast(IO[bytes], self._proc.stderr).read())

    def _expire(self) -> None:
        self._expired.set()
        self._proc.kill()
