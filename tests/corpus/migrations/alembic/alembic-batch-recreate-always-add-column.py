"""add users.locale

Revision ID: 4d9e3a2f1c66
Revises: 3c8d2f1e0b55
"""
import sqlalchemy as sa
from alembic import op

revision = "4d9e3a2f1c66"
down_revision = "3c8d2f1e0b55"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("users", recreate="always") as batch_op:
        batch_op.drop_column("locale")
