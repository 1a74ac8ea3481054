"""The release policy: signals read from a change, rules as ordered data, each decision explained.

What needs a feature flag (the release process): a backwards-incompatible change (a breaking
label, `!` in the conventional title, a BREAKING CHANGE footer), new user-visible UI (a UI
label, which marks new pages or designs, or more added lines under UI paths than
`large_ui_lines`), and a change to customer data sets (a data label). A small edit under UI
paths alone is an ordinary change.

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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from bot.domain.migrations import ADD_NON_NULL_COLUMN, describe_op, read_migration
from bot.domain.model import (
    Category,
    Change,
    Classification,
    ExpandRecord,
    MigrationOp,
    MigrationStage,
    ReleaseClass,
)
from bot.domain.paths import compile_glob
from bot.domain.references import (
    Conventional,
    compile_key_pattern,
    find_jira_keys,
    has_breaking_footer,
    parse_conventional,
    parse_trailers,
    strip_html_comments,
)
from bot.domain.reverts import is_revert

_NO_FLAG_VALUES = frozenset({"", "none", "n/a", "na", "no", "-", "false", "null", "tbd", "off"})
_MAX_OP_REASONS = 12
_SCOPE_SEPARATORS = re.compile(r"[\s,/]+")


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    """The `[policy]` settings; the defaults encode the written release process."""

    breaking_labels: tuple[str, ...] = ("breaking-change",)
    flag_labels: tuple[str, ...] = ("feature-flagged",)
    flag_trailer: str = "Feature-Flag"
    ui_labels: tuple[str, ...] = ("ui",)
    ui_paths: tuple[str, ...] = (
        "web/**",
        "frontend/**",
        "**/*.tsx",
        "**/*.vue",
        "**/templates/**",
    )
    large_ui_lines: int = 200
    data_labels: tuple[str, ...] = ("data-impact",)
    migration_paths: tuple[str, ...] = (
        "**/migrations/**",
        "**/alembic/versions/**",
        "db/migrate/**",
        "**/*.sql",
    )
    jira_key_pattern: str = "[A-Z][A-Z0-9]+-[0-9]+"


@dataclass(frozen=True, slots=True)
class _Compiled:
    config: PolicyConfig
    labels: dict[str, frozenset[str]]
    flag_key: str
    flag_mention: re.Pattern[str]
    flag_line: re.Pattern[str]
    ui_paths: re.Pattern[str]
    migration_paths: re.Pattern[str]


def _globs(patterns: Sequence[str]) -> re.Pattern[str]:
    """One regex for a set of globs: a path is matched once, not once per pattern."""
    if not patterns:
        return re.compile(r"(?!)")
    compiled = [compile_glob(p) for p in patterns]
    flags = 0
    for regex in compiled:
        flags |= regex.flags
    return re.compile("|".join(f"(?:{regex.pattern})" for regex in compiled), flags)


@lru_cache(maxsize=32)
def _compile(config: PolicyConfig) -> _Compiled:
    compile_key_pattern(config.jira_key_pattern)  # fail early, naming the pattern
    key = re.escape(config.flag_trailer.strip())
    return _Compiled(
        config=config,
        labels={
            name: frozenset(label.strip().lower() for label in labels)
            for name, labels in (
                ("breaking", config.breaking_labels),
                ("flag", config.flag_labels),
                ("ui", config.ui_labels),
                ("data", config.data_labels),
            )
        },
        flag_key=config.flag_trailer.strip().lower(),
        flag_mention=re.compile(key, re.I),
        flag_line=re.compile(rf"^[ \t]{{0,16}}{key}[ \t]{{0,16}}:[ \t]*(\S[^\r\n]*)", re.I | re.M),
        ui_paths=_globs(config.ui_paths),
        migration_paths=_globs(config.migration_paths),
    )


@dataclass(frozen=True, slots=True)
class FlagSignal:
    """A feature flag the change names: by name (a trailer) or only by a flag label."""

    name: str | None
    reason: str


class Signals(NamedTuple):
    """Everything the rules look at, read once from a change (a tuple: cheap to build)."""

    conventional: Conventional | None
    breaking: tuple[str, ...]  # reasons the change is backwards-incompatible
    new_ui: tuple[str, ...]  # reasons it is new user-visible UI
    data_impact: tuple[str, ...]
    flag: FlagSignal | None
    ui_label: bool
    touches_ui: bool
    ui_lines: int
    api: bool
    revert: bool
    migration_ops: tuple[MigrationOp, ...]
    expand: tuple[MigrationOp, ...]
    contract: tuple[MigrationOp, ...]

    @property
    def flag_reasons(self) -> tuple[str, ...]:
        """Why the change needs a feature flag; empty when it does not."""
        return self.breaking + self.new_ui + self.data_impact

    @property
    def needs_flag(self) -> bool:
        return bool(self.flag_reasons)

    @property
    def has_flag(self) -> bool:
        return self.flag is not None


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


def _typed(kind: str) -> Callable[[Signals], bool]:
    return lambda s: s.conventional is not None and s.conventional.type == kind


# A revert comes first: where the notes list it depends on what it reverts, not on its title.
CATEGORY_RULES: tuple[tuple[Category, Callable[[Signals], bool]], ...] = (
    (Category.REVERT, lambda s: s.revert),
    (Category.FEATURE, _typed("feat")),
    (Category.FIX, _typed("fix")),
    (Category.PERFORMANCE, _typed("perf")),
    (Category.MIGRATION, lambda s: bool(s.migration_ops)),
    (Category.UI, lambda s: s.ui_label or s.touches_ui),
    (Category.DATA, lambda s: bool(s.data_impact)),
    (Category.API, lambda s: s.api),
    (Category.OTHER, lambda s: True),
)


def read_signals(change: Change, *, config: PolicyConfig) -> Signals:
    """Read every signal the rules use from one change."""
    compiled = _compile(config)
    labels = {label.strip().lower(): label.strip() for label in change.labels}
    conventional = parse_conventional(change.title)
    body = strip_html_comments(change.body)
    ops = _migration_ops(change, compiled)
    ui_lines, touches_ui = _ui_lines(change, compiled)
    ui_labels = _labelled(labels, compiled.labels["ui"])
    new_ui = ui_labels + (
        (f"{ui_lines} added lines under UI paths (limit {config.large_ui_lines})",)
        if ui_lines > config.large_ui_lines
        else ()
    )
    scope = conventional.scope if conventional is not None and conventional.scope else ""
    return Signals(
        conventional=conventional,
        breaking=_breaking(
            change, body=body, labels=labels, compiled=compiled, conventional=conventional
        ),
        new_ui=new_ui,
        data_impact=_labelled(labels, compiled.labels["data"]),
        flag=_flag(change, body=body, labels=labels, compiled=compiled),
        ui_label=bool(ui_labels),
        touches_ui=touches_ui,
        ui_lines=ui_lines,
        api="api" in labels or "api" in _SCOPE_SEPARATORS.split(scope.lower()),
        revert=is_revert(change) or (conventional is not None and conventional.type == "revert"),
        migration_ops=ops,
        expand=tuple(op for op in ops if op.stage is MigrationStage.EXPAND),
        contract=tuple(op for op in ops if op.stage is MigrationStage.CONTRACT),
    )


def _labelled(labels: dict[str, str], wanted: frozenset[str]) -> tuple[str, ...]:
    return tuple(f"label '{labels[key]}'" for key in labels if key in wanted)


def _breaking(
    change: Change,
    *,
    body: str,
    labels: dict[str, str],
    compiled: _Compiled,
    conventional: Conventional | None,
) -> tuple[str, ...]:
    reasons = list(_labelled(labels, compiled.labels["breaking"]))
    if conventional is not None and conventional.breaking:
        reasons.append(f"conventional commit '{conventional.label}'")
    if any(has_breaking_footer(text) for text in (body, *change.messages)):
        reasons.append("BREAKING CHANGE footer")
    return tuple(reasons)


def _flag_name(value: str) -> str | None:
    name = value.strip().strip("`'\"*_").strip()
    if name.lower() in _NO_FLAG_VALUES or name.startswith("<"):
        return None  # a template placeholder or an explicit "none"
    return name


def _flag(
    change: Change, *, body: str, labels: dict[str, str], compiled: _Compiled
) -> FlagSignal | None:
    trailer = compiled.config.flag_trailer.strip()
    values = [value for key, value in change.trailers if key.strip().lower() == compiled.flag_key]
    if compiled.flag_mention.search(body):
        values += [m.group(1) for m in compiled.flag_line.finditer(body)]
    for message in change.messages:
        if compiled.flag_mention.search(message):
            trailers = parse_trailers(message)
            values += [v for k, v in trailers if k.strip().lower() == compiled.flag_key]
    for value in values:
        name = _flag_name(value)
        if name is not None:
            return FlagSignal(name=name, reason=f"feature flag '{name}' ({trailer} trailer)")
    flag_labels = _labelled(labels, compiled.labels["flag"])
    return FlagSignal(name=None, reason=flag_labels[0]) if flag_labels else None


def _ui_lines(change: Change, compiled: _Compiled) -> tuple[int, bool]:
    matching = [f.added for f in change.files if compiled.ui_paths.match(f.path)]
    return sum(matching), bool(matching)


def _migration_ops(change: Change, compiled: _Compiled) -> tuple[MigrationOp, ...]:
    ops: list[MigrationOp] = []
    for file in change.files:
        if file.patch is not None and compiled.migration_paths.match(file.path):
            ops.extend(read_migration(file.path, file.patch))
    return tuple(dict.fromkeys(ops))


@dataclass(frozen=True, slots=True)
class _Verdict:
    """How one contract op stands against the expand history."""

    reason: str | None
    violation: str | None


def _follows(op: MigrationOp, record: ExpandRecord) -> bool:
    # A record naming no column (a created table) touches every column of its table.
    if not op.table or record.table != op.table:
        return False
    return op.column is None or record.column is None or record.column == op.column


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


def _verdict(
    op: MigrationOp,
    *,
    change: Change,
    signals: Signals,
    history: Sequence[ExpandRecord],
    sprint: str,
) -> _Verdict:
    described = describe_op(op)
    if op.action == ADD_NON_NULL_COLUMN:
        return _Verdict(
            None,
            f"{described}, which breaks code that still inserts rows without it: "
            "add it nullable or with a default first",
        )
    # One change that expands and contracts a table has skipped the two stages.
    own = next((e for e in signals.expand if e.table and e.table == op.table), None)
    if own is not None:
        return _Verdict(
            "expand stage is in this same change",
            f"{described} in the same change as its expand stage ({describe_op(own)}): "
            "ship the expand stage first and contract in a later sprint",
        )
    record = _latest_expand(op, change=change, history=history)
    if record is None:
        target = f"{op.table}.{op.column}" if op.column else op.table
        return _Verdict(
            f"expand stage{f' of {target}' if target else ''} predates recorded history", None
        )
    if record.sprint == sprint:
        return _Verdict(
            f"expand stage is in this sprint, {sprint} ({record.change_id})",
            f"{described} in the same sprint as its expand stage ({sprint}, {record.change_id}): "
            "contract only after the expand stage has shipped in an earlier sprint",
        )
    return _Verdict(f"expand stage shipped in {record.sprint} ({record.change_id})", None)


def _needs_flag_message(reasons: Sequence[str], config: PolicyConfig) -> str:
    trailer = f"a '{config.flag_trailer}: <name>' trailer"
    how = f"the label '{config.flag_labels[0]}' or {trailer}" if config.flag_labels else trailer
    return f"needs a feature flag ({', '.join(reasons)}) but names none: add {how}"


def _violation(
    release_class: ReleaseClass,
    *,
    signals: Signals,
    verdicts: dict[MigrationOp, _Verdict],
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
    sentence = "; ".join(messages)
    return f"{sentence[0].upper()}{sentence[1:]}."


def _reasons(
    signals: Signals, *, verdicts: dict[MigrationOp, _Verdict], config: PolicyConfig
) -> tuple[str, ...]:
    reasons: list[str] = []
    if not signals.flag_reasons and not signals.migration_ops:
        reasons.append("no breaking, new UI, customer-data or migration signal")
    reasons += signals.flag_reasons
    if signals.touches_ui and signals.ui_lines <= config.large_ui_lines:
        reasons.append(
            f"{signals.ui_lines} added lines under UI paths (within limit {config.large_ui_lines})"
        )
    if signals.flag is not None:
        reasons.append(signals.flag.reason)
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
        op: _verdict(op, change=change, signals=signals, history=history, sprint=sprint)
        for op in signals.contract
    }
    texts = (change.branch or "", change.title, strip_html_comments(change.body), *change.messages)
    return Classification(
        release_class=release_class,
        category=next(category for category, applies in CATEGORY_RULES if applies(signals)),
        reasons=_reasons(signals, verdicts=verdicts, config=config),
        jira_keys=find_jira_keys(texts, pattern=config.jira_key_pattern),
        migration_ops=signals.migration_ops,
        violation=_violation(release_class, signals=signals, verdicts=verdicts, config=config),
        flag=signals.flag.name if signals.flag is not None else None,
    )


CLASS_MEANINGS: dict[ReleaseClass, str] = {
    ReleaseClass.CONTINUOUS: "may be released once merged",
    ReleaseClass.FLAGGED: "needed a feature flag and has one",
    ReleaseClass.NEEDS_FLAG: "needs a feature flag and names none",
    ReleaseClass.MIGRATION_EXPAND: "first stage: a backwards-compatible schema migration",
    ReleaseClass.MIGRATION_CONTRACT: "second stage: drops or renames what an earlier one replaced",
}


def explain(classification: Classification) -> str:
    """A multi-line explanation of a classification for people."""
    c = classification
    lines = [f"Release class: {c.release_class} ({CLASS_MEANINGS[c.release_class]})"]
    if c.violation:
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
