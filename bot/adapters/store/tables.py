"""The store's tables, as SQLAlchemy Core metadata kept in step with the migrations."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from bot.adapters.store.columns import UTCDateTime, json_column_type

# Constraint names are spelled out so migrations can name what they alter.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

sprints = Table(
    "sprints",
    metadata,
    Column("train", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("external_id", String),
    Column("state", String),
    Column("ticket_key", String),
)

changes = Table(
    "changes",
    metadata,
    Column("train", String, primary_key=True),
    Column("id", String, primary_key=True),
    Column("source", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("merged_at", UTCDateTime, nullable=False),
    Column("author", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("url", Text),
    Column("sha", String),
    Column("number", Integer),
    Column("branch", Text),
    Column("labels", json_column_type(), nullable=False),
    Column("trailers", json_column_type(), nullable=False),
    Column("commits", json_column_type(), nullable=False),
    Column("messages", json_column_type(), nullable=False),
    Column("files", json_column_type(), nullable=False),
    Column("release_class", String, nullable=False),
    Column("category", String, nullable=False),
    Column("reasons", json_column_type(), nullable=False),
    Column("jira_keys", json_column_type(), nullable=False),
    Column("violation", Text),
    Column("waiver_reason", Text),  # a waived violation: why it is accepted
    Column("waiver_by", String),  # and what said so (a label, a trailer)
    Column("flag", Text),
    Column("sprint", String, nullable=False),
    Column("reverts", String),
    Column("reverted_by", String),
    Column("attached", Boolean, nullable=False),
    Column("first_run", Integer),
    Column("recorded_at", UTCDateTime, nullable=False),
    Index("ix_changes_train_sprint_merged_at", "train", "sprint", "merged_at"),
)

change_commits = Table(
    "change_commits",
    metadata,
    Column("train", String, primary_key=True),
    Column("sha", String, primary_key=True),
    Column("change_id", String, nullable=False),
    ForeignKeyConstraint(["train", "change_id"], ["changes.train", "changes.id"]),
)

migration_ops = Table(
    "migration_ops",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("train", String, nullable=False),
    Column("change_id", String, nullable=False),
    Column("position", Integer, nullable=False),
    Column("stage", String, nullable=False),
    Column("table_name", String, nullable=False),
    Column("column_name", String),
    Column("action", String, nullable=False),
    Column("merged_at", UTCDateTime, nullable=False),
    Column("sprint", String, nullable=False),
    ForeignKeyConstraint(["train", "change_id"], ["changes.train", "changes.id"]),
    # Named as revision 0001 named it, through the naming convention a second time, so a store
    # created from these tables and one built by the revisions hold the same constraint.
    CheckConstraint("stage IN ('expand', 'contract')", name="ck_migration_ops_stage"),
    Index("ix_migration_ops_train_stage_merged_at", "train", "stage", "merged_at"),
    Index("ix_migration_ops_train_change_id", "train", "change_id"),
)

source_cursors = Table(
    "source_cursors",
    metadata,
    Column("train", String, primary_key=True),
    Column("source", String, primary_key=True),
    Column("cursor", Text),
    Column("updated_at", UTCDateTime, nullable=False),
)

ledger = Table(
    "ledger",
    metadata,
    Column("key", String, primary_key=True),
    Column("service", String, nullable=False),
    Column("operation", String, nullable=False),
    Column("state", String, nullable=False),
    Column("request", json_column_type(), nullable=False),
    Column("result", json_column_type()),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # 0005: the process sending a pending write, and until when it may take (NULL: unknown).
    Column("holder", String),
    Column("lease_until", UTCDateTime),
    Index("ix_ledger_service_state", "service", "state"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("train", String, primary_key=True),
    Column("sprint", String, primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("content", Text, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("state", String, nullable=False),
    Column("created_by", String),
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_by", String),
    Column("decided_at", UTCDateTime),
    # 0003: NULL in rows written before it (plain text, not edited, not posted, no note).
    Column("fmt", String),
    Column("edited", Boolean),
    Column("posted_channel", String),
    Column("posted_ts", String),
    Column("decision_note", Text),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("train", String, nullable=False),
    Column("sprint", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("decision", String, nullable=False),
    Column("decided_by", String, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("note", Text),
    ForeignKeyConstraint(
        ["train", "sprint", "version"], ["drafts.train", "drafts.sprint", "drafts.version"]
    ),
    Index("ix_decisions_train_sprint", "train", "sprint"),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("train", String, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String, nullable=False),
    Column("counts", json_column_type(), nullable=False),
    Column("error", Text),
    Column("holder", String),  # 0005: the process running it (NULL: unknown)
    Index("ix_sync_runs_train_started_at", "train", "started_at"),
)

http_cache = Table(
    "http_cache",
    metadata,
    Column("key", String, primary_key=True),
    Column("etag", Text),
    Column("body_hash", String),
    Column("updated_at", UTCDateTime, nullable=False),
)

job_claims = Table(
    "job_claims",
    metadata,
    Column("job", String, primary_key=True),
    Column("fire_time", UTCDateTime, primary_key=True),
    Column("holder", String, nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("outcome", String),
)

# One row per train, its counter moved in the transaction of every write its views read.
store_revisions = Table(
    "store_revisions",
    metadata,
    Column("train", String, primary_key=True),
    Column("revision", Integer, nullable=False),
)
