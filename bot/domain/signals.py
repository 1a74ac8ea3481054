"""The signals the release rules read from a change: labels, titles, trailers, paths, code,
migrations.

What needs a feature flag (the release process): a backwards-incompatible change (a breaking
label, `!` in the conventional title, a BREAKING CHANGE footer), new user-visible UI (a UI
label, which marks new pages or designs, or more new lines under UI paths than
`large_ui_lines`: lines of added files and what modified files grew by, so a rewrite that
replaces as much as it adds is not new UI; stories, tests, snapshots and translations are not
counted), and a change to
customer data sets (a data label). A small edit under UI paths alone is an ordinary change.
Each reason says what the evidence means, not only where it was found.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.domain.config import DEFAULT_FLAG_PATTERNS, Compiled, PolicyConfig, compile_config
from bot.domain.flags import FlagSignal, read_flag, read_waiver
from bot.domain.model import Change, MigrationOp, MigrationStage, Waiver
from bot.domain.references import (
    Conventional,
    has_breaking_footer,
    parse_conventional,
    strip_html_comments,
)
from bot.domain.reverts import is_revert
from bot.domain.stages import read_migrations

__all__ = [
    "DEFAULT_FLAG_PATTERNS",
    "FlagSignal",
    "PolicyConfig",
    "Signals",
    "read_signals",
]

_SCOPE_SEPARATORS = re.compile(r"[\s,/]+")


class Signals(NamedTuple):
    """Everything the rules look at, read once from a change (a tuple: cheap to build)."""

    conventional: Conventional | None
    breaking: tuple[str, ...]  # reasons the change is backwards-incompatible
    new_ui: tuple[str, ...]  # reasons it is new user-visible UI
    data_impact: tuple[str, ...]
    flag: FlagSignal | None
    waiver: Waiver | None
    ui_label: bool
    touches_ui: bool
    ui_lines: int
    api: bool
    revert: bool
    migration_ops: tuple[MigrationOp, ...]
    expand: tuple[MigrationOp, ...]
    contract: tuple[MigrationOp, ...]
    post_deploy: tuple[str, ...]  # post-deployment migrations the change adds
    untouched_migrations: tuple[str, ...]  # committed migration files it only touches

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


def read_signals(change: Change, *, config: PolicyConfig) -> Signals:
    """Read every signal the rules use from one change."""
    compiled = compile_config(config)
    labels = {label.strip().lower(): label.strip() for label in change.labels}
    conventional = parse_conventional(change.title)
    body = strip_html_comments(change.body)
    migrations = read_migrations(change, compiled)
    ops = migrations.ops
    ui_lines, touches_ui = _ui_lines(change, compiled)
    ui_labels = _labelled(labels, compiled.labels["ui"], meaning="new user-visible UI")
    new_ui = ui_labels + (
        (
            f"new user-visible UI: {ui_lines} new lines under UI paths "
            f"(more than {config.large_ui_lines})",
        )
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
        data_impact=_labelled(labels, compiled.labels["data"], meaning="changes customer data"),
        flag=read_flag(change, body=body, labels=labels, compiled=compiled),
        waiver=read_waiver(change, body=body, labels=labels, compiled=compiled),
        ui_label=bool(ui_labels),
        touches_ui=touches_ui,
        ui_lines=ui_lines,
        api="api" in labels or "api" in _SCOPE_SEPARATORS.split(scope.lower()),
        revert=is_revert(change) or (conventional is not None and conventional.type == "revert"),
        migration_ops=ops,
        expand=tuple(op for op in ops if op.stage is MigrationStage.EXPAND),
        contract=tuple(op for op in ops if op.stage is MigrationStage.CONTRACT),
        post_deploy=migrations.post_deploy,
        untouched_migrations=migrations.untouched,
    )


def _labelled(labels: dict[str, str], wanted: frozenset[str], *, meaning: str) -> tuple[str, ...]:
    return tuple(f"{meaning}: label '{labels[key]}'" for key in labels if key in wanted)


def _breaking(
    change: Change,
    *,
    body: str,
    labels: dict[str, str],
    compiled: Compiled,
    conventional: Conventional | None,
) -> tuple[str, ...]:
    meaning = "backwards-incompatible"
    reasons = list(_labelled(labels, compiled.labels["breaking"], meaning=meaning))
    if conventional is not None and conventional.breaking:
        reasons.append(f"{meaning}: conventional commit '{conventional.label}'")
    if any(has_breaking_footer(text) for text in (body, *change.messages)):
        reasons.append(f"{meaning}: BREAKING CHANGE footer")
    return tuple(reasons)


def _ui_lines(change: Change, compiled: Compiled) -> tuple[int, bool]:
    """New lines people will see, and whether the change touches UI at all.

    Counted under UI paths, not stories, tests or translations: every line of an added file,
    and what a modified file grew by (added less deleted), so a refactor or a reformat that
    rewrites as much as it adds counts for little.
    """
    new, touches = 0, False
    for file in change.files:
        if compiled.ui_paths.match(file.path) and not compiled.ui_exclude_paths.match(file.path):
            touches = True
            new += file.added if file.status == "added" else max(0, file.added - file.deleted)
    return new, touches
