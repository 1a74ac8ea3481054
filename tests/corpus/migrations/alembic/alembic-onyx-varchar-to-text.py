"""larger access tokens for oauth

Revision ID: 465f78d9b7f9
Revises: 3ff1e2c8b1a9
"""
import sqlalchemy as sa
from alembic import op

revision = "465f78d9b7f9"
down_revision = "3ff1e2c8b1a9"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("oauth_account", "access_token", type_=sa.Text())


def downgrade():
    op.alter_column("oauth_account", "access_token", type_=sa.String(length=1024))
