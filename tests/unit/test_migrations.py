"""Expand and contract operations read from SQL, Alembic, Django and Rails migration diffs."""

from __future__ import annotations

import random
from textwrap import dedent

import pytest

from bot.domain.migrations import describe_op, read_migration
from bot.domain.model import MigrationOp, MigrationStage

Op = tuple[str, str, str | None, str]


def _ops(path: str, patch: str) -> list[Op]:
    return [(op.stage.value, op.table, op.column, op.action) for op in read_migration(path, patch)]


def _diff(text: str) -> str:
    """A new file's unified diff: every line added."""
    lines = dedent(text).strip("\n").splitlines()
    return f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join(f"+{line}" for line in lines) + "\n"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE TABLE refunds (id int NOT NULL);", [("expand", "refunds", None, "create table")]),
        (
            'create table if not exists "Billing"."Refunds" (id int);',
            [("expand", "refunds", None, "create table")],
        ),
        (
            "ALTER TABLE orders ADD COLUMN reason text;",
            [("expand", "orders", "reason", "add column")],
        ),
        (
            "ALTER TABLE `orders` ADD `reason` varchar(10) NULL;",
            [("expand", "orders", "reason", "add column")],
        ),
        (
            "ALTER TABLE orders ADD COLUMN state text NOT NULL DEFAULT 'new';",
            [("expand", "orders", "state", "add column")],
        ),
        ("CREATE INDEX ON orders (placed_at);", [("expand", "orders", None, "create index")]),
        ("CREATE TEMP TABLE scratch (id int);", []),
        # Dropping an index only slows reads down: the running code works on.
        ("DROP INDEX ix_orders_ref;", [("expand", "", None, "drop index")]),
        ("DROP INDEX ix_orders_ref ON orders;", [("expand", "orders", None, "drop index")]),
    ],
)
def test_sql_expand_operations(sql: str, expected: list[Op]) -> None:
    assert _ops("db/001.sql", sql) == expected


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("DROP TABLE legacy_orders;", [("contract", "legacy_orders", None, "drop table")]),
        (
            "DROP TABLE IF EXISTS a, [b];",
            [("contract", "a", None, "drop table"), ("contract", "b", None, "drop table")],
        ),
        (
            "ALTER TABLE orders DROP COLUMN legacy_id;",
            [("contract", "orders", "legacy_id", "drop column")],
        ),
        (
            "ALTER TABLE orders\n  DROP legacy_id;",
            [("contract", "orders", "legacy_id", "drop column")],
        ),
        (
            "ALTER TABLE orders RENAME COLUMN total TO amount;",
            [("contract", "orders", "total", "rename column")],
        ),
        (
            "ALTER TABLE orders RENAME TO purchases;",
            [("contract", "orders", None, "rename table")],
        ),
        ("RENAME TABLE orders TO purchases;", [("contract", "orders", None, "rename table")]),
        # A unique index on existing rows is a new rule the running code's writes may break.
        (
            "CREATE UNIQUE INDEX CONCURRENTLY ix_ref ON public.orders (ref);",
            [("contract", "orders", "ref", "add unique index")],
        ),
        (
            "ALTER TABLE orders ALTER COLUMN reason SET NOT NULL;",
            [("contract", "orders", "reason", "set column not null")],
        ),
        (
            "ALTER TABLE orders ADD COLUMN reason text NOT NULL;",
            [("contract", "orders", "reason", "add non-null column without default")],
        ),
        ("AlTeR tAbLe Orders DrOp CoLuMn X;", [("contract", "orders", "x", "drop column")]),
    ],
)
def test_sql_contract_operations(sql: str, expected: list[Op]) -> None:
    assert _ops("db/001.sql", sql) == expected


