"""added unique constraints

Revision ID: dded3119c1fe
Revises: 0341b154f79a
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "dded3119c1fe"
down_revision = "0341b154f79a"
branch_labels = None
depends_on = None

def _remove_duplicates_from_m2m_tables(session: Session, tables: list[tuple[str, str, str]]):
    for table, left, right in tables:
        session.execute(
            sa.text(
                f"DELETE FROM {table} WHERE rowid NOT IN "  # noqa: S608
                f"(SELECT MIN(rowid) FROM {table} GROUP BY {left}, {right})"
            )
        )


def upgrade():
    bind = op.get_bind()
    session = Session(bind=bind)
    _remove_duplicates_from_m2m_tables(
        session,
        [
            ("cookbooks_to_categories", "cookbook_id", "category_id"),
            ("recipes_to_tags", "recipe_id", "tag_id"),
            ("users_to_favorites", "user_id", "recipe_id"),
        ],
    )
    session.commit()

    # we use batch_alter_table here because otherwise this fails on sqlite
    with op.batch_alter_table("cookbooks_to_categories") as batch_op:
        batch_op.create_unique_constraint("cookbook_id_category_id_key", ["cookbook_id", "category_id"])

    with op.batch_alter_table("recipes_to_tags") as batch_op:
        batch_op.create_unique_constraint("recipe_id_tag_id_key", ["recipe_id", "tag_id"])

    with op.batch_alter_table("users_to_favorites") as batch_op:
        batch_op.create_unique_constraint("user_id_recipe_id_key", ["user_id", "recipe_id"])


def downgrade():
    with op.batch_alter_table("users_to_favorites") as batch_op:
        batch_op.drop_constraint("user_id_recipe_id_key", type_="unique")

    with op.batch_alter_table("recipes_to_tags") as batch_op:
        batch_op.drop_constraint("recipe_id_tag_id_key", type_="unique")

    with op.batch_alter_table("cookbooks_to_categories") as batch_op:
        batch_op.drop_constraint("cookbook_id_category_id_key", type_="unique")
