"""The added lines of trunk commits that evaluate a feature flag, for the policy to name.

The code hosts send each file's patch; a local clone is read for these lines in one `git log`
over the sync's trunk commits (each against its first parent, merges included), which git
filters itself with `-G`: a POSIX regular expression built from the literal text each flag
pattern must contain (`isEnabled(`, `_ENABLED`...), so only commits adding or removing such a
line come back, and only their matching files. Python then keeps the added lines the flag
patterns really match. Cost: one git process per sync (none when the flag patterns have no
literal text git could look for: then no git source keeps evidence, which the policy reads as
"no flag seen in code", and `explain` says so in no uncertain terms by naming no flag).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Protocol

from bot.adapters.sources.shared import EVIDENCE_CHARS, EVIDENCE_PER_FILE

# A literal shorter than this makes git match nearly every line: no filter worth running.
_MIN_LITERAL = 3
_ERE_SPECIAL = re.compile(r"([.\[\]()*+?{}|^$\\])")
_COMMIT_MARK = b"\x00commit "


class _Runner(Protocol):
    def run(
        self, *args: str, stdin: bytes | None = None, ok_codes: Sequence[int] = (0,)
    ) -> Any: ...


def flag_evidence(
    git: _Runner, shas: Sequence[str], patterns: Sequence[str], *, paths: Sequence[str] = ()
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(commit, path) -> the added lines of that file in that commit that evaluate a flag."""
    filter_ = git_filter(tuple(patterns))
    if not shas or filter_ is None:
        return {}
    flags = re.compile("|".join(f"(?:{p})" for p in patterns))
    output = git.run(
        "log",
        "--stdin",
        "--no-walk=unsorted",
        "--diff-merges=first-parent",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "-p",
        "-U0",
        "--format=%x00commit %H",
        f"-G{filter_}",
        *(["--", *paths] if paths else []),
        stdin="".join(f"{sha}\n" for sha in shas).encode(),
    ).stdout
    return _added_matches(output, flags)


def _added_matches(output: bytes, flags: re.Pattern[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    found: dict[tuple[str, str], list[str]] = {}
    sha, path = "", ""
    for raw in output.split(b"\n"):
        if raw.startswith(_COMMIT_MARK):
            sha, path = raw[len(_COMMIT_MARK) :].decode("ascii", "replace").strip(), ""
        elif raw.startswith(b"+++ "):
            name = raw[4:].decode("utf-8", "replace")
            path = name[2:] if name.startswith("b/") else ""
        elif raw.startswith(b"+") and sha and path:
            line = raw[1:].decode("utf-8", "replace")
            kept = found.setdefault((sha, path), [])
            if len(kept) < EVIDENCE_PER_FILE and flags.search(line):
                kept.append(line.strip()[:EVIDENCE_CHARS])
    return {key: tuple(lines) for key, lines in found.items() if lines}


@lru_cache(maxsize=8)
def git_filter(patterns: tuple[str, ...]) -> str | None:
    """A POSIX extended regex matching every line any pattern can match (a superset), from
    the longest literal text each pattern requires; None when one requires none."""
    literals = [_longest_literal(pattern) for pattern in patterns]
    if not literals or any(len(text) < _MIN_LITERAL for text in literals):
        return None
    return "|".join(_ERE_SPECIAL.sub(r"\\\1", text) for text in dict.fromkeys(literals))


def _longest_literal(pattern: str) -> str:
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return ""
    return max(_required_runs(list(parsed)), key=len, default="")


def _required_runs(items: list[tuple[Any, Any]]) -> list[str]:
    """Runs of literal characters that every match contains, in a parsed sequence."""
    runs: list[str] = []
    current: list[str] = []
    for op, value in items:
        if op is sre_constants.LITERAL:
            current.append(chr(value))
            continue
        if op is sre_constants.SUBPATTERN:
            # A group is required text: its own runs count, and it ends the current run.
            runs.append("".join(current))
            current = []
            runs.extend(_required_runs(list(value[-1])))
            continue
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
            runs.append("".join(current))
            current = []
            runs.extend(_required_runs(list(value[2])))
            continue
        if op is sre_constants.AT:
            continue  # \b, ^, $: no text
        runs.append("".join(current))
        current = []
    runs.append("".join(current))
    return [run for run in runs if run]
