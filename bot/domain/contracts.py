"""The two-stage migration rule: how a contract op stands against its expand stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.migrations import ADD_NON_NULL_COLUMN, UNREAD_MIGRATION, describe_op
from bot.domain.model import Change, ExpandRecord, MigrationOp


@dataclass(frozen=True, slots=True)
class ContractVerdict:
    """How one contract op stands against the expand history: a reason, and a broken rule."""

    reason: str | None
    violation: str | None


def _follows(op: MigrationOp, record: ExpandRecord) -> bool:
    # By table, never by column: a contract drops what an earlier expand replaced (add
    # `reason_code`, later drop `reason`), so the two rarely name the same column. A dropped or
    # renamed table carries its own (old) name in `op.table`.
    return bool(op.table) and record.table == op.table


def _latest_expand(
    op: MigrationOp, *, change: Change, history: Sequence[ExpandRecord]
) -> ExpandRecord | None:
    latest: ExpandRecord | None = None
    for record in history:
        if record.change_id == change.id or record.merged_at > change.merged_at:
            continue
        if _follows(op, record) and (latest is None or record.merged_at >= latest.merged_at):
            latest = record
    return latest


def contract_verdict(
    op: MigrationOp,
    *,
    change: Change,
    own_expand: Sequence[MigrationOp],
    history: Sequence[ExpandRecord],
    sprint: str,
) -> ContractVerdict:
    """Judge a contract op of `change`, whose own expand ops are `own_expand`, in `sprint`."""
    if op.action == UNREAD_MIGRATION:
        return ContractVerdict(
            "its stage could not be read, so it counts as a contract: "
            "check which stage it is by hand",
            None,
        )
    described = describe_op(op)
    if op.action == ADD_NON_NULL_COLUMN:
        return ContractVerdict(
            None,
            f"{described}, which breaks code that still inserts rows without it: "
            "add it nullable or with a default first",
        )
    # One change that expands and contracts a table has skipped the two stages.
    own = next((e for e in own_expand if e.table and e.table == op.table), None)
    if own is not None:
        return ContractVerdict(
            "expand stage is in this same change",
            f"{described} in the same change as its expand stage ({describe_op(own)}): "
            "ship the expand stage first and contract in a later sprint",
        )
    record = _latest_expand(op, change=change, history=history)
    if record is None:
        target = f" of table {op.table}" if op.table else ""
        return ContractVerdict(f"expand stage{target} predates recorded history", None)
    if record.sprint == sprint:
        return ContractVerdict(
            f"expand stage is in this sprint, {sprint} ({record.change_id})",
            f"{described} in the same sprint as its expand stage ({sprint}, {record.change_id}): "
            "contract only after the expand stage has shipped in an earlier sprint",
        )
    return ContractVerdict(f"expand stage shipped in {record.sprint} ({record.change_id})", None)
