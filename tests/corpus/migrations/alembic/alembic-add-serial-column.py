"""books seq no

Revision ID: 5f8b9a5d4c81
Revises: 4e7a8f4c3b70
"""
import sqlalchemy as sa
from alembic import op

revision = "5f8b9a5d4c81"
down_revision = "4e7a8f4c3b70"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE books ADD COLUMN seq_no bigserial")


def downgrade():
    op.drop_column("books", "seq_no")
