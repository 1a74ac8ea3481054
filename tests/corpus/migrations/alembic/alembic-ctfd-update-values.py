"""Convert rating values to votes

Revision ID: 24ad6790bc3c
Revises: 55623b100da8
"""
import sqlalchemy as sa
from alembic import op

revision = "24ad6790bc3c"
down_revision = "55623b100da8"
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()

    connection.execute(sa.text("UPDATE ratings SET value = -1 WHERE value IN (1, 2)"))

    connection.execute(sa.text("UPDATE ratings SET value = 1 WHERE value IN (3, 4, 5)"))


def downgrade():
    pass
