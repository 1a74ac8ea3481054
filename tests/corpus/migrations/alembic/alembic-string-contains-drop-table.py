"""maintenance message

Revision ID: 8b3c7e6d5a00
Revises: 7a2b6d5c4f99
"""
import sqlalchemy as sa
from alembic import op

revision = "8b3c7e6d5a00"
down_revision = "7a2b6d5c4f99"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text("UPDATE site_config SET value = :msg WHERE key = 'maintenance_message'").bindparams(
            msg="Scheduled work: we will DROP TABLE legacy_reports on Friday; export what you need."
        )
    )


def downgrade():
    op.execute("UPDATE site_config SET value = '' WHERE key = 'maintenance_message'")
