"""The release policy on real material: precision and recall of `migration-contract` on the
labelled migration corpus (per framework and overall), of `needs-flag` and `flagged` on the
sample of real changes, and the categories of real titles (tests/corpus/, see its READMEs)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.corpus.evaluate import (
    change_scores,
    migration_scores,
    table,
    title_scores,
)


def main() -> None:
    migrations = migration_scores()
    rows = [("framework", "contracts", "precision", "recall", "false +", "false -")]
    for name, score in [*migrations.by_framework.items(), ("all", migrations.overall)]:
        rows.append(
            (
                name,
                score.true_positive + score.false_negative,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                score.false_positive,
                score.false_negative,
            )
        )
    print("migration-contract on the migration corpus")
    print(table(rows))
    print(f"index-only migrations read as contracts: {len(migrations.index_only_contracts)}")
    print(f"post-deployment migrations not read as contracts: {len(migrations.post_deploy_missed)}")
    for miss in migrations.overall.misses:
        print(f"  {miss}")

    changes = change_scores()
    print(f"\nreal changes ({changes.total})")
    rows = [("class", "precision", "recall", "labelled", "false +", "false -")]
    for name, score in (
        ("needs-flag", changes.needs_flag),
        ("flagged", changes.flagged),
        ("migration-contract", changes.contract),
    ):
        rows.append(
            (
                name,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                score.true_positive + score.false_negative,
                score.false_positive,
                score.false_negative,
            )
        )
    print(table(rows))
    print(f"categories right: {changes.categories.true_positive}/{changes.total}")
    right, total, wrong = title_scores()
    print(f"title categories right: {right}/{total} ({right / total:.3f})")
    if "-v" in sys.argv:
        for name, score in (("needs-flag", changes.needs_flag), ("flagged", changes.flagged)):
            for miss in score.misses:
                print(f"  {name}: {miss}")
        for line in wrong:
            print(f"  title: {line}")


if __name__ == "__main__":
    main()
