"""Translation between the domain's recorded changes and the rows that hold them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping

from bot.domain.model import (
    Category,
    Change,
    Classification,
    ExpandRecord,
    FileChange,
    MigrationOp,
    MigrationStage,
    RecordedChange,
    ReleaseClass,
    Waiver,
)

# Bookkeeping columns of `changes` that no recorded change holds, so no read fetches them; and
# what a change brought (text, commits, files), which only classifying it needs: a lean read
# leaves those out too.
UNREAD_COLUMNS = frozenset({"first_run", "recorded_at"})
DETAIL_COLUMNS = frozenset({"body", "trailers", "commits", "messages", "files"})
# Enum members by value: a dict lookup per row rather than an Enum call.
_RELEASE_CLASSES = {member.value: member for member in ReleaseClass}
_CATEGORIES = {member.value: member for member in Category}


def change_row(
    recorded: RecordedChange, *, train: str, run_id: int | None, recorded_at: datetime
) -> dict[str, Any]:
    """The `changes` row of one recorded change."""
    change, verdict = recorded.change, recorded.classification
    return {
        "train": train,
        "id": change.id,
        "source": change.source,
        "title": change.title,
        "merged_at": change.merged_at,
        "author": change.author,
        "body": change.body,
        "url": change.url,
        "sha": change.sha,
        "number": change.number,
        "branch": change.branch,
        "labels": list(change.labels),
        "trailers": [list(trailer) for trailer in change.trailers],
        "commits": list(change.commits),
        "messages": list(change.messages),
        "files": [_file_json(file) for file in change.files],
        "release_class": str(verdict.release_class),
        "category": str(verdict.category),
        "reasons": list(verdict.reasons),
        "jira_keys": list(verdict.jira_keys),
        "violation": verdict.violation,
        "waiver_reason": verdict.waiver.reason if verdict.waiver is not None else None,
        "waiver_by": verdict.waiver.by if verdict.waiver is not None else None,
        "flag": verdict.flag,
        "sprint": recorded.sprint,
        "reverts": recorded.reverts,
        "reverted_by": recorded.reverted_by,
        "attached": recorded.attached,
        "first_run": run_id,
        "recorded_at": recorded_at,
    }


def commit_rows(recorded: RecordedChange, *, train: str) -> list[dict[str, Any]]:
    """The `change_commits` rows: the trunk commit and every commit the change brought."""
    change = recorded.change
    shas = dict.fromkeys(([change.sha] if change.sha else []) + list(change.commits))
    return [{"train": train, "sha": sha, "change_id": change.id} for sha in shas]


def migration_op_rows(recorded: RecordedChange, *, train: str) -> list[dict[str, Any]]:
    """The `migration_ops` rows, numbered so they read back in their original order."""
    change = recorded.change
    return [
        {
            "train": train,
            "change_id": change.id,
            "position": position,
            "stage": str(op.stage),
            "table_name": op.table,
            "column_name": op.column,
            "action": op.action,
            "merged_at": change.merged_at,
            "sprint": recorded.sprint,
        }
        for position, op in enumerate(recorded.classification.migration_ops)
    ]


def recorded_change(
    row: RowMapping, ops: Sequence[MigrationOp], *, details: bool = True
) -> RecordedChange:
    """A recorded change from its `changes` row and its migration ops (`new` is per run).

    Without `details` the row holds none of DETAIL_COLUMNS and the change carries their empty
    values: no files, messages, commits or trailers, and an empty body.
    """
    change = Change(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        merged_at=row["merged_at"],
        author=row["author"],
        url=row["url"],
        sha=row["sha"],
        number=row["number"],
        branch=row["branch"],
        labels=tuple(row["labels"]),
        **(_details(row) if details else {}),
    )
    verdict = Classification(
        release_class=_RELEASE_CLASSES[row["release_class"]],
        category=_CATEGORIES[row["category"]],
        reasons=tuple(row["reasons"]),
        jira_keys=tuple(row["jira_keys"]),
        migration_ops=tuple(ops),
        violation=row["violation"],
        flag=row["flag"],
        waiver=_waiver(row),
    )
    return RecordedChange(
        change=change,
        classification=verdict,
        train=row["train"],
        sprint=row["sprint"],
        reverts=row["reverts"],
        reverted_by=row["reverted_by"],
        attached=bool(row["attached"]),
    )


def migration_op(row: RowMapping) -> MigrationOp:
    """A migration op from its row."""
    return MigrationOp(
        stage=MigrationStage(row["stage"]),
        table=row["table_name"],
        column=row["column_name"],
        action=row["action"],
    )


def expand_record(row: RowMapping) -> ExpandRecord:
    """An expand record from a `migration_ops` row."""
    return ExpandRecord(
        change_id=row["change_id"],
        table=row["table_name"],
        column=row["column_name"],
        merged_at=row["merged_at"],
        sprint=row["sprint"],
        action=row["action"],
    )


def _waiver(row: RowMapping) -> Waiver | None:
    reason = row.get("waiver_reason")
    return Waiver(reason=reason, by=row.get("waiver_by") or "") if reason is not None else None


def _details(row: RowMapping) -> dict[str, Any]:
    return {
        "body": row["body"],
        "trailers": tuple((key, value) for key, value in row["trailers"]),
        "commits": tuple(row["commits"]),
        "messages": tuple(row["messages"]),
        "files": tuple(_file_from_json(item) for item in row["files"]),
    }


def _file_json(file: FileChange) -> dict[str, Any]:
    return {
        "path": file.path,
        "added": file.added,
        "deleted": file.deleted,
        "patch": file.patch,
        "status": file.status,
        "evidence": list(file.evidence),
    }


def _file_from_json(item: Mapping[str, Any]) -> FileChange:
    return FileChange(
        path=item["path"],
        added=item["added"],
        deleted=item["deleted"],
        patch=item.get("patch"),
        status=item.get("status"),  # None in rows recorded before sources said
        evidence=tuple(item.get("evidence") or ()),
    )
