"""Expand: what the Slack approval flow keeps per draft version (format, message, edit, note)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_draft_messages"
down_revision: str | None = "0002_http_cache"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None

_COLUMNS = ("fmt", "edited", "posted_channel", "posted_ts", "decision_note")


def upgrade() -> None:
    """Add nullable columns to `drafts`; a release that does not know them never reads them.

    `fmt` is how the text is written (NULL: plain text), `edited` whether a person wrote it,
    `posted_channel`/`posted_ts` where the version's message is, `decision_note` what the
    person who decided said (a reason, or the approver's name).
    """
    # ADD COLUMN on both databases: the table is not copied, so readers are not held up.
    op.add_column("drafts", sa.Column("fmt", sa.String()))
    op.add_column("drafts", sa.Column("edited", sa.Boolean()))
    op.add_column("drafts", sa.Column("posted_channel", sa.String()))
    op.add_column("drafts", sa.Column("posted_ts", sa.String()))
    op.add_column("drafts", sa.Column("decision_note", sa.Text()))


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("drafts") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
