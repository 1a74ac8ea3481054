"""What change text says about itself: Jira keys, conventional-commit titles, trailers."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.model import Change

DEFAULT_JIRA_KEY_PATTERN = "[A-Z][A-Z0-9]+-[0-9]+"
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)

# Bounded quantifiers keep every match linear on hostile titles.
_CONVENTIONAL = re.compile(
    r"(?P<type>[A-Za-z][A-Za-z0-9_-]{0,31})"
    r"(?:\((?P<scope>[^()\r\n]{0,100})\))?"
    r"(?P<bang>!)?:[ \t]+(?P<description>\S[^\r\n]*)"
)
# Conventional Commits: the footer token is upper case; BREAKING-CHANGE is its synonym.
_BREAKING_FOOTER = re.compile(r"^BREAKING[ -]CHANGE:[ \t]*\S", re.MULTILINE)
_TRAILER_LINE = re.compile(r"([A-Za-z0-9][A-Za-z0-9-]{0,62})[ \t]*:[ \t]*(.*)")


@dataclass(frozen=True, slots=True)
class Conventional:
    """The parts of a conventional-commit title: `type(scope)!: description`."""

    type: str
    scope: str | None
    breaking: bool
    description: str

    @property
    def label(self) -> str:
        """The prefix as written, normalised: `feat`, `feat(api)!`."""
        scope = f"({self.scope})" if self.scope else ""
        return f"{self.type}{scope}{'!' if self.breaking else ''}"


@lru_cache(maxsize=64)
def compile_key_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a Jira key pattern; raises ValueError naming it when it is not a valid regex."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid Jira key pattern {pattern!r}: {exc}") from exc


@lru_cache(maxsize=64)
def _key_finder(pattern: str) -> re.Pattern[str]:
    # Starting matches only where a word starts keeps the default pattern linear on a long
    # run of capitals, where trying it at every letter would be quadratic.
    try:
        return re.compile(rf"(?<![A-Za-z0-9])(?:{pattern})")
    except re.error:
        return compile_key_pattern(pattern)  # e.g. global flags inside the pattern


def _stands_alone(text: str, span: tuple[int, int]) -> bool:
    # A key glued to letters or digits (`ABC-12x`, `xABC-12`) is part of another word;
    # punctuation, `_` and `/` around it (branch names like `feature/PAY-7_fix`) are fine.
    start, end = span
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before not in _ASCII_ALNUM and after not in _ASCII_ALNUM


# Names of standards and models that look like Jira keys and are written in titles and commit
# messages all the time (UTF-8, SHA-256, ISO-8601, RFC-7231, CVE-2024-1234, GPT-4).
_STANDARD = re.compile(r"(?:UTF|UCS|SHA|ISO|RFC|CVE|GPT|MD|TLS|SSL|HTTP|IPV|X)-\d", re.I)


def find_jira_keys(
    texts: Sequence[str], *, pattern: str = DEFAULT_JIRA_KEY_PATTERN
) -> tuple[str, ...]:
    """Jira keys named in the texts, in order of first appearance, each once.

    A match must stand alone: not preceded or followed by an ASCII letter or digit.
    """
    joined = "\n".join(text for text in texts if text)
    seen: dict[str, None] = {}
    for match in _key_finder(pattern).finditer(joined):
        key = match.group(0)
        if key and _stands_alone(joined, match.span()) and not _STANDARD.match(key):
            seen[key] = None
    return tuple(seen)


# The types conventional commits use in practice (the Angular convention and its kin); the notes
# drop these from titles, and only these.
COMMIT_TYPES = frozenset(
    {
        "feat", "fix", "perf", "refactor", "revert", "chore", "docs", "doc", "style", "test",
        "tests", "build", "ci", "deps", "i18n", "release", "security",
    }
)  # fmt: skip


def parse_conventional(title: str) -> Conventional | None:
    """Read `type(scope)!: description` from the first line of a title; None when not one."""
    first = (title or "").strip().split("\n", 1)[0].strip()
    match = _CONVENTIONAL.fullmatch(first)
    if match is None:
        return None
    scope = match.group("scope")
    return Conventional(
        type=match.group("type").lower(),
        scope=(scope.strip() or None) if scope is not None else None,
        breaking=match.group("bang") is not None,
        description=match.group("description").strip(),
    )


def display_title(title: str) -> str:
    """A title as the notes show it: without its conventional type, its scope and breaking mark
    kept (`feat(api)!: drop v1` shows as `api!: drop v1`, `feat!: drop v1` as `⚠ drop v1`,
    `fix: rounding` as `rounding`); any other title as it is."""
    conventional = parse_conventional(title)
    if conventional is None or not conventional.description:
        return title
    if conventional.type not in COMMIT_TYPES:
        return title  # "README: how it works", "Docs: ...": a word before a colon, not a type
    mark = "!" if conventional.breaking else ""
    if conventional.scope:
        return f"{conventional.scope}{mark}: {conventional.description}"
    return f"⚠ {conventional.description}" if mark else conventional.description


def strip_html_comments(text: str) -> str:
    """Remove `<!-- ... -->` blocks (pull-request templates keep their instructions there)."""
    if "<!--" not in text:
        return text
    parts: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            parts.append(text[position:])
            break
        parts.append(text[position:start])
        end = text.find("-->", start + 4)
        if end < 0:
            break  # an unclosed comment hides the rest, as a Markdown renderer does
        position = end + 3
    return "".join(parts)


def has_breaking_footer(text: str) -> bool:
    """Whether a line of the text starts with `BREAKING CHANGE:` or `BREAKING-CHANGE:`."""
    return bool(text) and _BREAKING_FOOTER.search(text) is not None


def is_breaking(change: Change) -> bool:
    """Whether the change declares itself backwards-incompatible by conventional-commit rules.

    True for a `!` before the colon of the title (`feat!:`, `feat(api)!:`) or a breaking-change
    footer in the body or any commit message. Labels are the policy's business, not this one's.
    """
    conventional = parse_conventional(change.title)
    if conventional is not None and conventional.breaking:
        return True
    return any(has_breaking_footer(text) for text in _footer_texts(change))


def _footer_texts(change: Change) -> Iterable[str]:
    yield strip_html_comments(change.body)
    yield from change.messages


def parse_trailers(message: str, *, has_subject: bool = True) -> tuple[tuple[str, str], ...]:
    """The git trailer block of a message: its last paragraph, when every line is `Key: value`.

    Lines starting with whitespace continue the previous value. With `has_subject` (a commit
    message) the first paragraph is the subject and never a trailer block; pass False for a
    pull-request body. Keys keep their spelling; compare them case-insensitively.
    """
    paragraphs = _paragraphs(message or "")
    if len(paragraphs) < (2 if has_subject else 1):
        return ()
    trailers: list[tuple[str, str]] = []
    for line in paragraphs[-1]:
        if line[:1] in (" ", "\t") and trailers:
            key, value = trailers[-1]
            trailers[-1] = (key, f"{value} {line.strip()}".strip())
            continue
        match = _TRAILER_LINE.fullmatch(line.rstrip())
        if match is None:
            return ()
        trailers.append((match.group(1), match.group(2).strip()))
    return tuple(trailers)


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs
