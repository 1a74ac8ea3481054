"""The first schema: changes, sprints, cursors, the write ledger, drafts and sync runs."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None

# Revisions spell their types out rather than importing the live tables, so they stay as written.
TIME = sa.DateTime(timezone=True)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    """Create every table of the first release."""
    _create_sprints_and_cursors()
    _create_changes()
    _create_ledger_and_runs()
    _create_drafts()


def downgrade() -> None:
    """Drop everything the first release created."""
    for table in (
        "decisions",
        "drafts",
        "sync_runs",
        "ledger",
        "migration_ops",
        "change_commits",
        "changes",
        "source_cursors",
        "sprints",
    ):
        op.drop_table(table)


def _create_sprints_and_cursors() -> None:
    op.create_table(
        "sprints",
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("starts_at", TIME, nullable=False),
        sa.Column("ends_at", TIME, nullable=False),
        sa.Column("external_id", sa.String()),
        sa.Column("state", sa.String()),
        sa.Column("ticket_key", sa.String()),
        sa.PrimaryKeyConstraint("train", "name", name="pk_sprints"),
    )
    op.create_table(
        "source_cursors",
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("cursor", sa.Text()),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("train", "source", name="pk_source_cursors"),
    )


def _create_changes() -> None:
    op.create_table(
        "changes",
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("merged_at", TIME, nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("sha", sa.String()),
        sa.Column("number", sa.Integer()),
        sa.Column("branch", sa.Text()),
        sa.Column("labels", JSON, nullable=False),
        sa.Column("trailers", JSON, nullable=False),
        sa.Column("commits", JSON, nullable=False),
        sa.Column("messages", JSON, nullable=False),
        sa.Column("files", JSON, nullable=False),
        sa.Column("release_class", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("jira_keys", JSON, nullable=False),
        sa.Column("violation", sa.Text()),
        sa.Column("flag", sa.Text()),
        sa.Column("sprint", sa.String(), nullable=False),
        sa.Column("reverts", sa.String()),
        sa.Column("reverted_by", sa.String()),
        sa.Column("attached", sa.Boolean(), nullable=False),
        sa.Column("first_run", sa.Integer()),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("train", "id", name="pk_changes"),
    )
    op.create_index(
        "ix_changes_train_sprint_merged_at", "changes", ["train", "sprint", "merged_at"]
    )
    op.create_table(
        "change_commits",
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("sha", sa.String(), nullable=False),
        sa.Column("change_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("train", "sha", name="pk_change_commits"),
        sa.ForeignKeyConstraint(
            ["train", "change_id"],
            ["changes.train", "changes.id"],
            name="fk_change_commits_changes",
        ),
    )
    op.create_table(
        "migration_ops",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("change_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("column_name", sa.String()),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("merged_at", TIME, nullable=False),
        sa.Column("sprint", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_migration_ops"),
        sa.ForeignKeyConstraint(
            ["train", "change_id"],
            ["changes.train", "changes.id"],
            name="fk_migration_ops_changes",
        ),
        sa.CheckConstraint("stage IN ('expand', 'contract')", name="ck_migration_ops_stage"),
    )
    op.create_index(
        "ix_migration_ops_train_stage_merged_at", "migration_ops", ["train", "stage", "merged_at"]
    )
    op.create_index("ix_migration_ops_train_change_id", "migration_ops", ["train", "change_id"])


def _create_ledger_and_runs() -> None:
    op.create_table(
        "ledger",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("service", sa.String(), nullable=False),
        sa.Column("operation", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("request", JSON, nullable=False),
        sa.Column("result", JSON),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_ledger"),
    )
    op.create_index("ix_ledger_service_state", "ledger", ["service", "state"])
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("finished_at", TIME),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_sync_runs"),
    )
    op.create_index("ix_sync_runs_train_started_at", "sync_runs", ["train", "started_at"])


def _create_drafts() -> None:
    op.create_table(
        "drafts",
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("sprint", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("created_by", sa.String()),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("decided_by", sa.String()),
        sa.Column("decided_at", TIME),
        sa.PrimaryKeyConstraint("train", "sprint", "version", name="pk_drafts"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("train", sa.String(), nullable=False),
        sa.Column("sprint", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", TIME, nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.ForeignKeyConstraint(
            ["train", "sprint", "version"],
            ["drafts.train", "drafts.sprint", "drafts.version"],
            name="fk_decisions_drafts",
        ),
    )
    op.create_index("ix_decisions_train_sprint", "decisions", ["train", "sprint"])
