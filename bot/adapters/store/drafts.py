"""Versions of a sprint's release notes and the decisions taken on them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Connection, RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.adapters.store.database import SqlDatabase
from bot.adapters.store.tables import decisions, drafts
from bot.domain.model import DraftState
from bot.ports import StoredDraft

DECISIONS = ("approved", "changes_requested")
_ADD_ATTEMPTS = 3


def content_hash(content: str) -> str:
    """The digest that tells whether a draft's text changed."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class SqlDrafts(SqlDatabase):
    """The Drafts role: numbered versions of a sprint's notes and the decisions taken on them."""

    def add_draft(
        self, *, train: str, sprint: str, content: str, created_by: str | None, created_at: datetime
    ) -> StoredDraft:
        for attempt in range(1, _ADD_ATTEMPTS + 1):
            try:
                with self._writing() as connection:
                    return _add(
                        connection,
                        train=train,
                        sprint=sprint,
                        content=content,
                        created_by=created_by,
                        created_at=created_at,
                    )
            except IntegrityError:
                # Another process took this version number first: number again after it.
                if attempt == _ADD_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def latest_draft(self, *, train: str, sprint: str) -> StoredDraft | None:
        with self._reading() as connection:
            return _latest(connection, train=train, sprint=sprint)

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
    ) -> tuple[bool, StoredDraft]:
        if decision not in DECISIONS:
            raise ValueError(f"a draft decision is one of {', '.join(DECISIONS)}, not {decision!r}")
        with self._writing() as connection:
            won = _decide(
                connection,
                train=train,
                sprint=sprint,
                version=version,
                decision=decision,
                user=user,
                at=at,
                note=note,
            )
            current = _latest(connection, train=train, sprint=sprint)
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


def _add(
    connection: Connection,
    *,
    train: str,
    sprint: str,
    content: str,
    created_by: str | None,
    created_at: datetime,
) -> StoredDraft:
    """Store the next version, or return the newest unchanged when its text is the same.

    Two writers racing for the same version number collide on the primary key; the caller
    retries the loser in a fresh transaction.
    """
    digest = content_hash(content)
    current = _latest(connection, train=train, sprint=sprint)
    if current is not None and current.content_hash == digest:
        return current
    draft = StoredDraft(
        train=train,
        sprint=sprint,
        version=1 if current is None else current.version + 1,
        content=content,
        content_hash=digest,
        state="pending",
        created_by=created_by,
        created_at=created_at.astimezone(UTC),
        decided_by=None,
        decided_at=None,
    )
    connection.execute(
        insert(drafts).values(
            train=train,
            sprint=sprint,
            version=draft.version,
            content=content,
            content_hash=digest,
            state=draft.state,
            created_by=created_by,
            created_at=created_at,
        )
    )
    return draft


def _decide(
    connection: Connection,
    *,
    train: str,
    sprint: str,
    version: int,
    decision: str,
    user: str,
    at: datetime,
    note: str | None,
) -> bool:
    """Compare-and-set: only the newest version, and only while pending, takes a decision."""
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
        .values(state=decision, decided_by=user, decided_at=at)
    ).rowcount
    if changed == 1:
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
    return changed == 1


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
    )
