"""add usage cost tracking

Revision ID: 8c1d4f6a2e9b
Revises: 8f2c4a1d9e3b
"""
import sqlalchemy as sa
from alembic import op

revision = "8c1d4f6a2e9b"
down_revision = "8f2c4a1d9e3b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "model_cost_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("provider", sa.String(), nullable=False, server_default=""),
        sa.Column("input_cost_per_mtok", sa.Numeric(18, 6), nullable=False),
        sa.Column("output_cost_per_mtok", sa.Numeric(18, 6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "model", name="uq_model_cost_override_provider_model"),
    )

    op.create_table(
        "user_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("cost", sa.Numeric(18, 6), nullable=False, server_default="0"),
        sa.CheckConstraint("cost >= 0", name="ck_user_usage_cost_non_negative"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("user_usage")
    op.drop_table("model_cost_override")
