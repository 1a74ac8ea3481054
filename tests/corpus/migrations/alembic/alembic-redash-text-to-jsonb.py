"""change type of json fields from varchar to json

Revision ID: 7205816877ec
Revises: 7ce5925f832b
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSON, JSONB

revision = "7205816877ec"
down_revision = "7ce5925f832b"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column(
        "queries",
        "options",
        existing_type=sa.Text(),
        type_=JSONB(astext_type=sa.Text()),
        nullable=True,
        postgresql_using="options::jsonb",
    )
    op.alter_column(
        "queries",
        "schedule",
        existing_type=sa.Text(),
        type_=JSONB(astext_type=sa.Text()),
        nullable=True,
        postgresql_using="schedule::jsonb",
    )
    op.alter_column(
        "alerts",
        "options",
        existing_type=JSON(astext_type=sa.Text()),
        type_=JSONB(astext_type=sa.Text()),
        nullable=True,
        postgresql_using="options::jsonb",
    )


def downgrade():
    op.alter_column(
        "queries",
        "options",
        existing_type=JSONB(astext_type=sa.Text()),
        type_=sa.Text(),
        postgresql_using="options::text",
    )
