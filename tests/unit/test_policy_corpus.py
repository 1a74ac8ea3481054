"""The release policy on the labelled corpora of real material (tests/corpus): the targets.

benchmarks/bench_policy.py prints the same figures in full; these tests hold the floor.
"""

from __future__ import annotations

from tests.corpus.evaluate import change_scores, migration_scores, title_scores


def test_contract_precision_and_recall_on_the_migration_corpus_reach_095() -> None:
    scores = migration_scores()
    assert scores.overall.precision >= 0.95, scores.overall.misses
    assert scores.overall.recall >= 0.95, scores.overall.misses


def test_no_index_only_migration_is_a_contract() -> None:
    assert migration_scores().index_only_contracts == []


def test_every_post_deployment_migration_is_a_contract() -> None:
    assert migration_scores().post_deploy_missed == []


def test_titles_get_the_category_their_type_or_leading_verb_says() -> None:
    right, total, wrong = title_scores()
    assert right / total >= 0.98, wrong


def test_real_changes_keep_their_categories_and_flag_classes() -> None:
    # Floors from the measured figures, so a regression shows; see bench_policy for misses.
    scores = change_scores()
    assert scores.categories.true_positive >= 225
    assert scores.needs_flag.recall >= 0.65
    assert scores.needs_flag.precision >= 0.40
