"""Update widget's position data based on dashboard layout.

Revision ID: 969126bd800f
Revises: 6b5be7e0a0ef
"""
import json

import sqlalchemy as sa
from alembic import op

from redash import models

revision = "969126bd800f"
down_revision = "6b5be7e0a0ef"
branch_labels = None
depends_on = None

db = models.db


def upgrade():
    dashboard_result = db.session.execute("SELECT id, layout FROM dashboards")
    for dashboard in dashboard_result:
        layout = json.loads(dashboard["layout"])
        for row_index, row in enumerate(layout):
            for column_index, widget_id in enumerate(row or []):
                options = {"position": {"row": row_index, "col": column_index * 3}}
                db.session.execute(
                    "UPDATE widgets SET options=:options WHERE id=:id",
                    {"options": json.dumps(options), "id": widget_id},
                )
    dashboard_result.close()
    db.session.commit()

    # Remove legacy columns no longer in use.
    op.drop_column("widgets", "type")
    op.drop_column("widgets", "query_id")


def downgrade():
    op.add_column("widgets", sa.Column("query_id", sa.INTEGER(), autoincrement=False, nullable=True))
    op.add_column("widgets", sa.Column("type", sa.VARCHAR(length=100), autoincrement=False, nullable=True))
