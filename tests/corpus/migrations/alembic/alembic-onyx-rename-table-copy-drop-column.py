"""make categories labels and many to many

Revision ID: 6fc7886d665d
Revises: 3c6531f32351
"""
import sqlalchemy as sa
from alembic import op

revision = "6fc7886d665d"
down_revision = "3c6531f32351"
branch_labels = None
depends_on = None


def upgrade():
    op.rename_table("persona_category", "persona_label")

    op.create_table(
        "persona__persona_label",
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("persona_label_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["persona_id"], ["persona.id"]),
        sa.ForeignKeyConstraint(["persona_label_id"], ["persona_label.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("persona_id", "persona_label_id"),
    )

    op.execute(
        """
        INSERT INTO persona__persona_label (persona_id, persona_label_id)
        SELECT id, category_id FROM persona WHERE category_id IS NOT NULL
        """
    )

    op.drop_column("persona", "category_id")


def downgrade():
    op.add_column("persona", sa.Column("category_id", sa.Integer(), nullable=True))
    op.drop_table("persona__persona_label")
    op.rename_table("persona_label", "persona_category")
