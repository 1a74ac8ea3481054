"""add missing FK indexes for hot tables

Revision ID: 856bcbe14d79
Revises: a4c9d2e7f1b8
"""
import sqlalchemy as sa
from alembic import op

revision = "856bcbe14d79"
down_revision = "a4c9d2e7f1b8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_index_attempt_errors_index_attempt_id", "index_attempt_errors", ["index_attempt_id"])
    op.create_index(
        "ix_index_attempt_errors_connector_credential_pair_id",
        "index_attempt_errors",
        ["connector_credential_pair_id"],
    )
    op.create_index(
        "ix_index_attempt_connector_credential_pair_id",
        "index_attempt",
        ["connector_credential_pair_id"],
    )
    op.create_index("ix_hierarchy_node_document_id", "hierarchy_node", ["document_id"])


def downgrade():
    op.drop_index("ix_hierarchy_node_document_id", table_name="hierarchy_node")
    op.drop_index("ix_index_attempt_connector_credential_pair_id", table_name="index_attempt")
    op.drop_index("ix_index_attempt_errors_connector_credential_pair_id", table_name="index_attempt_errors")
    op.drop_index("ix_index_attempt_errors_index_attempt_id", table_name="index_attempt_errors")
