"""add encrypted options to data sources

Revision ID: 98af61feea92
Revises: 73beceabb948
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import BYTEA
from sqlalchemy.sql import table

from redash.utils.configuration import encrypt

revision = "98af61feea92"
down_revision = "73beceabb948"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("data_sources", sa.Column("encrypted_options", BYTEA(), nullable=True))

    data_sources = table(
        "data_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("encrypted_options", sa.LargeBinary),
        sa.Column("options", sa.Text),
    )

    conn = op.get_bind()
    for ds in conn.execute(data_sources.select()):
        conn.execute(
            data_sources.update()
            .where(data_sources.c.id == ds.id)
            .values(encrypted_options=encrypt(ds.options))
        )

    op.drop_column("data_sources", "options")
    op.alter_column("data_sources", "encrypted_options", nullable=False)


def downgrade():
    op.add_column("data_sources", sa.Column("options", sa.Text(), nullable=True))
    op.drop_column("data_sources", "encrypted_options")