def test_sql_alter_with_several_clauses_reads_each() -> None:
    sql = (
        "ALTER TABLE orders ADD COLUMN amount numeric(10, 2), DROP COLUMN total,"
        " ADD CONSTRAINT positive CHECK (amount > 0), DROP CONSTRAINT old_fk;"
    )
    assert _ops("db/001.sql", sql) == [
        ("expand", "orders", "amount", "add column"),
        ("contract", "orders", "total", "drop column"),
        ("expand", "orders", None, "drop constraint"),
    ]


def test_sql_comments_are_ignored() -> None:
    sql = """
        -- DROP TABLE a;
        # DROP TABLE b;
        /* DROP TABLE c;
           DROP TABLE d; */
        CREATE TABLE kept (note text DEFAULT '-- not a comment'); -- DROP TABLE e;
    """
    assert _ops("db/001.sql", dedent(sql)) == [("expand", "kept", None, "create table")]


@pytest.mark.parametrize(
    "sql",
    [
        "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n",
        "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n",
        "-- +migrate Down\nDROP TABLE a;\n-- +migrate Up\nCREATE TABLE a (id int);\n",
    ],
)
def test_sql_down_sections_do_not_count(sql: str) -> None:
    assert _ops("db/migrations/001_a.sql", sql) == [("expand", "a", None, "create table")]


@pytest.mark.parametrize(
    "path", ["db/migrations/000001_orders.down.sql", "db/migration/U2__drop_orders.sql"]
)
def test_rollback_only_files_do_not_count(path: str) -> None:
    assert _ops(path, "DROP TABLE orders;") == []


def test_only_added_lines_of_a_diff_count() -> None:
    patch = dedent(
        """\
        diff --git a/db/001.sql b/db/001.sql
        --- a/db/001.sql
        +++ b/db/001.sql
        @@ -1,3 +1,3 @@
         CREATE TABLE context_only (id int);
        -DROP TABLE removed_line;
        +ALTER TABLE orders ADD COLUMN reason text;
        \\ No newline at end of file
        """
    )
    assert _ops("db/001.sql", patch) == [("expand", "orders", "reason", "add column")]


_ALEMBIC = '''\
    """add refunds

    Revision ID: 2b1c
    Revises: 1a0b
    """
    from alembic import op
    import sqlalchemy as sa


    def upgrade() -> None:
        op.create_table("refunds", sa.Column("id", sa.Integer(), nullable=False))
        op.add_column(
            "orders",
            sa.Column("reason", sa.String(length=100), nullable=True),
        )
        op.add_column("orders", sa.Column("state", sa.Text, nullable=False, server_default="n"))
        op.add_column("orders", sa.Column("kind", sa.String(), nullable=False))
        op.create_index(op.f("ix_orders_reason"), "orders", ["reason"], unique=False)
        op.drop_column("orders", "legacy_id")  # the new reason replaces it
        op.alter_column("orders", "total", new_column_name="amount")
        op.alter_column("orders", "amount", nullable=False)
        op.rename_table("customers", "clients")
        op.drop_table("old_refunds")
        op.drop_index("ix_old", table_name="payments")
        # op.drop_table("commented_out")
        with op.batch_alter_table("users") as batch_op:
            batch_op.drop_column("nickname")
            batch_op.add_column(sa.Column("handle", sa.String(), nullable=True))
        op.execute("ALTER TABLE ledger DROP COLUMN memo")


    def downgrade() -> None:
        op.drop_index(op.f("ix_orders_reason"), table_name="orders")
        op.drop_column("orders", "reason")
        op.drop_table("refunds")
'''


def test_alembic_upgrade_operations_are_read_and_downgrade_ignored() -> None:
    assert _ops("migrations/alembic/versions/2b1c_add_refunds.py", _diff(_ALEMBIC)) == [
        ("expand", "refunds", None, "create table"),
        ("expand", "orders", "reason", "add column"),
        ("expand", "orders", "state", "add column"),
        ("contract", "orders", "kind", "add non-null column without default"),
        ("expand", "orders", None, "create index"),
        ("contract", "orders", "legacy_id", "drop column"),
        ("contract", "orders", "total", "rename column"),
        ("contract", "orders", "amount", "set column not null"),
        ("contract", "customers", None, "rename table"),
        ("contract", "old_refunds", None, "drop table"),
        ("expand", "payments", None, "drop index"),
        ("contract", "users", "nickname", "drop column"),
        ("expand", "users", "handle", "add column"),
        ("contract", "ledger", "memo", "drop column"),
    ]


