"""backfill scim_username and add unique index

Revision ID: 28bb08137807
Revises: 2a391f840e85
"""
import sqlalchemy as sa
from alembic import op

revision = "28bb08137807"
down_revision = "2a391f840e85"
branch_labels = None
depends_on = None

_mapping = sa.table(
    "scim_user_mapping",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("scim_username", sa.String),
)
_user = sa.table("user", sa.column("id", sa.Integer), sa.column("email", sa.String))


def upgrade():
    keepers = (
        sa.select(sa.func.min(_mapping.c.id).label("keep_id"))
        .where(_mapping.c.scim_username.is_not(None))
        .group_by(sa.func.lower(_mapping.c.scim_username))
        .subquery()
    )
    op.execute(
        _mapping.update()
        .where(
            _mapping.c.scim_username.is_not(None),
            _mapping.c.id.not_in(sa.select(keepers.c.keep_id)),
        )
        .values(scim_username=None)
    )

    op.execute(
        _mapping.update()
        .where(_mapping.c.scim_username.is_(None), _mapping.c.user_id == _user.c.id)
        .values(scim_username=_user.c.email)
    )

    op.create_index(
        "uq_scim_user_mapping_scim_username_lower",
        "scim_user_mapping",
        [sa.text("lower(scim_username)")],
        unique=True,
    )


def downgrade():
    op.drop_index("uq_scim_user_mapping_scim_username_lower", table_name="scim_user_mapping")
