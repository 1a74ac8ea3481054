"""Add next_id to Challenges table

Revision ID: 4d3c1b59d011
Revises: 6012fe8de495
"""
import sqlalchemy as sa
from alembic import op

revision = "4d3c1b59d011"
down_revision = "6012fe8de495"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("challenges", sa.Column("next_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        None, "challenges", "challenges", ["next_id"], ["id"], ondelete="SET NULL"
    )


def downgrade():
    op.drop_constraint(None, "challenges", type_="foreignkey")
    op.drop_column("challenges", "next_id")
