"""skill built_in_id discriminator

Revision ID: 7f5b159041be
Revises: c5d9662b3c50
"""
import sqlalchemy as sa
from alembic import op

revision = "7f5b159041be"
down_revision = "c5d9662b3c50"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE skill DROP COLUMN IF EXISTS manifest_metadata")

    op.execute("DROP INDEX IF EXISTS ux_skill_slug")

    op.execute("ALTER TABLE skill DROP COLUMN IF EXISTS deleted_at")

    op.execute(
        """
        DO $$
        BEGIN
            IF NOT EXISTS (
                SELECT 1 FROM pg_constraint
                WHERE conname = 'uq_skill_slug'
                  AND conrelid = 'skill'::regclass
            ) THEN
                ALTER TABLE skill ADD CONSTRAINT uq_skill_slug UNIQUE (slug);
            END IF;
        END$$;
        """
    )

    op.add_column("skill", sa.Column("built_in_skill_id", sa.String(), nullable=True))

    op.alter_column(
        "skill",
        "bundle_file_id",
        existing_type=sa.String(),
        nullable=True,
        existing_nullable=False,
    )


def downgrade():
    op.alter_column("skill", "bundle_file_id", existing_type=sa.String(), nullable=False)
    op.drop_column("skill", "built_in_skill_id")