def test_alembic_ops_added_below_a_context_downgrade_line_are_ignored() -> None:
    patch = "\n".join(
        [
            "@@ -8,4 +8,6 @@ def upgrade() -> None:",
            '     op.add_column("orders", sa.Column("reason", sa.String(), nullable=True))',
            '+    op.create_index("ix_reason", "orders", ["reason"])',
            " ",
            " def downgrade() -> None:",
            '+    op.drop_index("ix_reason", table_name="orders")',
            '     op.drop_column("orders", "reason")',
        ]
    )
    assert _ops("alembic/versions/2b1c.py", patch) == [
        ("expand", "orders", None, "create index"),
    ]


_DJANGO = """\
    from django.db import migrations, models


    class Migration(migrations.Migration):
        dependencies = [("shop", "0007_previous")]

        operations = [
            migrations.CreateModel(
                name="Refund",
                fields=[("id", models.AutoField(primary_key=True))],
            ),
            migrations.AddField(
                model_name="Order",
                name="note",
                field=models.TextField(null=True),
            ),
            migrations.AddField(model_name="order", name="state", field=models.Field(default=1)),
            migrations.AddField(model_name="order", name="kind", field=models.TextField()),
            migrations.AddField(
                model_name="order",
                name="channel",
                field=models.CharField(default="web", max_length=9),
                preserve_default=False,
            ),
            migrations.AddIndex(model_name="order", index=models.Index(fields=["state"])),
            migrations.RemoveField(model_name="order", name="legacy_id"),
            migrations.RenameField(model_name="order", old_name="total", new_name="amount"),
            migrations.DeleteModel(name="OldRefund"),
            migrations.RenameModel(old_name="Customer", new_name="Client"),
            migrations.RemoveIndex(model_name="payment", name="ix_old"),
            migrations.RunSQL("CREATE INDEX ix ON shop_order (placed)", reverse_sql="DROP TABLE x"),
        ]
"""


def test_django_operations_are_read() -> None:
    # Models are named by their tables, `<app>_<model>`; a field added with only a Python
    # `default` is NOT NULL without a database default once the migration has run.
    assert _ops("shop/migrations/0008_refunds.py", dedent(_DJANGO)) == [
        ("expand", "shop_refund", None, "create table"),
        ("expand", "shop_order", "note", "add column"),
        ("contract", "shop_order", "state", "add non-null column without default"),
        ("contract", "shop_order", "kind", "add non-null column without default"),
        ("contract", "shop_order", "channel", "add non-null column without default"),
        ("expand", "shop_order", None, "create index"),
        ("contract", "shop_order", "legacy_id", "drop column"),
        ("contract", "shop_order", "total", "rename column"),
        ("contract", "shop_oldrefund", None, "drop table"),
        ("contract", "shop_customer", None, "rename table"),
        ("expand", "shop_payment", None, "drop index"),
    ]


_RAILS = """\
    class AddRefunds < ActiveRecord::Migration[7.1]
      def up
        create_table :refunds do |t|
          t.string :reason, null: false
        end
        add_column :orders, :note, :text
        add_column "orders", "state", :string, null: false, default: "new"
        add_column :orders, :kind, :string, null: false
        add_reference :orders, :client, foreign_key: true
        add_index :orders, :state
        remove_column :orders, :legacy_id, :integer # replaced by client_id
        rename_column :orders, :total, :amount
        rename_table :customers, :clients
        drop_table :old_refunds
        remove_index :payments, :created_at
        change_column_null :orders, :amount, false
        execute <<~SQL
          ALTER TABLE ledger DROP COLUMN memo;
        SQL
      end

      def down
        drop_table :refunds
        remove_column :orders, :note
      end
    end
"""


