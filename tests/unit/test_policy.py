"""The release policy: release classes, categories, contract history, reasons and explanations."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.config import DEFAULT_FLAG_PATTERNS
from bot.domain.migrations import MAX_MIGRATION_CHARS
from bot.domain.model import (
    Category,
    Change,
    Classification,
    ExpandRecord,
    FileChange,
    ReleaseClass,
)
from bot.domain.paths import matches_any
from bot.domain.policy import (
    MAX_JIRA_KEYS_PER_CHANGE,
    RELEASE_RULES,
    PolicyConfig,
    ReleaseRule,
    classify,
    explain,
    read_signals,
)

CONFIG = PolicyConfig()
MERGED = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
_BASE = Change(id="github:acme/api#7", source="api", title="Tidy up", merged_at=MERGED)

DROP_LEGACY = FileChange(
    path="db/migrate/20260320_drop_legacy.rb",
    added=1,
    deleted=0,
    patch="@@ -0,0 +1 @@\n+    remove_column :orders, :legacy_id\n",
)
ADD_REASON = FileChange(
    path="app/alembic/versions/2b1c.py",
    added=1,
    deleted=0,
    patch='op.add_column("orders", sa.Column("reason", sa.Text(), nullable=True))\n',
)


def _change(**changed: Any) -> Change:
    return replace(_BASE, **changed)


def _classify(
    change: Change,
    *,
    history: tuple[ExpandRecord, ...] = (),
    sprint: str = "Sprint 4",
    config: PolicyConfig = CONFIG,
) -> Classification:
    return classify(change, config=config, history=history, sprint=sprint)


def _ui(lines: int, path: str = "web/src/checkout.ts") -> FileChange:
    return FileChange(path=path, added=lines, deleted=0)


def test_policy_config_keeps_the_documented_settings() -> None:
    assert {f.name: getattr(CONFIG, f.name) for f in fields(PolicyConfig)} == {
        "breaking_labels": ("breaking-change",),
        "flag_labels": ("feature-flagged",),
        "flag_trailer": "Feature-Flag",
        "ui_labels": ("ui",),
        "ui_paths": (
            "web/**",
            "frontend/**",
            "**/*.tsx",
            "**/*.jsx",
            "**/*.vue",
            "**/*.svelte",
            "**/*.gjs",
            "**/*.hbs",
            "**/templates/**/*.html",
        ),
        "large_ui_lines": 200,
        "data_labels": ("data-impact",),
        "migration_paths": (
            "**/migrations/**",
            "**/alembic/versions/**",
            "**/db/migrate/**",
            "**/*.sql",
        ),
        "post_deploy_paths": ("**/db/post_migrate/**", "**/post_migrations/**"),
        "flag_patterns": DEFAULT_FLAG_PATTERNS,
        "ui_exclude_paths": (
            "**/*.stories.*",
            "**/*.test.*",
            "**/*.spec.*",
            "**/*-test.*",
            "**/__tests__/**",
            "**/__snapshots__/**",
            "**/__mocks__/**",
            "**/.storybook/**",
            "**/test/**",
            "**/tests/**",
            "**/e2e/**",
            "**/locales/**",
            "**/locale/**",
            "**/lang/**",
            "**/i18n/**",
            "**/translations/**",
        ),
        "waiver_trailer": "Release-Waiver",
        "waiver_labels": ("release-waiver",),
        "jira_key_pattern": "[A-Z][A-Z0-9]+-[0-9]+",
    }


def test_rules_are_ordered_contract_flagged_needs_flag_expand_continuous() -> None:
    assert [rule.release_class for rule in RELEASE_RULES] == [
        ReleaseClass.MIGRATION_CONTRACT,
        ReleaseClass.FLAGGED,
        ReleaseClass.NEEDS_FLAG,
        ReleaseClass.MIGRATION_EXPAND,
        ReleaseClass.CONTINUOUS,
    ]


@pytest.mark.parametrize(
    ("change", "release_class", "reason"),
    [
        (
            _change(title="fix: handle empty carts"),
            ReleaseClass.CONTINUOUS,
            "no breaking, new UI, customer-data or migration signal",
        ),
        (
            _change(labels=("breaking-change",)),
            ReleaseClass.NEEDS_FLAG,
            "backwards-incompatible: label 'breaking-change'",
        ),
        (
            _change(labels=("Breaking-Change",)),
            ReleaseClass.NEEDS_FLAG,
            "backwards-incompatible: label 'Breaking-Change'",
        ),
        (
            _change(title="feat!: drop v1"),
            ReleaseClass.NEEDS_FLAG,
            "backwards-incompatible: conventional commit 'feat!'",
        ),
        (
            _change(title="feat(api)!: drop v1"),
            ReleaseClass.NEEDS_FLAG,
            "backwards-incompatible: conventional commit 'feat(api)!'",
        ),
        (
            _change(messages=("refactor: x\n\nBREAKING CHANGE: renamed",)),
            ReleaseClass.NEEDS_FLAG,
            "backwards-incompatible: BREAKING CHANGE footer",
        ),
        (_change(labels=("ui",)), ReleaseClass.NEEDS_FLAG, "new user-visible UI: label 'ui'"),
        (
            _change(labels=("data-impact",)),
            ReleaseClass.NEEDS_FLAG,
            "changes customer data: label 'data-impact'",
        ),
        (
            _change(files=(_ui(412),)),
            ReleaseClass.NEEDS_FLAG,
            "new user-visible UI: 412 new lines under UI paths (more than 200)",
        ),
        (
            _change(files=(_ui(150), _ui(60, "src/app/Cart.tsx"), _ui(900, "api/server.py"))),
            ReleaseClass.NEEDS_FLAG,
            "new user-visible UI: 210 new lines under UI paths (more than 200)",
        ),
        (
            _change(files=(_ui(200),)),
            ReleaseClass.CONTINUOUS,
            "200 new lines under UI paths: a small UI change (within 200)",
        ),
        (
            _change(labels=("breaking-change", "feature-flagged")),
            ReleaseClass.FLAGGED,
            "behind a feature flag: label 'feature-flagged'",
        ),
        (
            _change(labels=("ui",), body="New page.\n\nFeature-Flag: new-checkout\n"),
            ReleaseClass.FLAGGED,
            "behind a feature flag: flag 'new-checkout' (Feature-Flag trailer)",
        ),
        (
            _change(files=(_ui(500),), messages=("feat: page\n\nFeature-Flag: `new-checkout`\n",)),
            ReleaseClass.FLAGGED,
            "behind a feature flag: flag 'new-checkout' (Feature-Flag trailer)",
        ),
        (
            _change(labels=("data-impact",), trailers=(("feature-flag", "new-export"),)),
            ReleaseClass.FLAGGED,
            "behind a feature flag: flag 'new-export' (Feature-Flag trailer)",
        ),
        (
            _change(labels=("ui",), body="Feature-Flag: none"),
            ReleaseClass.NEEDS_FLAG,
            "new user-visible UI: label 'ui'",
        ),
        (
            _change(labels=("ui",), body="<!-- Feature-Flag: <name> -->"),
            ReleaseClass.NEEDS_FLAG,
            "new user-visible UI: label 'ui'",
        ),
        (
            _change(body="Feature-Flag: quiet-launch"),
            ReleaseClass.CONTINUOUS,
            "behind a feature flag: flag 'quiet-launch' (Feature-Flag trailer)",
        ),
        (
            _change(files=(ADD_REASON,)),
            ReleaseClass.MIGRATION_EXPAND,
            "adds column orders.reason",
        ),
        (
            _change(files=(ADD_REASON,), labels=("breaking-change", "feature-flagged")),
            ReleaseClass.FLAGGED,
            "adds column orders.reason",
        ),
        (
            _change(files=(ADD_REASON,), labels=("ui",)),
            ReleaseClass.NEEDS_FLAG,
            "adds column orders.reason",
        ),
        (
            _change(files=(DROP_LEGACY,), labels=("breaking-change",)),
            ReleaseClass.MIGRATION_CONTRACT,
            "drops column orders.legacy_id",
        ),
    ],
)
def test_release_class_follows_the_rules(
    change: Change, release_class: ReleaseClass, reason: str
) -> None:
    classification = _classify(change)
    assert classification.release_class is release_class
    assert reason in classification.reasons


@pytest.mark.parametrize(
    ("change", "violation"),
    [
        (
            _change(labels=("breaking-change",)),
            "Needs a feature flag (backwards-incompatible: label 'breaking-change') but names "
            "none: add the label "
            "'feature-flagged' or a 'Feature-Flag: <name>' trailer.",
        ),
        (_change(labels=("breaking-change", "feature-flagged")), None),
        (_change(title="fix: x"), None),
        (_change(files=(ADD_REASON,)), None),
    ],
)
def test_violation_is_one_sentence_saying_what_to_do(change: Change, violation: str | None) -> None:
    assert _classify(change).violation == violation


def test_flag_name_is_kept() -> None:
    change = _change(labels=("ui",), messages=("feat: x\n\nFeature-Flag: new-checkout\n",))
    assert _classify(change).flag == "new-checkout"
    assert _classify(_change(labels=("ui", "feature-flagged"))).flag is None


def test_migration_files_outside_migration_paths_or_only_deleted_are_not_read() -> None:
    outside = replace(DROP_LEGACY, path="docs/how_to_drop.rb")
    deleted = replace(DROP_LEGACY, added=0, deleted=1, patch=None)
    assert _classify(_change(files=(outside, deleted))).release_class is ReleaseClass.CONTINUOUS


@pytest.mark.parametrize(
    "path",
    [
        "web/index.html",
        "frontend/src/app.js",
        "src/Cart.tsx",
        "Cart.vue",
        "app/templates/receipt.html",
        "templates/receipt.html",
        "api/web/handler.py",
        "src/cart.ts",
    ],
)
def test_ui_paths_match_as_the_globs_say(path: str) -> None:
    signals = read_signals(_change(files=(_ui(1, path),)), config=CONFIG)
    assert signals.touches_ui is matches_any(path, CONFIG.ui_paths)


def test_policy_settings_are_honoured() -> None:
    config = PolicyConfig(
        breaking_labels=("api-break",),
        flag_labels=(),
        flag_trailer="Flag",
        ui_paths=("app/views/**",),
        large_ui_lines=10,
        migration_paths=(),
    )
    assert _classify(_change(labels=("breaking-change",)), config=config).release_class is (
        ReleaseClass.CONTINUOUS
    )
    breaking = _classify(_change(labels=("API-Break",)), config=config)
    assert breaking.release_class is ReleaseClass.NEEDS_FLAG
    assert breaking.violation is not None
    assert "add a 'Flag: <name>' trailer" in breaking.violation
    big = _change(files=(_ui(11, "app/views/cart.erb"),), body="Flag: big-cart")
    assert _classify(big, config=config).release_class is ReleaseClass.FLAGGED
    assert _classify(_change(files=(DROP_LEGACY,)), config=config).migration_ops == ()


def _expand(
    change_id: str, sprint: str, *, table: str = "orders", column: str | None = None, days: int = 1
) -> ExpandRecord:
    return ExpandRecord(
        change_id=change_id,
        table=table,
        column=column,
        merged_at=MERGED - timedelta(days=days),
        sprint=sprint,
    )


CONTRACT = _change(files=(DROP_LEGACY,))
PREDATES = "expand stage of orders.legacy_id predates recorded history"


@pytest.mark.parametrize(
    ("history", "reason", "violates"),
    [
        (
            (_expand("git:api:abc", "Sprint 3", column="legacy_id", days=20),),
            "expand stage shipped in Sprint 3 (git:api:abc)",
            False,
        ),
        (
            (_expand("git:api:abc", "Sprint 3", days=20),),  # a created table: every column
            "expand stage shipped in Sprint 3 (git:api:abc)",
            False,
        ),
        (
            (_expand("github:acme/api#5", "Sprint 4", column="legacy_id"),),
            "expand stage is in this sprint, Sprint 4 (github:acme/api#5)",
            True,
        ),
        ((), PREDATES, False),
        (
            # Related by name: the column that replaced it (`legacy_id_v2`) was added this sprint.
            (_expand("github:acme/api#5", "Sprint 4", column="legacy_id_v2"),),
            "expand stage is in this sprint, Sprint 4 (github:acme/api#5)",
            True,
        ),
        # An unrelated column of the same table is not the stage the drop follows.
        ((_expand("github:acme/api#5", "Sprint 4", column="nickname"),), PREDATES, False),
        ((_expand("github:acme/api#5", "Sprint 4", table="payments"),), PREDATES, False),
        (
            (
                _expand("git:api:old", "Sprint 1", days=40),
                _expand("git:api:new", "Sprint 3", column="legacy_id", days=20),
                _expand("git:api:later", "Sprint 4", days=-1),  # merged after the contract
            ),
            "expand stage shipped in Sprint 3 (git:api:new)",
            False,
        ),
        (
            (
                _expand("git:api:one", "Sprint 2", days=3),
                _expand("git:api:two", "Sprint 4", days=3),
            ),
            "expand stage is in this sprint, Sprint 4 (git:api:two)",
            True,
        ),
        (
            (
                _expand("git:api:old", "Sprint 3", column="legacy_id", days=20),
                _expand("git:api:new", "Sprint 4", column="other", days=1),  # unrelated, later
            ),
            "expand stage shipped in Sprint 3 (git:api:old)",
            False,
        ),
        (
            (_expand(CONTRACT.id, "Sprint 4"),),  # the change's own record does not count
            PREDATES,
            False,
        ),
    ],
)
def test_contract_follows_the_latest_expand_that_added_what_it_removes(
    history: tuple[ExpandRecord, ...], reason: str, violates: bool
) -> None:
    classification = _classify(CONTRACT, history=history)
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert classification.reasons == ("drops column orders.legacy_id", reason)
    assert (classification.violation is not None) is violates


def test_an_index_on_the_table_is_not_the_expand_a_column_drop_follows() -> None:
    index = ExpandRecord(
        change_id="git:api:idx",
        table="orders",
        column=None,
        merged_at=MERGED - timedelta(days=1),
        sprint="Sprint 4",
        action="create index",
    )
    classification = _classify(CONTRACT, history=(index,))
    assert classification.reasons == ("drops column orders.legacy_id", PREDATES)
    assert classification.violation is None


@pytest.mark.parametrize(
    ("statement", "described"),
    [
        ("DROP TABLE refunds;", "drops table refunds"),
        ("ALTER TABLE refunds RENAME TO refunds_old;", "renames table refunds"),
        ("ALTER TABLE refunds DROP COLUMN reason;", "drops column refunds.reason"),
    ],
)
def test_dropped_or_renamed_table_follows_the_expand_of_its_own_name(
    statement: str, described: str
) -> None:
    sql = FileChange(path="db/migrations/0042_refunds.sql", added=1, deleted=0, patch=statement)
    history = (
        _expand("git:api:add", "Sprint 4", table="refunds", column="reason_code"),
        _expand("git:api:elsewhere", "Sprint 4", table="payouts", days=0),
    )
    classification = _classify(_change(files=(sql,)), history=history)
    assert classification.reasons == (
        described,
        "expand stage is in this sprint, Sprint 4 (git:api:add)",
    )
    assert classification.violation is not None


def test_dropping_a_table_follows_the_table_that_replaced_it() -> None:
    sql = FileChange(path="db/migrations/0043.sql", added=1, deleted=0, patch="DROP TABLE refunds;")
    history = (_expand("git:api:v2", "Sprint 4", table="refunds_v2", days=2),)
    classification = _classify(_change(files=(sql,)), history=history)
    assert classification.reasons == (
        "drops table refunds",
        "expand stage is in this sprint, Sprint 4 (git:api:v2)",
    )
    assert classification.violation is not None


def test_contract_in_the_same_sprint_names_sprint_and_change() -> None:
    history = (_expand("github:acme/api#5", "Sprint 4", column="legacy_id"),)
    assert _classify(CONTRACT, history=history).violation == (
        "Drops column orders.legacy_id in the same sprint as its expand stage "
        "(Sprint 4, github:acme/api#5): contract only after the expand stage has shipped "
        "in an earlier sprint."
    )


ADD_LEGACY_V2 = FileChange(
    path="app/alembic/versions/2b1d.py",
    added=1,
    deleted=0,
    patch='op.add_column("orders", sa.Column("legacy_id_v2", sa.Text(), nullable=True))\n',
)


def test_expand_and_contract_of_one_column_in_one_change_is_a_violation() -> None:
    both = _change(files=(ADD_LEGACY_V2, DROP_LEGACY))
    classification = _classify(both)
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert "expand stage is in this same change" in classification.reasons
    assert classification.violation is not None
    assert "same change as its expand stage (adds column orders.legacy_id_v2)" in (
        classification.violation
    )


def test_unrelated_expand_of_the_same_table_in_one_change_is_not_a_violation() -> None:
    classification = _classify(_change(files=(ADD_REASON, DROP_LEGACY)))
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert classification.reasons == (
        "drops column orders.legacy_id",
        PREDATES,
        "adds column orders.reason",
    )
    assert classification.violation is None


UNREAD_REASONS = (
    "migration file db/migrations/0042_refunds.sql is over the size cap and was not read",
    "its stage could not be read, so it counts as a contract: check which stage it is by hand",
)


@pytest.mark.parametrize(
    "file",
    [
        # The source left the text out: a padded file over its size cap.
        FileChange(path="db/migrations/0042_refunds.sql", added=40_000, deleted=0, patch=None),
        # The text is there, but the contract sits past what the reader takes in.
        FileChange(
            path="db/migrations/0042_refunds.sql",
            added=40_001,
            deleted=0,
            patch="-- padding\n" * (MAX_MIGRATION_CHARS // 11 + 1) + "DROP TABLE refunds;\n",
        ),
    ],
)
def test_migration_over_the_size_cap_counts_as_a_contract_whose_stage_is_unread(
    file: FileChange,
) -> None:
    classification = _classify(_change(files=(file,)))
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert classification.category is Category.MIGRATION
    assert classification.reasons == UNREAD_REASONS
    assert classification.violation is None


def test_migration_over_the_cap_keeps_what_was_read_before_the_cut() -> None:
    patch = "ALTER TABLE refunds ADD COLUMN note text;\n" + "--\n" * MAX_MIGRATION_CHARS
    file = FileChange(path="db/migrations/0043.sql", added=1, deleted=0, patch=patch)
    classification = _classify(_change(files=(file,)))
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert "adds column refunds.note" in classification.reasons


@pytest.mark.parametrize(
    "file",
    [
        # A deleted migration file runs nothing, whatever its size.
        FileChange(path="db/migrations/0001_big.sql", added=0, deleted=90_000, patch=None),
        # A binary file has no lines to read.
        FileChange(path="db/migrations/diagram.png", added=0, deleted=0, patch=None),
    ],
)
def test_migration_file_without_added_text_is_not_a_migration(file: FileChange) -> None:
    classification = _classify(_change(files=(file,)))
    assert classification.release_class is ReleaseClass.CONTINUOUS
    assert classification.migration_ops == ()


def test_non_null_column_without_default_is_a_violation() -> None:
    sql = FileChange(
        path="db/sql/004.sql",
        added=1,
        deleted=0,
        patch="ALTER TABLE orders ADD kind text NOT NULL;",
    )
    classification = _classify(_change(files=(sql,)))
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert classification.reasons == ("adds non-null column orders.kind without a default",)
    assert classification.violation == (
        "Adds non-null column orders.kind without a default, which breaks code that still "
        "inserts rows without it: add it nullable or with a default first."
    )


def test_contract_with_breaking_label_is_governed_by_the_migration_stages() -> None:
    history = (_expand("git:api:abc", "Sprint 3", column="legacy_id", days=20),)
    change = replace(CONTRACT, labels=("breaking-change",))
    assert _classify(change, history=history).violation is None


def test_contract_with_unflagged_new_ui_still_reports_the_missing_flag() -> None:
    history = (_expand("git:api:abc", "Sprint 3", column="legacy_id", days=20),)
    change = replace(CONTRACT, labels=("ui",))
    classification = _classify(change, history=history)
    assert classification.release_class is ReleaseClass.MIGRATION_CONTRACT
    assert classification.violation is not None
    assert classification.violation.startswith(
        "Needs a feature flag (new user-visible UI: label 'ui')"
    )


def test_rules_are_data_a_caller_may_reorder() -> None:
    flag_first = (
        ReleaseRule(
            "needs a flag", lambda s: s.needs_flag and not s.has_flag, ReleaseClass.NEEDS_FLAG
        ),
        *RELEASE_RULES,
    )
    change = replace(CONTRACT, labels=("breaking-change",))
    classification = classify(
        change, config=CONFIG, history=(), sprint="Sprint 4", rules=flag_first
    )
    assert classification.release_class is ReleaseClass.NEEDS_FLAG
    assert classification.violation is not None
    assert "label 'breaking-change'" in classification.violation


@pytest.mark.parametrize(
    ("change", "category"),
    [
        (_change(title="feat: refunds"), Category.FEATURE),
        (_change(title="fix: refunds"), Category.FIX),
        (_change(title="perf: faster refunds"), Category.PERFORMANCE),
        (_change(title='Revert "feat: refunds"'), Category.REVERT),
        (_change(title="feat: refunds", body="This reverts commit abcdef1."), Category.REVERT),
        (_change(title="revert: refunds"), Category.REVERT),
        (_change(title="Drop legacy", files=(DROP_LEGACY,)), Category.MIGRATION),
        (_change(title="feat: add reason", files=(ADD_REASON,)), Category.FEATURE),
        (_change(title="Tidy up", files=(_ui(3),)), Category.UI),
        (_change(title="Tidy up", labels=("UI",)), Category.UI),
        (_change(title="Tidy up", labels=("data-impact",)), Category.DATA),
        (_change(title="Tidy up", labels=("api",)), Category.API),
        (_change(title="deprecate(api): retire v1"), Category.API),
        (_change(title="deprecate(payments, api): retire v1"), Category.API),
        (_change(title="deprecate(apis): not the api scope"), Category.OTHER),
        # Housekeeping types are other, whatever the change touches.
        (_change(title="chore: drop legacy", files=(DROP_LEGACY,)), Category.OTHER),
        (_change(title="refactor(api): rename internals"), Category.OTHER),
        (_change(title="docs(payments, api): document", files=(_ui(3),)), Category.OTHER),
        (_change(title="chore(deps): bump react", files=(_ui(300),)), Category.OTHER),
        # Untyped titles by their leading verb; translations and dependency bumps are other.
        (_change(title="Add refunds"), Category.FEATURE),
        (_change(title="Fixture cleanup"), Category.OTHER),
        (_change(title="Fix the refund total"), Category.FIX),
        (_change(title="[ci skip] Speed up the refund query"), Category.PERFORMANCE),
        (_change(title="New Crowdin updates", files=(_ui(900),)), Category.OTHER),
        (_change(title="Bump jinja2 from 3.1.3 to 3.1.4"), Category.OTHER),
        (_change(title="Tidy up"), Category.OTHER),
    ],
)
def test_category_follows_the_title_and_signals(change: Change, category: Category) -> None:
    assert _classify(change).category is category


def test_jira_keys_come_from_branch_title_body_and_messages() -> None:
    change = _change(
        branch="feature/PAY-3-refunds",
        title="feat: refunds (PAY-1)",
        body="Closes PAY-2 and PAY-1.\n<!-- e.g. TEMPLATE-9 -->",
        messages=("feat: refunds\n\nRefs OPS-4",),
    )
    assert _classify(change).jira_keys == ("PAY-3", "PAY-1", "PAY-2", "OPS-4")


def test_jira_keys_taken_from_one_change_are_capped_and_the_rest_reported() -> None:
    named = " ".join(f"PAY-{n}" for n in range(1, 2001))
    classification = _classify(_change(body=f"Refs {named}"))
    assert classification.jira_keys == tuple(f"PAY-{n}" for n in range(1, 21))
    assert MAX_JIRA_KEYS_PER_CHANGE == 20
    assert classification.reasons[-1] == (
        "names 2,000 Jira issues: only the first 20 are linked, 1,980 left out (PAY-21, PAY-22, "
        "PAY-23 and 1,977 more)"
    )


def test_twenty_jira_keys_are_all_taken_without_a_note() -> None:
    named = " ".join(f"PAY-{n}" for n in range(1, 21))
    classification = _classify(_change(body=named))
    assert len(classification.jira_keys) == 20
    assert not any("Jira issues" in reason for reason in classification.reasons)


def test_explanation_names_class_violation_reasons_and_references() -> None:
    change = _change(
        title="feat!: new checkout PAY-9",
        labels=("ui",),
        files=(ADD_REASON,),
    )
    text = explain(_classify(change))
    lines = text.splitlines()
    assert lines[0] == "Release class: needs-flag (needs a feature flag and names none)"
    assert lines[1].startswith(
        "Violation: Needs a feature flag (backwards-incompatible: conventional commit 'feat!', "
        "new user-visible UI: label"
    )
    assert "Category: feature" in lines
    assert "  - backwards-incompatible: conventional commit 'feat!'" in lines
    assert "  - adds column orders.reason" in lines
    assert "Schema operations: adds column orders.reason (expand)" in lines
    assert "Jira issues: PAY-9" in lines


def test_explanation_of_a_flagged_change_names_the_flag() -> None:
    text = explain(_classify(_change(labels=("ui",), body="Feature-Flag: new-checkout")))
    assert "Feature flag: new-checkout" in text.splitlines()
    assert "Violation" not in text


def test_ten_thousand_varied_changes_classify_consistently() -> None:
    changes = [
        _change(
            id=f"github:acme/api#{n}",
            title=f"feat(api): add thing {n} PAY-{n}",
            labels=("ui", "backend") if n % 3 else ("feature-flagged",),
            branch=f"feature/PAY-{n}-thing",
            body="Adds the thing.\n\n- [x] tested\n\nFeature-Flag: thing\n",
            messages=(f"feat: add thing {n}\n\nSigned-off-by: A <a@example.com>",),
            files=(_ui(30), FileChange(path="api/things.py", added=40, deleted=2)),
        )
        for n in range(10_000)
    ]
    # Speed is measured by benchmarks/bench_big_train.py; here, that the cached rules stay right.
    verdicts = [classify(c, config=CONFIG, history=(), sprint="Sprint 4") for c in changes]
    flagged = [v for v in verdicts if v.release_class is ReleaseClass.FLAGGED]
    assert len(flagged) == 10_000 - len(range(0, 10_000, 3))
    assert all(v.jira_keys[0] == f"PAY-{n}" for n, v in enumerate(verdicts))
