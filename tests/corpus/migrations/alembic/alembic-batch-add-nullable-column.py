"""add Source.deleted_at

Revision ID: 35513370ba0d
Revises: 523fff3f969c
"""
import sqlalchemy as sa
from alembic import op

revision = "35513370ba0d"
down_revision = "523fff3f969c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
