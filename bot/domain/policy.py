"""The release policy: rules as ordered data over a change's signals, each decision explained.

The signals the rules read, what needs a feature flag among them, come from `bot.domain.signals`;
the two-stage migration rule from `bot.domain.contracts`.

Release classes come from RELEASE_RULES, first match wins:

1. contract migration -> migration-contract. A contract is the backwards-incompatible step the
   two-stage migration process governs, and a flag cannot gate a dropped column, so a breaking
   label or `!` on such a change is read as describing the migration. It stays a violation when
   the expand stage it follows is in the same sprint or the same change, or when it adds a
   non-null column without a default.
2. needs a flag and has one -> flagged. The flag is what makes the change safe; an expand
   migration it also carries is backwards-compatible by definition and shows in the reasons.
3. needs a flag without one -> needs-flag (a violation).
4. expand migration -> migration-expand.
5. anything else -> continuous.

`violation` gathers every broken rule whatever the class: a contract change that also adds new
UI or touches customer data without a flag says so too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain.categories import CATEGORY_RULES, category_of
from bot.domain.contracts import ContractVerdict, contract_verdict
from bot.domain.migrations import describe_op
from bot.domain.model import (
    Change,
    Classification,
    ExpandRecord,
    MigrationOp,
    ReleaseClass,
)
from bot.domain.references import find_jira_keys, strip_html_comments
from bot.domain.signals import FlagSignal, PolicyConfig, Signals, read_signals

__all__ = [
    "CATEGORY_RULES",
    "CLASS_MEANINGS",
    "MAX_JIRA_KEYS_PER_CHANGE",
    "RELEASE_RULES",
    "FlagSignal",
    "PolicyConfig",
    "ReleaseRule",
    "Signals",
    "classify",
    "explain",
    "read_signals",
]

_MAX_OP_REASONS = 12
# Each key taken becomes a Jira write (an issue link): one commit naming thousands must not.
MAX_JIRA_KEYS_PER_CHANGE = 20
_KEYS_NAMED_IN_NOTE = 3


@dataclass(frozen=True, slots=True)
class ReleaseRule:
    """One row of the release-class table: when `applies` holds, the change gets the class."""

    name: str
    applies: Callable[[Signals], bool]
    release_class: ReleaseClass


RELEASE_RULES: tuple[ReleaseRule, ...] = (
    ReleaseRule("contract migration", lambda s: bool(s.contract), ReleaseClass.MIGRATION_CONTRACT),
    ReleaseRule("flagged", lambda s: s.needs_flag and s.has_flag, ReleaseClass.FLAGGED),
    ReleaseRule("needs a flag", lambda s: s.needs_flag, ReleaseClass.NEEDS_FLAG),
    ReleaseRule("expand migration", lambda s: bool(s.expand), ReleaseClass.MIGRATION_EXPAND),
    ReleaseRule("anything else", lambda s: True, ReleaseClass.CONTINUOUS),
)


# A violation is one sentence people read in a list: past this many broken rules it counts the
# rest (each contract op's reason stays in the change's reasons, which explain prints).
_MAX_VIOLATIONS_SAID = 3


def _needs_flag_message(reasons: Sequence[str], config: PolicyConfig) -> str:
    trailer = f"a '{config.flag_trailer}: <name>' trailer"
    how = f"the label '{config.flag_labels[0]}' or {trailer}" if config.flag_labels else trailer
    return f"needs a feature flag ({', '.join(reasons)}) but names none: add {how}"


def _violation(
    release_class: ReleaseClass,
    *,
    signals: Signals,
    verdicts: dict[MigrationOp, ContractVerdict],
    config: PolicyConfig,
) -> str | None:
    messages = [v.violation for v in verdicts.values() if v.violation]
    unflagged = signals.flag_reasons
    if signals.contract and release_class is not ReleaseClass.NEEDS_FLAG:
        unflagged = signals.new_ui + signals.data_impact  # breaking describes the migration
    if unflagged and not signals.has_flag:
        messages.append(_needs_flag_message(unflagged, config))
    if not messages:
        return None
    if len(messages) > _MAX_VIOLATIONS_SAID:
        hidden = len(messages) - _MAX_VIOLATIONS_SAID
        messages = [*messages[:_MAX_VIOLATIONS_SAID], f"and {hidden} more (explain lists them)"]
    sentence = "; ".join(messages)
    return f"{sentence[0].upper()}{sentence[1:]}."


def _reasons(
    signals: Signals, *, verdicts: dict[MigrationOp, ContractVerdict], config: PolicyConfig
) -> tuple[str, ...]:
    reasons: list[str] = []
    if not signals.flag_reasons and not signals.migration_ops:
        reasons.append("no breaking, new UI, customer-data or migration signal")
    reasons += signals.flag_reasons
    if signals.touches_ui and signals.ui_lines <= config.large_ui_lines:
        reasons.append(
            f"{signals.ui_lines} new lines under UI paths: a small UI change "
            f"(within {config.large_ui_lines})"
        )
    if signals.flag is not None:
        reasons.append(f"behind a feature flag: {signals.flag.reason}")
    reasons += [
        f"{touched}: an already-committed migration, not a migration stage"
        for touched in signals.untouched_migrations
    ]
    if signals.waiver is not None:
        reasons.append(f"violation waived ({signals.waiver.by}): {signals.waiver.reason}")
    op_reasons: list[str] = []
    for op in signals.contract + signals.expand:
        op_reasons.append(describe_op(op))
        verdict = verdicts.get(op)
        if verdict is not None and verdict.reason:
            op_reasons.append(verdict.reason)
    if len(op_reasons) > _MAX_OP_REASONS:
        hidden = len(op_reasons) - _MAX_OP_REASONS
        op_reasons = [*op_reasons[:_MAX_OP_REASONS], f"and {hidden} more schema details"]
    return tuple(reasons + op_reasons)


def classify(
    change: Change,
    *,
    config: PolicyConfig,
    history: Sequence[ExpandRecord],
    sprint: str,
    rules: Sequence[ReleaseRule] = RELEASE_RULES,
) -> Classification:
    """Decide a change's release class and category, with the reasons and any violation.

    `history` holds expand ops recorded earlier in the train (any source, including earlier
    changes of the same batch); `sprint` names the sprint the change belongs to.
    """
    signals = read_signals(change, config=config)
    release_class = next(
        (rule.release_class for rule in rules if rule.applies(signals)), ReleaseClass.CONTINUOUS
    )
    verdicts = {
        op: contract_verdict(
            op, change=change, own_expand=signals.expand, history=history, sprint=sprint
        )
        for op in signals.contract
    }
    texts = (change.branch or "", change.title, strip_html_comments(change.body), *change.messages)
    keys = find_jira_keys(texts, pattern=config.jira_key_pattern)
    violation = _violation(release_class, signals=signals, verdicts=verdicts, config=config)
    return Classification(
        release_class=release_class,
        category=category_of(signals, change.title),
        reasons=change.source_notes
        + _reasons(signals, verdicts=verdicts, config=config)
        + _keys_left_out(keys),
        jira_keys=keys[:MAX_JIRA_KEYS_PER_CHANGE],
        migration_ops=signals.migration_ops,
        violation=violation,
        flag=signals.flag.name if signals.flag is not None else None,
        waiver=signals.waiver if violation is not None else None,
    )


def _keys_left_out(keys: Sequence[str]) -> tuple[str, ...]:
    """A reason naming the Jira keys past the cap, or nothing."""
    rest = keys[MAX_JIRA_KEYS_PER_CHANGE:]
    if not rest:
        return ()
    named = ", ".join(rest[:_KEYS_NAMED_IN_NOTE])
    more = len(rest) - _KEYS_NAMED_IN_NOTE
    return (
        f"names {len(keys):,} Jira issues: only the first {MAX_JIRA_KEYS_PER_CHANGE} are linked, "
        f"{len(rest):,} left out ({named}{f' and {more:,} more' if more > 0 else ''})",
    )


CLASS_MEANINGS: dict[ReleaseClass, str] = {
    ReleaseClass.CONTINUOUS: "may be released once merged",
    ReleaseClass.FLAGGED: "needed a feature flag and has one",
    ReleaseClass.NEEDS_FLAG: "needs a feature flag and names none",
    ReleaseClass.MIGRATION_EXPAND: "first stage: a backwards-compatible schema migration",
    ReleaseClass.MIGRATION_CONTRACT: "second stage: can break the code already running",
}


def explain(classification: Classification) -> str:
    """A multi-line explanation of a classification for people."""
    c = classification
    lines = [f"Release class: {c.release_class} ({CLASS_MEANINGS[c.release_class]})"]
    if c.violation and c.waiver is not None:
        lines.append(f"Violation (waived by {c.waiver.by}: {c.waiver.reason}): {c.violation}")
    elif c.violation:
        lines.append(f"Violation: {c.violation}")
    lines.append(f"Category: {c.category}")
    lines.append("Why:")
    lines += [f"  - {reason}" for reason in c.reasons]
    if c.flag:
        lines.append(f"Feature flag: {c.flag}")
    if c.migration_ops:
        ops = "; ".join(f"{describe_op(op)} ({op.stage})" for op in c.migration_ops)
        lines.append(f"Schema operations: {ops}")
    if c.jira_keys:
        lines.append(f"Jira issues: {', '.join(c.jira_keys)}")
    return "\n".join(lines)
