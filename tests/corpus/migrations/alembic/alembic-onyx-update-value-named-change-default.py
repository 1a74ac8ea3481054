"""change default prune_freq

Revision ID: 4b08d97e175a
Revises: d9ec13955951
"""
import sqlalchemy as sa
from alembic import op

revision = "4b08d97e175a"
down_revision = "d9ec13955951"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        UPDATE connector
        SET prune_freq = 2592000
        WHERE prune_freq = 86400
        """
    )


def downgrade():
    op.execute(
        """
        UPDATE connector
        SET prune_freq = 86400
        WHERE prune_freq = 2592000
        """
    )
