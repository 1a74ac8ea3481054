"""Glob patterns over repository paths, with `**` spanning directories (as in .gitignore)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Translate a glob to a regex: `*` and `?` stay in one segment, `**` crosses segments.

    `**/x` also matches `x` at the top level and `dir/**` matches everything below `dir`.
    """
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def matches_any(path: str, patterns: Sequence[str]) -> bool:
    """Whether a slash-separated repository path matches any of the glob patterns."""
    return any(compile_glob(p).match(path) for p in patterns)
