"""remove tool name and slug unique contraints

Revision ID: bcfdad6b7355
Revises: 1825b5225403
"""
import sqlalchemy as sa
from alembic import op

revision = "bcfdad6b7355"
down_revision = "1825b5225403"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_tools_name", table_name="tools")
    op.create_index(op.f("ix_tools_name"), "tools", ["name"], unique=False)
    op.drop_index("ix_tools_slug", table_name="tools")
    op.create_index(op.f("ix_tools_slug"), "tools", ["slug"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_tools_slug"), table_name="tools")
    op.create_index("ix_tools_slug", "tools", ["slug"], unique=True)
    op.drop_index(op.f("ix_tools_name"), table_name="tools")
    op.create_index("ix_tools_name", "tools", ["name"], unique=True)
