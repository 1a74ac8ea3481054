"""rename done status

Revision ID: 8cbdcd80fb4b
Revises: 7bacbc7f6ea3
"""
import sqlalchemy as sa
from alembic import op

revision = "8cbdcd80fb4b"
down_revision = "7bacbc7f6ea3"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TYPE task_status RENAME VALUE 'done' TO 'completed'")


def downgrade():
    op.execute("ALTER TYPE task_status RENAME VALUE 'completed' TO 'done'")
