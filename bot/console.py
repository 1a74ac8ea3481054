"""Output: lines for people and JSON on stdout, aligned tables, progress on a terminal.

Each call writes at once (stdout is flushed by the interpreter as usual); the progress line
costs one short write to stderr per report, and none when stderr is not a terminal.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Sequence
from typing import Any, TextIO

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides
# and isolates: a commit title holding them could retitle or clear the operator's terminal,
# hide text, or make it read in another order. They are shown as visible escapes instead.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What JSON itself leaves raw of those (it escapes C0 already): shown as \u escapes, which read
# back as the same characters.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def for_people(text: str) -> str:
    """`text` with every terminal control and bidi override shown as an escape (`\\x1b`)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def echo(text: str = "") -> None:
    """A line for people on stdout (controls neutralised)."""
    sys.stdout.write(for_people(text) + "\n")


def note(text: str) -> None:
    """A line for people on stderr, beside output that must stay clean (notes, JSON)."""
    sys.stderr.write(for_people(f"note: {text}") + "\n")


def write_text(text: str) -> None:
    """Text for people on stdout as it is (its lines kept), controls neutralised."""
    sys.stdout.write(for_people(text))


def json_text(payload: Any, *, indent: int | None = None) -> str:
    """`payload` as JSON, non-ASCII text kept readable but every terminal control and bidi
    override written as a `\\u` escape (the characters are kept; a terminal only shows them)."""
    text = json.dumps(payload, indent=indent, ensure_ascii=False, default=str)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(payload: Any) -> None:
    """One JSON object on stdout."""
    sys.stdout.write(json_text(payload, indent=2) + "\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_width: int = 60) -> str:
    """Rows under headers, columns padded to their widest cell (cells cut at max_width)."""
    cells = [[_cut(str(c), max_width) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = " ".join(for_people(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class TerminalProgress:
    """Rewrites one status line on a terminal; does nothing when the stream is not a terminal.

    It hears a sync's steps (`progress("recorded 3 new changes from api")`) and what each
    source has read (`progress.read(source="api", pages=1)`), from the gathering threads at
    once; the line then shows the source that just read, with its pages and changes so far,
    and the totals of every source. Nothing of it reaches the logs; used as a context manager,
    it clears its line before a log line is written to the same terminal.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._active = self._stream.isatty()
        self._last = 0
        self._reads: dict[str, list[int]] = {}  # source -> [pages, changes]
        self._total = [0, 0]
        self._lock = threading.Lock()
        self._handlers: list[logging.Handler] = []

    def __enter__(self) -> TerminalProgress:
        """Keep log lines off the status line: a log handler writing to the same terminal
        clears it before each record (the next report draws it again)."""
        if self._active:
            for handler in logging.getLogger().handlers:
                if getattr(handler, "stream", None) is self._stream:
                    handler.addFilter(self._before_log)
                    self._handlers.append(handler)
        return self

    def __exit__(self, *_: object) -> None:
        for handler in self._handlers:
            handler.removeFilter(self._before_log)
        self._handlers.clear()
        self.done()

    def _before_log(self, _record: logging.LogRecord) -> bool:
        self.done()
        return True  # a filter that lets every record through

    def __call__(self, message: str) -> None:
        if not self._active:
            return
        with self._lock:
            self._show(message)

    def read(self, *, source: str, pages: int = 0, changes: int = 0) -> None:
        """`source` read `pages` more pages and `changes` more changes."""
        if not self._active:
            return
        with self._lock:
            counts = self._reads.setdefault(source, [0, 0])
            for tally in (counts, self._total):
                tally[0] += pages
                tally[1] += changes
            line = f"reading {source}: {_read_counts(*counts)}"
            if len(self._reads) > 1:
                line += f" (all {len(self._reads)} sources: {_read_counts(*self._total)})"
            self._show(line)

    def _show(self, message: str) -> None:
        line = _cut(for_people(message), 78)
        self._stream.write("\r" + line.ljust(self._last))
        self._stream.flush()
        self._last = len(line)

    def done(self) -> None:
        """Clear the status line."""
        with self._lock:
            if self._active and self._last:
                self._stream.write("\r" + " " * self._last + "\r")
                self._stream.flush()
                self._last = 0


def _read_counts(pages: int, changes: int) -> str:
    return f"{_count(pages, 'page')}, {_count(changes, 'change')}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
