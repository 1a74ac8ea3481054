"""Rename core-beta to core

Revision ID: 5c98d9253f56
Revises: 364b4efa1686
"""
import sqlalchemy as sa
from alembic import op

revision = "5c98d9253f56"
down_revision = "364b4efa1686"
branch_labels = None
depends_on = None

configs_table = sa.Table(
    "config",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.Text),
    sa.Column("value", sa.Text),
)

pages_table = sa.Table(
    "pages",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content", sa.Text),
)


def upgrade():
    connection = op.get_bind()

    theme_transformations = {
        "core-beta": "core",
        "hacker-beta-theme": "hacker-theme",
    }

    theme_config = connection.execute(
        configs_table.select().where(configs_table.c.key == "ctf_theme")
    ).fetchone()

    if theme_config and theme_config.value in theme_transformations:
        connection.execute(
            configs_table.update()
            .where(configs_table.c.id == theme_config.id)
            .values(value=theme_transformations[theme_config.value])
        )

    for old_theme, new_theme in theme_transformations.items():
        old_path = f"themes/{old_theme}/static"
        new_path = f"themes/{new_theme}/static"
        pages = connection.execute(
            pages_table.select().where(pages_table.c.content.like(f"%{old_path}%"))
        ).fetchall()
        for page in pages:
            connection.execute(
                pages_table.update()
                .where(pages_table.c.id == page.id)
                .values(content=page.content.replace(old_path, new_path))
            )


def downgrade():
    pass
