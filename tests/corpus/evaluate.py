"""How the release policy does on the corpora of real material under tests/corpus/.

`migration_scores()` classifies every labelled migration of tests/corpus/migrations (each a file
added by one change, at the path it had in its repository) and scores `migration-contract`
against the labels: precision and recall per framework and overall, plus the two invariants an
index-only migration is never a contract and every post-deployment migration is one.
`change_scores()` does the same for the sample of real changes of tests/corpus/changes
(`needs-flag`, `flagged`, categories) and `title_scores()` for the labelled titles.

Used by the corpus tests (which hold the targets) and by benchmarks/bench_policy.py (which prints
the figures). Reading the corpora costs a few hundred small files and a few thousand JSON lines.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.model import Change, Classification, FileChange, ReleaseClass
from bot.domain.policy import PolicyConfig, classify

CORPUS = Path(__file__).parent
MIGRATIONS = CORPUS / "migrations"
CHANGES = CORPUS / "changes"
MERGED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@dataclass
class Score:
    """Counts of one predicted class against its labels."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)  # ids predicted wrongly, either way

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    def add(self, *, case: str, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.true_positive += 1
        elif predicted:
            self.false_positive += 1
            self.misses.append(f"{case} (read as one, labelled otherwise)")
        elif actual:
            self.false_negative += 1
            self.misses.append(f"{case} (labelled one, missed)")


@dataclass(frozen=True, slots=True)
class MigrationCase:
    """One labelled migration file of the corpus."""

    id: str
    framework: str
    repo_path: str
    expected: str  # contract | expand | none
    text: str
    ops: tuple[str, ...]


def migration_cases() -> list[MigrationCase]:
    """Every case of tests/corpus/migrations/cases.toml, with its file's text."""
    manifest = tomllib.loads((MIGRATIONS / "cases.toml").read_text(encoding="utf-8"))
    return [
        MigrationCase(
            id=case["id"],
            framework=case["framework"],
            repo_path=case["repo_path"],
            expected=case["expected"],
            text=(MIGRATIONS / case["file"]).read_text(encoding="utf-8"),
            ops=tuple(case.get("ops", ())),
        )
        for case in manifest["case"]
    ]


def classify_migration(case: MigrationCase, config: PolicyConfig) -> Classification:
    """The class of a change that adds this one migration file (no other history)."""
    lines = case.text.count("\n") + 1
    change = Change(
        id=f"corpus:{case.id}",
        source="corpus",
        title="Add a migration",
        merged_at=MERGED,
        files=(FileChange(app_path(case.repo_path), lines, 0, patch=case.text, status="added"),),
    )
    return classify(change, config=config, history=(), sprint="Sprint 1")


_TEST_TREE = re.compile(r"\A(?:.*/)?(?:tests?|specs?|__tests__|testdata|fixtures)/")


def app_path(repo_path: str) -> str:
    """The path a case would have in an application: the linters keep their cases under their
    own test folders (`tests/test_project/app_x/migrations/0002.py`), which the policy rightly
    skips as fixtures; a case stands for an application's migration, so that prefix goes."""
    return _TEST_TREE.sub("", repo_path)


@dataclass
class MigrationScores:
    """Contract precision and recall per framework and overall, and the invariants."""

    overall: Score
    by_framework: dict[str, Score]
    index_only_contracts: list[str]  # index-only migrations read as contracts (should be none)
    post_deploy_missed: list[str]  # post-deployment migrations not read as contracts


def migration_scores(config: PolicyConfig | None = None) -> MigrationScores:
    """Score `migration-contract` on every case of the migration corpus."""
    config = config or PolicyConfig()
    overall, frameworks = Score(), defaultdict(Score)
    index_only: list[str] = []
    post_deploy: list[str] = []
    for case in migration_cases():
        verdict = classify_migration(case, config)
        predicted = verdict.release_class is ReleaseClass.MIGRATION_CONTRACT
        actual = case.expected == "contract"
        for score in (overall, frameworks[case.framework]):
            score.add(case=case.id, predicted=predicted, actual=actual)
        if predicted and _index_only(case):
            index_only.append(case.id)
        if _post_deploy(case.repo_path) and not predicted:
            post_deploy.append(case.id)
    return MigrationScores(overall, dict(sorted(frameworks.items())), index_only, post_deploy)


def _index_only(case: MigrationCase) -> bool:
    return (
        bool(case.ops)
        and not _post_deploy(case.repo_path)
        and all("index" in op.lower() and "unique" not in op.lower() for op in case.ops)
    )


def _post_deploy(path: str) -> bool:
    return path.startswith("db/post_migrate/") or "/post_migrations/" in f"/{path}"


# --- real changes -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangeCase:
    """One labelled change of a public project's history."""

    project: str
    id: str
    change: Change
    truth: Mapping[str, Any]


def change_cases() -> list[ChangeCase]:
    """Every change of tests/corpus/changes/<project>.jsonl, rebuilt as the bot gathers it."""
    cases: list[ChangeCase] = []
    for path in sorted(CHANGES.glob("*.jsonl")):
        if path.name == "titles.jsonl":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(_change_case(path.stem, json.loads(line)))
    return cases


def _change_case(project: str, raw: Mapping[str, Any]) -> ChangeCase:
    texts = {m["path"]: m["text"] for m in raw.get("migrations", ())}
    flag_lines: dict[str, list[str]] = defaultdict(list)
    for found in raw.get("flag_lines", ()):
        flag_lines[found["path"]].append(found["text"])
    files = tuple(
        FileChange(
            f["path"],
            int(f["added"]),
            int(f["deleted"]),
            patch=texts.get(f["path"]),
            status=f.get("status"),
            evidence=tuple(flag_lines.get(f["path"], ())),
        )
        for f in raw["files"]
    )
    change = Change(
        id=raw["id"],
        source=project,
        title=raw["title"],
        merged_at=datetime.fromisoformat(raw["merged_at"]),
        labels=tuple(raw.get("labels", ())),
        trailers=tuple(tuple(t) for t in raw.get("trailers", ())),  # type: ignore[misc]
        files=files,
    )
    return ChangeCase(project=project, id=raw["id"], change=change, truth=raw["truth"])


@dataclass
class ChangeScores:
    """How the classes of real changes compare with what people judged them to be."""

    needs_flag: Score
    flagged: Score
    contract: Score
    classes: Counter[tuple[str, str]]  # (expected, predicted) -> how many
    categories: Score  # exact-match counts as true positives
    total: int


def change_scores(config: PolicyConfig | None = None) -> ChangeScores:
    """Score the policy on the sample of real changes (each classified alone, in merge order)."""
    config = config or PolicyConfig()
    needs_flag, flagged, contract, categories = Score(), Score(), Score(), Score()
    classes: Counter[tuple[str, str]] = Counter()
    cases = sorted(change_cases(), key=lambda c: c.change.merged_at)
    for case in cases:
        verdict = classify(case.change, config=config, history=(), sprint="Sprint 1")
        expected = str(case.truth["release_class"])
        predicted = verdict.release_class.value
        classes[(expected, predicted)] += 1
        for score, name in (
            (needs_flag, "needs-flag"),
            (flagged, "flagged"),
            (contract, "migration-contract"),
        ):
            score.add(case=case.id, predicted=predicted == name, actual=expected == name)
        right = verdict.category.value == case.truth["category"]
        categories.add(case=case.id, predicted=right, actual=True)
    return ChangeScores(needs_flag, flagged, contract, classes, categories, len(cases))


def title_scores(config: PolicyConfig | None = None) -> tuple[int, int, list[str]]:
    """(right, total, the wrong ones) for the labelled titles' categories (titles alone)."""
    config = config or PolicyConfig()
    right, total, wrong = 0, 0, []
    for line in (CHANGES / "titles.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        change = Change(id=raw["sha"], source="titles", title=raw["title"], merged_at=MERGED)
        got = classify(change, config=config, history=(), sprint="Sprint 1").category.value
        total += 1
        if got == raw["category"]:
            right += 1
        else:
            wrong.append(f"{raw['title']!r}: {got}, not {raw['category']}")
    return right, total, wrong


def table(rows: Iterable[Sequence[object]]) -> str:
    """Rows as aligned text columns."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells
    )
