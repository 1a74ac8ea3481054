"""Which changes revert which: targets named by a revert, and revert pairs across a batch.

`revert_targets` returns, in order of appearance and each once:

- a commit sha (7 to 40 hex digits, lower-case) from `This reverts commit <sha>` in the body or
  any commit message;
- for a GitHub change, the change id `github:<owner>/<repo>#<n>` from `Reverts owner/repo#n`
  (or `Reverts #n`, in its own repository); for a GitLab change, the change id
  `gitlab:<project>!<n>` from `This reverts merge request !n`, in its own project;
- for a change of any other kind (a local git source, whose ids are shas) the same sentences in
  its body or commit messages give the fragment `#<n>` or `!<n>`: it pairs only with a change
  of the same source that carries that number in the same batch.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence

from bot.domain.model import Change

_REVERTS_COMMIT = re.compile(r"\bThis reverts commit ([0-9a-fA-F]{7,40})\b")
_GITHUB_REVERTS = re.compile(
    r"^[ \t]{0,16}Reverts[ \t]+([\w.-]{1,100}/[\w.-]{1,100})?#(\d{1,9})\b", re.M
)
_GITLAB_REVERTS = re.compile(r"\bThis reverts merge request !(\d{1,9})\b")
_REVERT_TITLE = re.compile(r"Revert[ \t]+\"")
_REVERT_TITLE_QUOTED = re.compile(r"Revert[ \t]+\"(.{1,500})\"", re.S)
_GITHUB_ID = re.compile(r"github:([^#\s]{1,201})#\d{1,9}\Z")
_GITLAB_ID = re.compile(r"gitlab:([^!\s]{1,255})!\d{1,9}\Z")
_SHA = re.compile(r"[0-9a-f]{7,40}\Z")


def revert_targets(change: Change) -> tuple[str, ...]:
    """What the change says it reverts: shas, change ids or number fragments (see the module)."""
    found: dict[str, None] = {}
    for text in (change.body, *change.messages):
        if text and "reverts commit" in text:  # most changes are no reverts: skip the regex
            found.update((m.group(1).lower(), None) for m in _REVERTS_COMMIT.finditer(text))
    github, gitlab = _GITHUB_ID.match(change.id), _GITLAB_ID.match(change.id)
    # A hosted change's own description is its body; a git change carries it in its messages.
    texts = (change.body,) if github or gitlab else (change.body, *change.messages)
    for text in texts:
        if text and "Reverts" in text:
            for match in _GITHUB_REVERTS.finditer(text):
                repo = match.group(1) or (github.group(1) if github else "")
                found[f"github:{repo}#{match.group(2)}" if github else f"#{match.group(2)}"] = None
        if text and "reverts merge request" in text:
            for match in _GITLAB_REVERTS.finditer(text):
                number = match.group(1)
                found[f"gitlab:{gitlab.group(1)}!{number}" if gitlab else f"!{number}"] = None
    return tuple(found)


def is_revert(change: Change) -> bool:
    """Whether the change is a revert: a `Revert "..."` title or a named revert target."""
    return bool(_REVERT_TITLE.match(change.title.strip())) or bool(revert_targets(change))


class _ShaIndex:
    """Commit shas of recorded and batch changes, searchable by unambiguous prefix."""

    def __init__(self, owners: Mapping[str, str]) -> None:
        self._owners = {sha.lower(): owner for sha, owner in owners.items()}
        self._sorted = sorted(self._owners)

    def owner(self, prefix: str, *, besides: str) -> str | None:
        """The one change other than `besides` owning the shas starting with `prefix`."""
        owners: set[str] = set()
        for position in range(bisect.bisect_left(self._sorted, prefix), len(self._sorted)):
            sha = self._sorted[position]
            if not sha.startswith(prefix):
                break
            if self._owners[sha] != besides:
                owners.add(self._owners[sha])
            if len(owners) > 1:
                return None  # ambiguous: two changes share the abbreviation
        return owners.pop() if owners else None


def pair_reverts(changes: Sequence[Change], *, known: Mapping[str, str]) -> dict[str, str]:
    """Map each revert's change id to the id of the change it reverts.

    `known` maps commit shas of already-recorded changes to their change ids; the batch's own
    changes are searched through their `commits`. An abbreviated sha (7+ hex digits) pairs when
    it names one change only. A full GitHub or GitLab change id pairs as named, recorded or not
    (ids are stable, so the caller decides what to do with one it has not seen). When a revert
    names several targets the first that resolves wins; a change never pairs with itself.
    A `Revert "<title>"` naming no target that resolves pairs with the latest earlier change of
    the batch from the same source with exactly that title.
    """
    owners = dict(known)
    for change in changes:
        owners.update({sha: change.id for sha in change.commits if sha})
    index = _ShaIndex(owners)
    numbered = {(c.source, str(c.number)): c.id for c in changes if c.number is not None}
    pairs: dict[str, str] = {}
    titled: dict[tuple[str, str], str] = {}
    for change in changes:
        for target in revert_targets(change):
            reverted = _resolve(target, change=change, index=index, numbered=numbered)
            if reverted is not None and reverted != change.id:
                pairs[change.id] = reverted
                break
        else:
            by_title = _reverted_title(change.title)
            if by_title is not None and (change.source, by_title) in titled:
                pairs[change.id] = titled[(change.source, by_title)]
        titled[(change.source, change.title.strip())] = change.id
    return pairs


def _reverted_title(title: str) -> str | None:
    match = _REVERT_TITLE_QUOTED.fullmatch(title.strip())
    return match.group(1) if match else None


def _resolve(
    target: str, *, change: Change, index: _ShaIndex, numbered: Mapping[tuple[str, str], str]
) -> str | None:
    if _SHA.match(target):
        return index.owner(target, besides=change.id)
    if target.startswith(("#", "!")):
        return numbered.get((change.source, target[1:]))
    return target
