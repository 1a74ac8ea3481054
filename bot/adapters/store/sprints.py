"""A train's sprints as last seen, with the Release Train ticket remembered for each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, select

from bot.adapters.store.connection import dialect_insert
from bot.adapters.store.database import SqlDatabase
from bot.adapters.store.revisions import bump_revision
from bot.adapters.store.tables import sprints
from bot.domain.model import Sprint


class SqlSprints(SqlDatabase):
    """The Sprints role: sprint windows (cached from a board) and their tickets' keys."""

    def save_sprint(self, *, train: str, sprint: Sprint) -> None:
        values: dict[str, Any] = {
            "starts_at": sprint.start,
            "ends_at": sprint.end,
            "external_id": sprint.id,
            "state": sprint.state,
        }
        with self._writing() as connection:
            statement = dialect_insert(connection, sprints).values(
                train=train, name=sprint.name, **values
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[sprints.c.train, sprints.c.name], set_=values
                )
            )
            bump_revision(connection, train=train)

    def list_sprints(self, *, train: str) -> list[Sprint]:
        query = (
            select(sprints)
            .where(sprints.c.train == train)
            .order_by(sprints.c.starts_at, sprints.c.name)
        )
        with self._reading() as connection:
            return [_sprint(row) for row in connection.execute(query).mappings()]

    def get_ticket_key(self, *, train: str, sprint: Sprint) -> str | None:
        # By Jira id when the sprint has one, so a sprint renamed in Jira keeps its ticket.
        match = sprints.c.external_id == sprint.id if sprint.id else sprints.c.name == sprint.name
        query = (
            select(sprints.c.ticket_key)
            .where(sprints.c.train == train, match, sprints.c.ticket_key.is_not(None))
            .order_by(sprints.c.name)
            .limit(1)
        )
        with self._reading() as connection:
            key: str | None = connection.execute(query).scalar_one_or_none()
        return key

    def ticket_key_named(self, *, train: str, sprint: str) -> str | None:
        query = select(sprints.c.ticket_key).where(
            sprints.c.train == train, sprints.c.name == sprint
        )
        with self._reading() as connection:
            key: str | None = connection.execute(query).scalar_one_or_none()
        return key

    def set_ticket_key(self, *, train: str, sprint: Sprint, key: str) -> None:
        values: dict[str, Any] = {
            "starts_at": sprint.start,
            "ends_at": sprint.end,
            "external_id": sprint.id,
            "state": sprint.state,
            "ticket_key": key,
        }
        with self._writing() as connection:
            statement = dialect_insert(connection, sprints).values(
                train=train, name=sprint.name, **values
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[sprints.c.train, sprints.c.name], set_={"ticket_key": key}
                )
            )
            bump_revision(connection, train=train)


def _sprint(row: RowMapping) -> Sprint:
    return Sprint(
        name=row["name"],
        start=row["starts_at"],
        end=row["ends_at"],
        id=row["external_id"],
        state=row["state"],
    )
