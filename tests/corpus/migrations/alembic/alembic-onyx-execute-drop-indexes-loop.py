"""drop unused kg indexes

Revision ID: c7bc8cc2921d
Revises: b7a7eee5aa15
"""
import sqlalchemy as sa
from alembic import op

revision = "c7bc8cc2921d"
down_revision = "b7a7eee5aa15"
branch_labels = None
depends_on = None

INDEXES = [
    (
        "idx_kg_entity_name_trgm",
        "CREATE INDEX IF NOT EXISTS idx_kg_entity_name_trgm ON kg_entity USING gin (name gin_trgm_ops)",
    ),
    (
        "idx_kg_relationship_type",
        "CREATE INDEX IF NOT EXISTS idx_kg_relationship_type ON kg_relationship (relationship_type_id_name)",
    ),
]


def upgrade():
    for name, _create_sql in INDEXES:
        op.execute(sa.text(f"DROP INDEX IF EXISTS {name};"))


def downgrade():
    for _name, create_sql in INDEXES:
        op.execute(sa.text(create_sql))
