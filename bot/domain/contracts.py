"""The two-stage migration rule: how a contract op stands against the expand it follows.

A contract follows the expand that added or replaced what it removes: an expand of the same
table whose column is the one the contract removes or is related to it by name (one contains
the other, as `reason` and `reason_code`), or, for a contract that removes a table, an expand
of that table or of one whose name is related. An unrelated expand of the same table (adding
`users.nickname` while dropping `users.legacy_flag`, or indexing the table) is not the stage
the contract follows; the expand that created the table is, for any of its columns.
The contract is a violation when that expand is in the same sprint, or the same change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.migrations import ADD_NON_NULL_COLUMN, POST_DEPLOY, UNREAD_MIGRATION, describe_op
from bot.domain.migrations.actions import CREATE_TABLE, DROP_TABLE, REBUILD_TABLE, RENAME_TABLE
from bot.domain.model import Change, ExpandRecord, MigrationOp

# Contract actions that remove a whole table (matched by the table's name, not a column's).
_TABLE_ACTIONS = frozenset({DROP_TABLE, RENAME_TABLE, REBUILD_TABLE})
# A name shorter than this relates only to itself (`id` is part of every `*_id`).
_MIN_RELATED = 4


@dataclass(frozen=True, slots=True)
class ContractVerdict:
    """How one contract op stands against the expand history: a reason, and a broken rule."""

    reason: str | None
    violation: str | None


def related(a: str, b: str) -> bool:
    """Whether two names are one, or one is a part of the other (`reason`, `reason_code`)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < _MIN_RELATED or short not in long:
        return False
    return long.startswith(short) or long.endswith(short) or f"_{short}_" in long


def follows(op: MigrationOp, table: str, column: str | None, action: str = "") -> bool:
    """Whether an expand `action` on `table` (`column`) is the stage the contract `op` follows.

    An expand whose action is unknown ("", recorded before actions were kept) that names no
    column counts as creating its table.
    """
    if not op.table:
        return False
    if op.action in _TABLE_ACTIONS:
        return related(op.table, table)
    if op.table != table:
        return False
    if op.column is None:
        return True  # a table-wide contract follows any expand of its table
    if column is None:
        return action in ("", CREATE_TABLE)  # the table's creation added every column
    return related(op.column, column)


def _latest_expand(
    op: MigrationOp, *, change: Change, history: Sequence[ExpandRecord]
) -> ExpandRecord | None:
    latest: ExpandRecord | None = None
    for record in history:
        if record.change_id == change.id or record.merged_at > change.merged_at:
            continue
        if follows(op, record.table, record.column, record.action) and (
            latest is None or record.merged_at >= latest.merged_at
        ):
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
    if op.action == POST_DEPLOY:
        return ContractVerdict(None, None)  # its operations are judged one by one
    described = describe_op(op)
    if op.action == ADD_NON_NULL_COLUMN:
        return ContractVerdict(
            None,
            f"{described}, which breaks code that still inserts rows without it: "
            "add it nullable or with a default first",
        )
    # One change that expands and contracts the same thing has skipped the two stages.
    own = next((e for e in own_expand if follows(op, e.table, e.column, e.action)), None)
    if own is not None:
        return ContractVerdict(
            "expand stage is in this same change",
            f"{described} in the same change as its expand stage ({describe_op(own)}): "
            "ship the expand stage first and contract in a later sprint",
        )
    record = _latest_expand(op, change=change, history=history)
    if record is None:
        target = f"{op.table}.{op.column}" if op.column else op.table
        return ContractVerdict(f"expand stage of {target} predates recorded history", None)
    if record.sprint == sprint:
        return ContractVerdict(
            f"expand stage is in this sprint, {sprint} ({record.change_id})",
            f"{described} in the same sprint as its expand stage ({sprint}, {record.change_id}): "
            "contract only after the expand stage has shipped in an earlier sprint",
        )
    return ContractVerdict(f"expand stage shipped in {record.sprint} ({record.change_id})", None)
