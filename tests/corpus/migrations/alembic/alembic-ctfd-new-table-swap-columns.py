"""Add Brackets table

Revision ID: 9889b8c53673
Revises: 67ebab6de598
"""
import sqlalchemy as sa
from alembic import op

revision = "9889b8c53673"
down_revision = "67ebab6de598"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "brackets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column("teams", sa.Column("bracket_id", sa.Integer(), nullable=True))
    op.create_foreign_key(None, "teams", "brackets", ["bracket_id"], ["id"], ondelete="SET NULL")
    op.drop_column("teams", "bracket")
    op.add_column("users", sa.Column("bracket_id", sa.Integer(), nullable=True))
    op.create_foreign_key(None, "users", "brackets", ["bracket_id"], ["id"], ondelete="SET NULL")
    op.drop_column("users", "bracket")


def downgrade():
    op.add_column("users", sa.Column("bracket", sa.VARCHAR(length=32), nullable=True))
    op.drop_column("users", "bracket_id")
    op.add_column("teams", sa.Column("bracket", sa.VARCHAR(length=32), nullable=True))
    op.drop_column("teams", "bracket_id")
    op.drop_table("brackets")
