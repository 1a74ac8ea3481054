"""cc pair name not unique

Revision ID: 76b60d407dfb
Revises: b156fa702355
"""
import sqlalchemy as sa
from alembic import op

revision = "76b60d407dfb"
down_revision = "b156fa702355"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM connector_credential_pair WHERE name IS NULL")
    op.drop_constraint(
        "connector_credential_pair__name__key",
        "connector_credential_pair",
        type_="unique",
    )
    op.alter_column(
        "connector_credential_pair", "name", existing_type=sa.String(), nullable=False
    )


def downgrade():
    op.create_unique_constraint(
        "connector_credential_pair__name__key", "connector_credential_pair", ["name"]
    )
    op.alter_column(
        "connector_credential_pair", "name", existing_type=sa.String(), nullable=True
    )
