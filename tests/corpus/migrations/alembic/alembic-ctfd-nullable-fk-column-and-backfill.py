"""Add captain column to Teams

Revision ID: b5551cd26764
Revises: 4e4d5a9ea000
"""
import sqlalchemy as sa
from alembic import op

revision = "b5551cd26764"
down_revision = "4e4d5a9ea000"
branch_labels = None
depends_on = None

teams_table = sa.Table(
    "teams",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("captain_id", sa.Integer),
)

users_table = sa.Table(
    "users",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer),
)


def upgrade():
    op.add_column("teams", sa.Column("captain_id", sa.Integer(), nullable=True))

    bind = op.get_bind()
    url = str(bind.engine.url)
    if url.startswith("sqlite") is False:
        op.create_foreign_key("team_captain_id", "teams", "users", ["captain_id"], ["id"])

    connection = op.get_bind()
    for team in connection.execute(teams_table.select()):
        users = connection.execute(
            users_table.select()
            .where(users_table.c.team_id == team.id)
            .order_by(users_table.c.id)
            .limit(1)
        )
        for user in users:
            connection.execute(
                teams_table.update().where(teams_table.c.id == team.id).values(captain_id=user.id)
            )


def downgrade():
    bind = op.get_bind()
    url = str(bind.engine.url)
    if url.startswith("sqlite") is False:
        op.drop_constraint("team_captain_id", "teams", type_="foreignkey")
    op.drop_column("teams", "captain_id")