def test_rails_operations_are_read_and_down_ignored() -> None:
    assert _ops("db/migrate/20260301_add_refunds.rb", _diff(_RAILS)) == [
        ("expand", "refunds", None, "create table"),
        ("expand", "orders", "note", "add column"),
        ("expand", "orders", "state", "add column"),
        ("contract", "orders", "kind", "add non-null column without default"),
        ("expand", "orders", "client_id", "add column"),
        ("expand", "orders", None, "create index"),
        ("contract", "orders", "legacy_id", "drop column"),
        ("contract", "orders", "total", "rename column"),
        ("contract", "customers", None, "rename table"),
        ("contract", "old_refunds", None, "drop table"),
        ("expand", "payments", None, "drop index"),
        ("contract", "orders", "amount", "set column not null"),
        ("contract", "ledger", "memo", "drop column"),
    ]


def test_rails_reversible_down_block_is_ignored() -> None:
    rails = """\
        def change
          reversible do |dir|
            dir.down { drop_table :refunds }
          end
          create_table(:refunds)
        end
    """
    assert _ops("db/migrate/1_x.rb", dedent(rails)) == [("expand", "refunds", None, "create table")]


def test_truncated_migration_returns_what_it_can_read() -> None:
    truncated = "\n".join(
        [
            "def upgrade():",
            '    op.drop_column("orders", "legacy_id")',
            '    op.add_column("orders", sa.Col',
        ]
    )
    # The cut statement says too little to judge; what came before it is read.
    assert _ops("alembic/versions/x.py", truncated) == [
        ("contract", "orders", "legacy_id", "drop column"),
    ]


def _random_text(seed: int) -> str:
    rng = random.Random(seed)  # noqa: S311  (seeded fuzz input, not a secret)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFG()[]{}'\"`;:,.\n\t-#+@/*\\!="
    return "".join(rng.choice(alphabet) for _ in range(20_000))


_HOSTILE = [
    "(" * 200_000,
    "ALTER TABLE " * 50_000,
    "CREATE " + " " * 200_000 + "x",
    "op.add_column(" * 50_000,
    "migrations.AddField(" * 30_000,
    "'''" * 50_000 + '"' * 50_000,
    '"' + "a" * 200_000,
    "add_column :" + "a" * 200_000 + " " * 100_000 + "do",
    "ALTER TABLE t ADD " + ", ADD c" * 50_000,
    "@@ -1 +1 @@\n" + "+\n" * 100_000,
    "\x00\xff\ud7ff" * 10_000,
    *(_random_text(seed) for seed in range(3)),
]


@pytest.mark.parametrize("path", ["db/x.sql", "alembic/versions/x.py", "db/migrate/x.rb"])
@pytest.mark.parametrize("patch", _HOSTILE, ids=range(len(_HOSTILE)))
def test_hostile_input_never_raises(path: str, patch: str) -> None:
    # Bounded regexes keep this fast (a backtracking blow-up would hang the run).
    assert isinstance(read_migration(path, patch), tuple)


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (
            MigrationOp(MigrationStage.CONTRACT, "orders", "legacy_id", "drop column"),
            "drops column orders.legacy_id",
        ),
        (MigrationOp(MigrationStage.CONTRACT, "", None, "drop index"), "drops an index"),
        (
            MigrationOp(MigrationStage.EXPAND, "orders", None, "create index"),
            "creates an index on orders",
        ),
        (
            MigrationOp(
                MigrationStage.CONTRACT, "orders", "kind", "add non-null column without default"
            ),
            "adds non-null column orders.kind without a default",
        ),
    ],
)
def test_operations_are_described_for_people(op: MigrationOp, expected: str) -> None:
    assert describe_op(op) == expected
