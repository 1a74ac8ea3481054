"""The store: SQL tables, their Alembic migrations and the Store port's implementation."""

from bot.adapters.store.sql_store import SqlStore

__all__ = ["SqlStore"]
