"""Versions of a sprint's release notes, where each was posted, and the decisions taken on them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.adapters.store.database import SqlDatabase
from bot.adapters.store.ledger import insert_pending
from bot.adapters.store.revisions import bump_revision
from bot.adapters.store.tables import decisions, drafts
from bot.domain.model import DraftState
from bot.ports.store import OwedWrite, StoredDraft

DECISIONS = ("approved", "changes_requested")
# Each retry follows a writer that took the number first, so this many writers can race.
_ADD_ATTEMPTS = 10


def content_hash(content: str) -> str:
    """The digest that tells whether a draft's text changed."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class SqlDrafts(SqlDatabase):
    """The Drafts role: numbered versions of a sprint's notes and the decisions taken on them."""

    def add_draft(
        self,
        *,
        train: str,
        sprint: str,
        content: str,
        created_by: str | None,
        created_at: datetime,
        fmt: str = "text",
        edited: bool = False,
    ) -> StoredDraft:
        row: dict[str, Any] = {
            "train": train,
            "sprint": sprint,
            "content": content,
            "content_hash": content_hash(content),
            "state": "pending",
            "created_by": created_by,
            "created_at": created_at.astimezone(UTC),
            "fmt": fmt,
            "edited": edited,
        }
        for attempt in range(1, _ADD_ATTEMPTS + 1):
            try:
                with self._writing() as connection:
                    return _add(connection, row)
            except IntegrityError:
                # Another writer took this version number first: number again after it.
                if attempt == _ADD_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def get_draft(self, *, train: str, sprint: str, version: int) -> StoredDraft | None:
        query = select(drafts).where(
            drafts.c.train == train, drafts.c.sprint == sprint, drafts.c.version == version
        )
        with self._reading() as connection:
            row = connection.execute(query).mappings().one_or_none()
        return None if row is None else _draft(row)

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None:
        with self._reading() as connection:
            return _latest(connection, train=train, sprint=sprint)

    def list_drafts(self, *, train: str, sprint: str) -> list[StoredDraft]:
        query = (
            select(drafts)
            .where(drafts.c.train == train, drafts.c.sprint == sprint)
            .order_by(drafts.c.version)
        )
        with self._reading() as connection:
            return [_draft(row) for row in connection.execute(query).mappings()]

    def set_draft_posted(
        self, *, train: str, sprint: str, version: int, channel: str, ts: str
    ) -> None:
        with self._writing() as connection:
            connection.execute(
                update(drafts)
                .where(
                    drafts.c.train == train, drafts.c.sprint == sprint, drafts.c.version == version
                )
                .values(posted_channel=channel, posted_ts=ts)
            )
            bump_revision(connection, train=train)

    def supersede_drafts(self, *, train: str, sprint: str, below: int) -> list[StoredDraft]:
        # One conditional UPDATE: a row another writer changed first no longer matches.
        statement = (
            update(drafts)
            .where(
                drafts.c.train == train,
                drafts.c.sprint == sprint,
                drafts.c.version < below,
                drafts.c.state == "pending",
            )
            .values(state="superseded")
            .returning(*drafts.c)
        )
        with self._writing() as connection:
            rows = connection.execute(statement).mappings().all()
            if rows:
                bump_revision(connection, train=train)
        return sorted((_draft(row) for row in rows), key=lambda draft: draft.version)

    def decide_draft(
        self,
        *,
        train: str,
        sprint: str,
        version: int,
        decision: str,
        user: str,
        at: datetime,
        note: str | None,
        owed: OwedWrite | None = None,
    ) -> tuple[bool, StoredDraft]:
        if decision not in DECISIONS:
            raise ValueError(f"a draft decision is one of {', '.join(DECISIONS)}, not {decision!r}")
        with self._writing() as connection:
            won = _decide(
                connection,
                key=(train, sprint, version),
                decision=decision,
                user=user,
                at=at,
                note=note,
            )
            if won and owed is not None:
                insert_pending(
                    connection,
                    key=owed.key,
                    service=owed.service,
                    operation=owed.operation,
                    request=owed.request,
                    holder=self.holder,
                )
            current = _latest(connection, train=train, sprint=sprint)
            if won:
                bump_revision(connection, train=train)
        if current is None:
            raise LookupError(f"there is no release-notes draft for {train} {sprint}")
        return won, current

    def draft_state(self, *, train: str, sprint: str) -> DraftState:
        with self._reading() as connection:
            current = _latest(connection, train=train, sprint=sprint)
        if current is None:
            return DraftState()
        approved = current.state == "approved"
        return DraftState(
            version=current.version,
            state=current.state,
            approved_by=current.decided_by if approved else None,
            approved_at=current.decided_at if approved else None,
        )


def _latest(connection: Connection, *, train: str, sprint: str) -> StoredDraft | None:
    query = (
        select(drafts)
        .where(drafts.c.train == train, drafts.c.sprint == sprint)
        .order_by(drafts.c.version.desc())
        .limit(1)
    )
    row = connection.execute(query).mappings().one_or_none()
    return None if row is None else _draft(row)


def _add(connection: Connection, row: dict[str, Any]) -> StoredDraft:
    """Insert the next version, or return the newest when its content is the same.

    Two writers racing for the same version number collide on the primary key; the caller
    retries the loser in a fresh transaction, which then sees the winner's version.
    """
    train, sprint = str(row["train"]), str(row["sprint"])
    current = _latest(connection, train=train, sprint=sprint)
    if current is not None and current.content_hash == row["content_hash"]:
        return current
    version = 1 if current is None else current.version + 1
    inserted = (
        connection.execute(insert(drafts).values(version=version, **row).returning(*drafts.c))
        .mappings()
        .one()
    )
    bump_revision(connection, train=train)
    return _draft(inserted)


def _decide(
    connection: Connection,
    *,
    key: tuple[str, str, int],
    decision: str,
    user: str,
    at: datetime,
    note: str | None,
) -> bool:
    """Compare-and-set: only the newest version, and only while pending, takes a decision.

    On PostgreSQL a concurrent UPDATE of the same row waits for the first and then finds the
    row no longer pending; on SQLite writers take turns. Either way one click changes it.
    """
    train, sprint, version = key
    newest = (
        select(func.max(drafts.c.version))
        .where(drafts.c.train == train, drafts.c.sprint == sprint)
        .scalar_subquery()
    )
    changed = connection.execute(
        update(drafts)
        .where(
            drafts.c.train == train,
            drafts.c.sprint == sprint,
            drafts.c.version == version,
            drafts.c.state == "pending",
            drafts.c.version == newest,
        )
        .values(state=decision, decided_by=user, decided_at=at, decision_note=note)
    ).rowcount
    if changed != 1:
        return False
    connection.execute(
        insert(decisions).values(
            train=train,
            sprint=sprint,
            version=version,
            decision=decision,
            decided_by=user,
            decided_at=at,
            note=note,
        )
    )
    return True


def _draft(row: RowMapping) -> StoredDraft:
    return StoredDraft(
        train=row["train"],
        sprint=row["sprint"],
        version=row["version"],
        content=row["content"],
        content_hash=row["content_hash"],
        state=row["state"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        fmt=row["fmt"] or "text",
        edited=bool(row["edited"]),
        posted_channel=row["posted_channel"],
        posted_ts=row["posted_ts"],
        decision_note=row["decision_note"],
    )
