"""orders coupon nullable

Revision ID: be6fab9a8d33
Revises: ad5e9a8f7c22
"""
import sqlalchemy as sa
from alembic import op

revision = "be6fab9a8d33"
down_revision = "ad5e9a8f7c22"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE orders ALTER COLUMN coupon_code DROP NOT NULL")


def downgrade():
    op.execute("ALTER TABLE orders ALTER COLUMN coupon_code SET NOT NULL")
