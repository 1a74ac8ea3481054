"""favorites_unique_constraint

Revision ID: 71477dadd6ef
Revises: 0f740a081d20
"""
import sqlalchemy as sa
from alembic import op

revision = "71477dadd6ef"
down_revision = "0f740a081d20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_unique_constraint(
        "unique_favorite", "favorites", ["object_type", "object_id", "user_id"]
    )


def downgrade():
    op.drop_constraint("unique_favorite", "favorites", type_="unique")
