"""added group slug

Revision ID: 04ac51cbe9a4
Revises: b3dbb554ba53
"""
import sqlalchemy as sa
from alembic import op
from slugify import slugify
from sqlalchemy.orm import Session

revision = "04ac51cbe9a4"
down_revision = "b3dbb554ba53"
branch_labels = None
depends_on = None

def populate_group_slugs(session: Session):
    groups = session.execute(sa.text("SELECT id, name FROM groups")).all()
    for group_id, name in groups:
        session.execute(
            sa.text("UPDATE groups SET slug=:slug WHERE id=:id"),
            {"slug": slugify(name), "id": group_id},
        )
    session.commit()


def upgrade():
    op.add_column("groups", sa.Column("slug", sa.String(), nullable=True))
    op.create_index(op.f("ix_groups_slug"), "groups", ["slug"], unique=True)

    session = Session(bind=op.get_bind())
    populate_group_slugs(session)


def downgrade():
    op.drop_index(op.f("ix_groups_slug"), table_name="groups")
    op.drop_column("groups", "slug")
