"""seed roles

Revision ID: 7a2b6d5c4f99
Revises: 6f1a5c4b3e88
"""
import sqlalchemy as sa
from alembic import op

revision = "7a2b6d5c4f99"
down_revision = "6f1a5c4b3e88"
branch_labels = None
depends_on = None


def upgrade():
    roles = sa.table(
        "roles",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
    )
    op.bulk_insert(
        roles,
        [
            {"id": 1, "name": "admin"},
            {"id": 2, "name": "editor"},
            {"id": 3, "name": "viewer"},
        ],
    )


def downgrade():
    op.execute("DELETE FROM roles WHERE id IN (1, 2, 3)")
