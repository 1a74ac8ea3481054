"""drop openexchangerates

Revision ID: 7bacbc7f6ea3
Revises: 6a9cab6e5d92
"""
import sqlalchemy as sa
from alembic import op

revision = "7bacbc7f6ea3"
down_revision = "6a9cab6e5d92"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DROP TABLE IF EXISTS conversion_rates")


def downgrade():
    pass
