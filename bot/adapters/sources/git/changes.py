"""Reads a trunk commit as a change: title, pull request number, branch, trailers and author."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.adapters.sources.git.objects import RawCommit, RevLine
from bot.adapters.sources.shared import split_message

EMPTY_TITLE = "(no commit message)"

_GITHUB_MERGE = re.compile(r"Merge pull request #(?P<number>\d+) from (?P<ref>\S+)")
# GitLab's merge request commits, and git's own "Merge branch 'x' [of <url>] [into y]".
_BRANCH_MERGE = re.compile(
    r"Merge (?:remote-tracking )?branch '(?P<branch>[^']+)'(?: of \S+)?(?: into (?:'[^']+'|\S+))?"
)
_BITBUCKET_MERGE = re.compile(r"Merged in (?P<branch>\S+) \(pull request #(?P<number>\d+)\)")
_SQUASH = re.compile(r"(?P<title>.*\S)\s+\(#(?P<number>\d+)\)")
_MERGE_REQUEST_LINE = re.compile(r"See merge request \S+!(?P<number>\d+)")
_TRAILER = re.compile(r"(?P<key>[A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(?P<value>.*)")


@dataclass(frozen=True, slots=True)
class Headline:
    """The title of a trunk commit's change and what its message says about the merge."""

    title: str
    body: str
    number: int | None = None
    branch: str | None = None


def read_headline(message: str) -> Headline:
    """Title, body, pull request number and branch of one trunk commit's message.

    GitHub merges (`Merge pull request #N from owner/branch`) and branch merges
    (`Merge branch 'b' into 'main'`, as GitLab writes them) take their title from the first
    line of the body; a squash subject ending ` (#N)` loses that suffix and gives the number.
    """
    subject, body = split_message(message)
    if match := _GITHUB_MERGE.fullmatch(subject):
        ref = match["ref"]
        title, rest = split_message(body)
        return Headline(
            title=title or subject,
            body=rest,
            number=int(match["number"]),
            branch=ref.split("/", 1)[1] if "/" in ref else ref,
        )
    if match := _BRANCH_MERGE.fullmatch(subject):
        requests = _MERGE_REQUEST_LINE.findall(body)
        title, rest = split_message(body)
        if not title or _MERGE_REQUEST_LINE.fullmatch(title):
            title, rest = subject, body
        return Headline(
            title=title,
            body=rest,
            number=int(requests[-1]) if requests else None,
            branch=match["branch"],
        )
    if match := _BITBUCKET_MERGE.fullmatch(subject):
        title, rest = split_message(body)
        return Headline(
            title=title or subject, body=rest, number=int(match["number"]), branch=match["branch"]
        )
    if match := _SQUASH.fullmatch(subject):
        return Headline(title=match["title"], body=body, number=int(match["number"]))
    return Headline(title=subject or EMPTY_TITLE, body=body)


def parse_trailers(message: str) -> list[tuple[str, str]]:
    """The `Key: value` trailers of a message's last paragraph (never of its subject).

    The paragraph counts only when every line is a trailer, an indented continuation of the
    one before, or git's `(cherry picked from commit ...)` note.
    """
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", message.replace("\r\n", "\n").strip()) if p]
    if len(paragraphs) < 2:
        return []
    found: list[tuple[str, str]] = []
    for line in paragraphs[-1].split("\n"):
        if line[:1] in (" ", "\t") and found:
            key, value = found[-1]
            found[-1] = (key, f"{value} {line.strip()}".strip())
        elif line.startswith("(cherry picked from commit "):
            continue
        elif match := _TRAILER.fullmatch(line.rstrip()):
            found.append((match["key"], match["value"].strip()))
        else:
            return []
    return found


def merge_trailers(messages: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The trailers of several messages in order, each distinct pair once."""
    seen: dict[tuple[str, str], None] = {}
    for message in messages:
        for pair in parse_trailers(message):
            seen.setdefault(pair, None)
    return tuple(seen)


def change_author(line: RevLine, brought: list[str], commits: dict[str, RawCommit]) -> str:
    """Who wrote the change: for a merge, the author of the merged branch's tip (skipping
    merges of the trunk into that branch); otherwise the trunk commit's author."""
    members = set(brought)
    sha = line.parents[1] if len(line.parents) > 1 else None
    if sha is None or sha not in members:
        return commits[line.sha].author
    while len(commits[sha].parents) > 1 and commits[sha].parents[0] in members:
        sha = commits[sha].parents[0]
    return commits[sha].author
