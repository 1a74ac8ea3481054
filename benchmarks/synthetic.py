"""A source of made-up changes, shaped like a git source's, for filling a store without git.

The mix follows `history.py`: PR merges, squash merges and direct pushes with conventional
titles; every tenth change adds an expand migration, every hundredth drops a column an expand
added five changes earlier (a contract in the same sprint: a violation), some change UI files,
some are breaking behind a feature flag, some carry a data-impact label without one, and every
two-hundredth reverts a change nine changes back.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from history import conventional_title

from bot.domain.model import Change, FileChange, SourceBatch

_AUTHORS = ("Alice", "Bob", "Chidi", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivo")


class SyntheticSource:
    """A ChangeSource whose trunk holds `count` changes evenly spread over [first, last]."""

    def __init__(self, *, name: str, count: int, first: datetime, last: datetime) -> None:
        self._name = name
        self._count = count
        self._first = first
        self._step = (last - first) / max(count - 1, 1)

    @property
    def name(self) -> str:
        return self._name

    def gather(self, *, cursor: str | None, since: datetime) -> SourceBatch:
        """Every change after `cursor` (a change index), oldest first; `since` is ignored."""
        start = int(cursor) + 1 if cursor is not None else 0
        changes = tuple(self.change(index) for index in range(start, self._count))
        return SourceBatch(source=self._name, changes=changes, cursor=str(self._count - 1))

    def change(self, index: int) -> Change:
        """Change number `index`, the same on every call."""
        sha = _sha(index)
        title = conventional_title(index)
        message = title + (f"\n\nFeature-Flag: flag-{index}\n" if index % 50 == 7 else "\n")
        labels: tuple[str, ...] = ("data-impact",) if index % 250 == 11 else ()
        number: int | None = index if index % 3 else None
        if index % 200 == 9:
            reverted = index - 9
            title = f'Revert "{conventional_title(reverted)}"'
            message = f"{title}\n\nThis reverts commit {_sha(reverted)}.\n"
            number = None
        return Change(
            id=f"git:{self._name}:{sha}",
            source=self._name,
            title=title,
            merged_at=self._first + self._step * index,
            author=f"{_AUTHORS[index % len(_AUTHORS)]} Example",
            body=message.partition("\n")[2].strip(),
            url=f"https://git.example.com/acme/app/commit/{sha}",
            sha=sha,
            number=number,
            branch=f"pr-{index}" if index % 3 == 1 else None,
            labels=labels,
            trailers=(("Feature-Flag", f"flag-{index}"),) if index % 50 == 7 else (),
            commits=(sha,),
            messages=(message,),
            files=_files(index),
        )


def _sha(index: int) -> str:
    return hashlib.sha1(f"change {index}".encode(), usedforsecurity=False).hexdigest()


def _files(index: int) -> tuple[FileChange, ...]:
    files = [
        FileChange(path=f"src/app/module{index % 61}.py", added=12, deleted=9),
        FileChange(path=f"src/app/service{(index * 7) % 43}.py", added=1, deleted=1),
    ]
    if index % 5 == 3:
        files.append(FileChange(path=f"web/pages/page{index % 17}.tsx", added=40, deleted=2))
    if index % 10 == 0:
        statement = f"ALTER TABLE orders ADD COLUMN c{index} integer;"
        files.append(_migration(f"db/migrations/{index:05d}_add_c{index}.sql", statement))
    if index % 100 == 5:
        statement = f"ALTER TABLE orders DROP COLUMN c{index - 5};"
        files.append(_migration(f"db/migrations/{index:05d}_drop_c{index - 5}.sql", statement))
    return tuple(files)


def _migration(path: str, statement: str) -> FileChange:
    return FileChange(path=path, added=1, deleted=0, patch=f"@@ -0,0 +1 @@\n+{statement}\n")
