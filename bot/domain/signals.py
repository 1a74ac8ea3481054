"""The signals the release rules read from a change: labels, titles, trailers, paths, migrations.

What needs a feature flag (the release process): a backwards-incompatible change (a breaking
label, `!` in the conventional title, a BREAKING CHANGE footer), new user-visible UI (a UI
label, which marks new pages or designs, or more added lines under UI paths than
`large_ui_lines`), and a change to customer data sets (a data label). A small edit under UI
paths alone is an ordinary change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from bot.domain.migrations import read_file_migration
from bot.domain.model import Change, MigrationOp, MigrationStage
from bot.domain.paths import compile_glob
from bot.domain.references import (
    Conventional,
    compile_key_pattern,
    has_breaking_footer,
    parse_conventional,
    parse_trailers,
    strip_html_comments,
)
from bot.domain.reverts import is_revert

_NO_FLAG_VALUES = frozenset({"", "none", "n/a", "na", "no", "-", "false", "null", "tbd", "off"})
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
        "**/templates/**/*.html",  # server-side HTML, not text templates such as Jinja notes
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
        if compiled.migration_paths.match(file.path):
            ops.extend(read_file_migration(file))
    return tuple(dict.fromkeys(ops))
