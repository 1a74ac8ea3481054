"""Output: lines for people and JSON on stdout, aligned tables, progress on a terminal."""

from __future__ import annotations

import json
import re
import sys
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
    """Rewrites one status line on a terminal; does nothing when the stream is not a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._active = self._stream.isatty()
        self._last = 0

    def __call__(self, message: str) -> None:
        if not self._active:
            return
        line = _cut(for_people(message), 78)
        self._stream.write("\r" + line.ljust(self._last))
        self._stream.flush()
        self._last = len(line)

    def done(self) -> None:
        """Clear the status line."""
        if self._active and self._last:
            self._stream.write("\r" + " " * self._last + "\r")
            self._stream.flush()
            self._last = 0
