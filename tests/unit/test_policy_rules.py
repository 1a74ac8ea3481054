"""The release policy's rules for real repositories: stages, flags in code, UI, waivers.

Each test is one rule of interface section 7 ("Migration stages", "Feature flags", "UI size",
"Waivers", "Which expand a contract follows"), on the smallest change that shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from textwrap import dedent

import pytest

from bot.domain.migrations import read_migration
from bot.domain.model import Change, Classification, FileChange, ReleaseClass
from bot.domain.policy import PolicyConfig, classify, explain

MERGED = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
CONFIG = PolicyConfig()


def _classify(*files: FileChange, **fields: object) -> Classification:
    change = Change(
        id="github:acme/api#7",
        source="api",
        title=str(fields.pop("title", "Tidy up")),
        merged_at=MERGED,
        files=files,
        **fields,  # type: ignore[arg-type]
    )
    return classify(change, config=CONFIG, history=(), sprint="Sprint 4")


def _added(path: str, text: str) -> FileChange:
    body = dedent(text).strip("\n")
    return FileChange(path=path, added=body.count("\n") + 1, deleted=0, patch=body, status="added")


def _ops(path: str, text: str) -> list[tuple[str, str, str | None, str]]:
    return [
        (op.stage.value, op.table, op.column, op.action)
        for op in read_migration(path, dedent(text).strip("\n"))
    ]


# --- post-deployment migrations -------------------------------------------------------------


def test_a_post_deployment_migration_is_the_contract_stage_even_when_it_only_moves_data() -> None:
    backfill = _added(
        "db/post_migrate/20260301_backfill_reason.rb",
        """
        class BackfillReason < ActiveRecord::Migration[7.1]
          def up
            execute "UPDATE orders SET reason = 'none' WHERE reason IS NULL"
          end
        end
        """,
    )
    verdict = _classify(backfill)
    assert verdict.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert any("post-deployment migration" in reason for reason in verdict.reasons)


def test_an_additive_post_deployment_migration_still_counts_as_contract() -> None:
    index = _added(
        "ee/db/post_migrate/20260302_index_reason.rb",
        "add_concurrent_index :orders, :reason",
    )
    assert _classify(index).release_class is ReleaseClass.MIGRATION_CONTRACT


# --- only added files start a stage ---------------------------------------------------------


def test_editing_a_committed_migration_is_not_a_migration_stage_and_says_so() -> None:
    edited = FileChange(
        path="db/migrate/20250101_drop_legacy.rb",
        added=1,
        deleted=1,
        patch=(
            "@@ -2 +2 @@\n-    remove_column :orders, :legacy\n"
            "+    remove_column :orders, :legacy_id\n"
        ),
        status="modified",
    )
    verdict = _classify(edited)
    assert verdict.release_class is ReleaseClass.CONTINUOUS
    assert verdict.migration_ops == ()
    assert (
        "edits db/migrate/20250101_drop_legacy.rb: an already-committed migration, "
        "not a migration stage"
    ) in verdict.reasons


def test_a_migration_spec_is_not_a_migration() -> None:
    spec = _added(
        "spec/db/migrate/20250101_drop_legacy_spec.rb",
        'it "drops" do\n  remove_column :orders, :legacy_id\nend',
    )
    assert _classify(spec).migration_ops == ()


# --- reading statements wherever they stand -------------------------------------------------


def test_rails_statements_inside_safety_assured_change_table_and_reversible_are_read() -> None:
    assert _ops(
        "db/migrate/20260301_x.rb",
        """
        class X < ActiveRecord::Migration[7.1]
          def change
            safety_assured { remove_column :orders, :legacy_id }
            change_table :orders do |t|
              t.remove :note
              t.string :reason
            end
            reversible do |dir|
              dir.up { execute "ALTER TYPE state ADD VALUE 'held'" }
              dir.down { execute "DROP TABLE orders" }
            end
          end
        end
        """,
    ) == [
        ("contract", "orders", "legacy_id", "drop column"),
        ("contract", "orders", "note", "drop column"),
        ("expand", "orders", "reason", "add column"),
        ("expand", "state", None, "add enum value"),
    ]


def test_a_helper_defined_after_down_is_not_rollback_code() -> None:
    assert _ops(
        "db/migrate/20260301_x.rb",
        """
        class X < ActiveRecord::Migration[7.1]
          def up
            drop_old_column
          end

          def down
            add_column :orders, :legacy_id, :integer
          end

          def drop_old_column
            remove_column :orders, :legacy_id
          end
        end
        """,
    ) == [("contract", "orders", "legacy_id", "drop column")]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("remove_timestamps :orders", ("contract", "orders", "created_at", "drop column")),
        ("rename_enum_value :state, from: 'a', to: 'b'", ("contract", "state", None,
                                                           "rename enum value")),
        ("drop_view :order_totals", ("contract", "order_totals", None, "drop view")),
        ("change_column :orders, :total, :integer", ("contract", "orders", "total",
                                                     "change column type")),
        ("change_column_null :orders, :total, false", ("contract", "orders", "total",
                                                       "set column not null")),
        ("change_column_null :orders, :total, true", ("expand", "orders", "total",
                                                      "allow nulls")),
        # force: drops the table there first: its rows are gone.
        ("create_table :orders, force: :cascade do |t|\nend", ("contract", "orders", None,
                                                               "drop table")),
    ],
)  # fmt: skip
def test_common_rails_helpers_are_known(
    statement: str, expected: tuple[str, str, str | None, str]
) -> None:
    assert expected in _ops("db/migrate/20260301_x.rb", f"def change\n{statement}\nend")


def test_an_enum_value_added_inside_op_execute_is_an_expand() -> None:
    assert _ops(
        "alembic/versions/2b1c.py",
        """
        def upgrade():
            op.execute("ALTER TYPE order_state ADD VALUE IF NOT EXISTS 'held'")
        """,
    ) == [("expand", "order_state", None, "add enum value")]


def test_a_table_rebuild_is_read_as_its_net_effect() -> None:
    # SQLite's recipe to relax a column: new table, copy, drop the old, rename the new.
    assert _ops(
        "migrations/0042_relax.sql",
        """
        CREATE TABLE orders_new (id integer PRIMARY KEY, note text);
        INSERT INTO orders_new SELECT id, note FROM orders;
        DROP TABLE orders;
        ALTER TABLE orders_new RENAME TO orders;
        """,
    ) == [("contract", "orders", None, "rebuild table")]


def test_django_alter_field_to_non_null_is_a_contract_and_to_null_an_expand() -> None:
    template = """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            operations = [
                migrations.AlterField(
                    model_name="order", name="note", field=models.CharField(max_length=20{null}),
                ),
            ]
        """
    path = "shop/migrations/0009_note.py"
    assert _ops(path, template.format(null="")) == [
        ("contract", "shop_order", "note", "alter field")
    ]
    assert _ops(path, template.format(null=", null=True")) == [
        ("expand", "shop_order", "note", "allow nulls")
    ]


def test_a_django_alter_field_that_only_changes_choices_changes_no_column() -> None:
    assert (
        _ops(
            "shop/migrations/0010_state_choices.py",
            """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            operations = [
                migrations.AlterField(
                    model_name="order",
                    name="state",
                    field=models.CharField(choices=[("a", "A"), ("b", "B")], max_length=20),
                ),
            ]
        """,
        )
        == []
    )


def test_dropping_an_index_is_an_expand_and_a_unique_index_a_contract() -> None:
    assert _ops("db/001.sql", "DROP INDEX CONCURRENTLY ix_orders_ref;") == [
        ("expand", "", None, "drop index")
    ]
    assert _ops("db/002.sql", "CREATE UNIQUE INDEX ix_ref ON orders (ref);") == [
        ("contract", "orders", "ref", "add unique index")
    ]


# --- feature flags checked in code ----------------------------------------------------------


def test_a_change_that_evaluates_a_flag_in_code_is_flagged_naming_flag_and_file() -> None:
    page = FileChange(
        path="web/src/pages/Checkout.tsx",
        added=400,
        deleted=0,
        status="added",
        evidence=('const enabled = useFlag("new-checkout");',),
    )
    verdict = _classify(page)
    assert verdict.release_class is ReleaseClass.FLAGGED
    assert verdict.flag == "new-checkout"
    assert (
        "behind a feature flag: flag 'new-checkout' checked in web/src/pages/Checkout.tsx"
    ) in verdict.reasons


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ('if unleash.is_enabled("new-export"):', "new-export"),
        ('if (client.isEnabled("new-export")) {', "new-export"),
        ('const on = useFeatureFlag("new-export")', "new-export"),
        ('ldClient.variation("new-export", user, false)', "new-export"),
        ('await client.getBooleanValue("new-export", false)', "new-export"),
        ("if Feature.enabled?(:new_export, project)", "new_export"),
        ("return unless Flipper.enabled?(:new_export)", "new_export"),
        ('if waffle.flag_is_active(request, "new-export"):', "new-export"),
        ('const on = useFeatureFlagEnabled("new-export")', "new-export"),
        ("if not settings.NEW_EXPORT_ENABLED:", "NEW_EXPORT_ENABLED"),
    ],
)
def test_the_default_flag_patterns_know_the_common_sdk_calls(line: str, flag: str) -> None:
    page = FileChange(path="app/export.py", added=1, deleted=0, evidence=(line,))
    assert _classify(page, labels=("ui",)).flag == flag


# --- UI that is not UI ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "web/src/Checkout.stories.tsx",
        "web/src/Checkout.test.tsx",
        "web/src/__snapshots__/Checkout.tsx.snap",
        "frontend/locales/de.json",
        "web/public/lang/fr.json",
    ],
)
def test_stories_tests_snapshots_and_translations_are_not_user_visible_ui(path: str) -> None:
    file = FileChange(path=path, added=900, deleted=0, status="added")
    assert _classify(file).release_class is ReleaseClass.CONTINUOUS


def test_a_rewrite_that_replaces_as_much_as_it_adds_is_not_new_ui() -> None:
    rewrite = FileChange(path="web/src/Checkout.tsx", added=600, deleted=580, status="modified")
    grown = FileChange(path="web/src/Checkout.tsx", added=600, deleted=100, status="modified")
    assert _classify(rewrite).release_class is ReleaseClass.CONTINUOUS
    assert _classify(grown).release_class is ReleaseClass.NEEDS_FLAG


# --- waivers --------------------------------------------------------------------------------


def test_a_waiver_trailer_keeps_the_class_and_marks_the_violation_waived() -> None:
    verdict = _classify(
        title="feat!: retire v1 export",
        body="Retires it.\n\nRelease-Waiver: agreed with support, no customer uses v1",
    )
    assert verdict.release_class is ReleaseClass.NEEDS_FLAG
    assert verdict.violation is not None
    assert verdict.waiver is not None
    assert (verdict.waiver.reason, verdict.waiver.by) == (
        "agreed with support, no customer uses v1",
        "trailer",
    )
    assert not verdict.counts_as_violation
    assert "Violation (waived by trailer: agreed with support, no customer uses v1): " in (
        explain(verdict)
    )


def test_a_waiver_label_waives_and_a_change_without_violation_carries_no_waiver() -> None:
    labelled = _classify(title="feat!: retire v1 export", labels=("Release-Waiver",))
    assert labelled.waiver is not None and labelled.waiver.by == "label"
    assert not labelled.counts_as_violation
    assert _classify(title="fix: typo", labels=("release-waiver",)).waiver is None


# --- what the evidence means ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "feat!: drop v1"}, "backwards-incompatible: conventional commit 'feat!'"),
        ({"labels": ("ui",)}, "new user-visible UI: label 'ui'"),
        ({"labels": ("data-impact",)}, "changes customer data: label 'data-impact'"),
    ],
)
def test_reasons_say_what_the_evidence_means(fields: dict[str, object], reason: str) -> None:
    assert reason in _classify(**fields).reasons


def test_migrations_under_a_tests_or_fixtures_folder_are_fixtures_not_migrations() -> None:
    for path in (
        "tests/corpus/migrations/django/app/migrations/0002_drop.py",
        "spec/dummy/db/migrate/20250101_drop_legacy.rb",
        "pkg/store/testdata/migrations/0001_drop.sql",
    ):
        fixture = _added(path, "DROP TABLE orders;")
        assert _classify(fixture).migration_ops == (), path


def test_a_violation_names_three_broken_rules_and_counts_the_rest() -> None:
    drops = "\n".join(
        f"ALTER TABLE t{n} ADD COLUMN code_v2 text;\nALTER TABLE t{n} DROP COLUMN code;"
        for n in range(5)
    )
    verdict = _classify(_added("db/migrations/0042_many.sql", drops))
    assert verdict.violation is not None
    assert verdict.violation.count("in the same change as its expand stage") == 3
    assert verdict.violation.endswith("; and 2 more (explain lists them).")
