"""drop users email unique

Revision ID: d08bcdbaaf55
Revises: cf7abcab9e44
"""
import sqlalchemy as sa
from alembic import op

revision = "d08bcdbaaf55"
down_revision = "cf7abcab9e44"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint("uq_users_email", type_="unique")


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.create_unique_constraint("uq_users_email", ["email"])
