"""add sources.note via table rebuild

Revision ID: 2b7c1e0d9a44
Revises: 1a6b0d9c8f33
"""
import sqlalchemy as sa
from alembic import op

revision = "2b7c1e0d9a44"
down_revision = "1a6b0d9c8f33"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE TABLE sources_new (
            id INTEGER NOT NULL PRIMARY KEY,
            uuid VARCHAR(36) NOT NULL UNIQUE,
            journalist_designation VARCHAR(255) NOT NULL,
            note TEXT
        )
        """
    )
    op.execute(
        "INSERT INTO sources_new (id, uuid, journalist_designation) "
        "SELECT id, uuid, journalist_designation FROM sources"
    )
    op.execute("DROP TABLE sources")
    op.execute("ALTER TABLE sources_new RENAME TO sources")


def downgrade():
    with op.batch_alter_table("sources") as batch_op:
        batch_op.drop_column("note")
