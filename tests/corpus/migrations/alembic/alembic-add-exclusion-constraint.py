"""room booking no overlap

Revision ID: aedfef02bd6d
Revises: 9dcede91ac5c
"""
import sqlalchemy as sa
from alembic import op

revision = "aedfef02bd6d"
down_revision = "9dcede91ac5c"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap "
        "EXCLUDE USING gist (room_id WITH =, during WITH &&)"
    )


def downgrade():
    op.drop_constraint("bookings_no_overlap", "bookings")
