"""The JSON report of `sync --json` and `status --json`, and the counts behind it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.domain.model import (
    DraftState,
    RecordedChange,
    ReleaseClass,
    Sprint,
    Violation,
    Waiver,
)


def count_classes(changes: Iterable[RecordedChange]) -> dict[str, int]:
    """Changes counted by release class, every class present (zeros included)."""
    counted = Counter(rc.classification.release_class for rc in changes)
    return {rc.value: counted.get(rc, 0) for rc in ReleaseClass}


def violations_of(changes: Iterable[RecordedChange]) -> list[Violation]:
    """The policy violations among the changes, waived ones included, in merge order."""
    return [
        Violation(
            change=rc.change.id,
            rule=rc.classification.release_class.value,
            message=rc.classification.violation,
            waiver=rc.classification.waiver,
        )
        for rc in changes
        if rc.classification.violation
    ]


def unwaived(violations: Iterable[Violation]) -> list[Violation]:
    """The violations that count: those nobody waived (--strict, status, digest, summary)."""
    return [v for v in violations if v.waiver is None]


def waiver_json(waiver: Waiver | None) -> dict[str, str] | None:
    """A waiver as the JSON report writes it."""
    return None if waiver is None else {"reason": waiver.reason, "by": waiver.by}


def change_entry(rc: RecordedChange) -> dict[str, Any]:
    """One change as the report lists it."""
    change, verdict = rc.change, rc.classification
    return {
        "id": change.id,
        "source": change.source,
        "title": change.title,
        "url": change.url,
        "author": change.author,
        "merged_at": change.merged_at.isoformat(),
        "release_class": verdict.release_class.value,
        "category": verdict.category.value,
        "reasons": list(verdict.reasons),
        "jira_keys": list(verdict.jira_keys),
        "reverts": rc.reverts,
        "reverted_by": rc.reverted_by,
        "new": rc.new,
        "attached": rc.attached,
    }


def build_report(
    *,
    train: str,
    sprint: Sprint | None,
    ticket: Mapping[str, str] | None,
    changes: Sequence[RecordedChange],
    draft: DraftState,
    dry_run: bool,
) -> dict[str, Any]:
    """The report object of interface section 1."""
    return {
        "train": train,
        "sprint": None
        if sprint is None
        else {
            "name": sprint.name,
            "start": sprint.start.isoformat(),
            "end": sprint.end.isoformat(),
        },
        "ticket": dict(ticket) if ticket else None,
        "changes": [change_entry(rc) for rc in changes],
        "counts": count_classes(changes),
        "violations": [
            {
                "change": v.change,
                "rule": v.rule,
                "message": v.message,
                "waiver": waiver_json(v.waiver),
            }
            for v in violations_of(changes)
        ],
        "draft": {
            "version": draft.version,
            "state": draft.state,
            "approved_by": draft.approved_by,
            "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
        },
        "dry_run": dry_run,
    }
