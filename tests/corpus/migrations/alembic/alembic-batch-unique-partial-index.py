"""unique index for instanceconfig.valid_until

Revision ID: 1ddb81fb88c2
Revises: b060f38c0c31
"""
import sqlalchemy as sa
from alembic import op

revision = "1ddb81fb88c2"
down_revision = "b060f38c0c31"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("instance_config", schema=None) as batch_op:
        batch_op.create_index(
            "ix_one_active_instance_config",
            [sa.text("valid_until IS NULL")],
            unique=True,
            sqlite_where=sa.text("valid_until IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("instance_config", schema=None) as batch_op:
        batch_op.drop_index("ix_one_active_instance_config")
