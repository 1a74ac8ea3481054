"""dropped session_nonce from journalist table and revoked tokens table

Revision ID: c5a02eb52f2d
Revises: b7f98cfd6a70
"""
import sqlalchemy as sa
from alembic import op

revision = "c5a02eb52f2d"
down_revision = "b7f98cfd6a70"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("revoked_tokens")
    with op.batch_alter_table("journalists", schema=None) as batch_op:
        batch_op.drop_column("session_nonce")


def downgrade():
    """This would have been the easy way, however previous does not have
    default value and thus up/down assertion fails"""
    # op.add_column('journalists', sa.Column('session_nonce', sa.Integer(),
    #               nullable=False, server_default='0'))

    conn = op.get_bind()
    conn.execute("PRAGMA legacy_alter_table=ON")
    op.rename_table("journalists", "journalists_tmp")
    op.add_column("journalists_tmp", sa.Column("session_nonce", sa.Integer()))
    op.create_table(
        "journalists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("session_nonce", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    conn.execute("INSERT INTO journalists SELECT id, username, 0 FROM journalists_tmp")
    op.drop_table("journalists_tmp")

    op.create_table(
        "revoked_tokens",
        sa.Column("id", sa.INTEGER(), nullable=False),
        sa.Column("journalist_id", sa.INTEGER(), nullable=False),
        sa.Column("token", sa.TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
