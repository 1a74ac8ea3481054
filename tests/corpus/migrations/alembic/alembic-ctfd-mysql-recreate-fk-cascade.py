"""Add ondelete cascade to foreign keys

Revision ID: b295b033364d
Revises: b5551cd26764
"""
import sqlalchemy as sa
from alembic import op

revision = "b295b033364d"
down_revision = "b5551cd26764"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    url = str(bind.engine.url)
    if url.startswith("mysql"):
        op.drop_constraint("awards_ibfk_1", "awards", type_="foreignkey")
        op.create_foreign_key(
            "awards_ibfk_1", "awards", "teams", ["team_id"], ["id"], ondelete="CASCADE"
        )

        op.drop_constraint("files_ibfk_1", "files", type_="foreignkey")
        op.create_foreign_key(
            "files_ibfk_1", "files", "challenges", ["challenge_id"], ["id"], ondelete="CASCADE"
        )


def downgrade():
    bind = op.get_bind()
    url = str(bind.engine.url)
    if url.startswith("mysql"):
        op.drop_constraint("files_ibfk_1", "files", type_="foreignkey")
        op.create_foreign_key("files_ibfk_1", "files", "challenges", ["challenge_id"], ["id"])

        op.drop_constraint("awards_ibfk_1", "awards", type_="foreignkey")
        op.create_foreign_key("awards_ibfk_1", "awards", "teams", ["team_id"], ["id"])
