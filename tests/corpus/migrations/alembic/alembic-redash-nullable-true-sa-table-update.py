"""bring_back_null_schedule

Revision ID: 73beceabb948
Revises: e7f8a917aa8e
"""
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql import table

revision = "73beceabb948"
down_revision = "e7f8a917aa8e"
branch_labels = None
depends_on = None

def is_empty_schedule(schedule):
    if schedule is None:
        return False
    return json.loads(schedule) == {}


def upgrade():
    op.alter_column("queries", "schedule", nullable=True, server_default=None)

    queries = table(
        "queries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("schedule", sa.Text()),
    )

    conn = op.get_bind()
    for query in conn.execute(queries.select()):
        if is_empty_schedule(query.schedule):
            conn.execute(queries.update().where(queries.c.id == query.id).values(schedule=None))


def downgrade():
    pass
