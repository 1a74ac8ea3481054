"""Why a recorded change got its release class: each rule of the policy, matched or not, and why.

A call reads the store once or twice (a lookup by id, URL, sha prefix or number, then the
change with its files and messages); the rules are evaluated again on what was recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.domain.migrations import describe_op
from bot.domain.model import Change, MigrationOp, RecordedChange, ReleaseClass
from bot.domain.policy import RELEASE_RULES, PolicyConfig, Signals, explain, read_signals
from bot.errors import ConfigError
from bot.ports.store import ChangeLog
from bot.services.views.report import change_entry, waiver_json
from bot.services.views.vocabulary import short_id

_SHA = re.compile(r"[0-9a-fA-F]{4,40}")
_NUMBER = re.compile(r"([#!])(\d{1,9})")
_AMBIGUOUS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One rule of the release-class table as it reads the change."""

    name: str
    matched: bool
    decides: bool  # the first rule that matched: it gave the class
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """A recorded change, its classification in words, and every rule's verdict on it."""

    recorded: RecordedChange
    summary: str  # the classification as the policy explains it
    rules: tuple[RuleCheck, ...]
    current_class: ReleaseClass  # what the policy as configured now gives

    def lines(self) -> list[str]:
        """The explanation for people, one line each."""
        change = self.recorded.change
        lines = [f"{short_id(change)} {change.title}"]
        where = f"{change.id} in {change.source}, {self.recorded.sprint}"
        lines.append(f"  {where}, merged {change.merged_at:%Y-%m-%d %H:%M} UTC")
        if change.url:
            lines.append(f"  {change.url}")
        lines += self.summary.splitlines()
        lines.append("Rules, in order (the first that matches gives the class):")
        for rule in self.rules:
            mark = "yes" if rule.matched else "no "
            decides = "  <- gives the class" if rule.decides else ""
            lines.append(f"  {mark} {rule.name}{decides}")
            lines += [f"        {item}" for item in rule.evidence]
        if self.current_class is not self.recorded.classification.release_class:
            lines.append(
                f"Note: the policy as configured now gives {self.current_class}; the class above"
                " is the one recorded when the change was synced."
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        """The explanation as `explain --json` prints it: the change as `sync --json` lists it
        (`new` left out: it belongs to one sync), then its violation, waiver, flag and
        migration statements, and the rules in order, each matched or not, with the one that
        gave the class marked `gives_class`."""
        verdict = self.recorded.classification
        entry = change_entry(self.recorded)
        del entry["new"]
        return {
            **entry,
            "sprint": self.recorded.sprint,
            "violation": verdict.violation,
            "waiver": waiver_json(verdict.waiver),
            "flag": verdict.flag,
            "migration_ops": [
                {
                    "stage": op.stage.value,
                    "table": op.table,
                    "column": op.column,
                    "action": op.action,
                }
                for op in verdict.migration_ops
            ],
            "rules": [
                {
                    "name": rule.name,
                    "matched": rule.matched,
                    "gives_class": rule.decides,
                    "evidence": list(rule.evidence),
                }
                for rule in self.rules
            ],
            "current_class": self.current_class.value,
        }


class ExplainChange:
    """Finds a train's recorded change by what people have at hand and explains its class."""

    def __init__(self, *, train: str, store: ChangeLog, policy: PolicyConfig) -> None:
        self._train = train
        self._store = store
        self._policy = policy

    def find(self, ref: str) -> RecordedChange:
        """The change `ref` names: its id, URL, a prefix of one of its commits, `#418`, `!12`."""
        text = ref.strip()
        number = _NUMBER.fullmatch(text)
        ids = self._store.find_change_ids(
            train=self._train,
            exact=text,
            sha_prefix=text.lower() if _SHA.fullmatch(text) else None,
            number=int(number.group(2)) if number else None,
        )
        if number:  # `!12` is a GitLab merge request, `#12` a pull request
            gitlab = number.group(1) == "!"
            ids = [i for i in ids if i == text or i.startswith("gitlab:") == gitlab]
        if text in ids:
            ids = [text]
        if not ids:
            raise ConfigError(
                f"no recorded change of train '{self._train}' matches '{text}'; give its id, "
                "URL or short sha as `release-train status` lists them"
            )
        if len(ids) > 1:
            shown = ", ".join(ids[:_AMBIGUOUS_SHOWN]) + (", ..." if len(ids) > 3 else "")
            raise ConfigError(
                f"'{text}' matches several recorded changes of train '{self._train}' ({shown}); "
                "give its full id"
            )
        found = self._store.get_change(train=self._train, change_id=ids[0])
        if found is None:  # removed between the two reads: nothing removes changes today
            raise ConfigError(f"the recorded change '{ids[0]}' is gone from the store")
        return found

    def explain(self, ref: str) -> Explanation:
        """Why the change `ref` names got its release class."""
        recorded = self.find(ref)
        signals = read_signals(recorded.change, config=self._policy)
        checks = _rule_checks(recorded.change, signals, self._policy)
        deciding = [
            rule.release_class
            for rule, check in zip(RELEASE_RULES, checks, strict=True)
            if check.decides
        ]
        return Explanation(
            recorded=recorded,
            summary=explain(recorded.classification),
            rules=tuple(checks),
            current_class=deciding[0] if deciding else ReleaseClass.CONTINUOUS,
        )


def _rule_checks(change: Change, signals: Signals, policy: PolicyConfig) -> list[RuleCheck]:
    checks: list[RuleCheck] = []
    decided = False
    for rule in RELEASE_RULES:
        matched = rule.applies(signals)
        evidence = _evidence(rule.release_class, change, signals, policy, matched=matched)
        if rule.release_class is ReleaseClass.CONTINUOUS:
            evidence = ("a rule above gave the class",) if decided else ("no rule above matched",)
        checks.append(
            RuleCheck(
                name=rule.name, matched=matched, decides=matched and not decided, evidence=evidence
            )
        )
        decided = decided or matched
    return checks


def _evidence(
    release_class: ReleaseClass,
    change: Change,
    signals: Signals,
    policy: PolicyConfig,
    *,
    matched: bool,
) -> tuple[str, ...]:
    """What the rule for `release_class` saw in the change."""
    if release_class is ReleaseClass.MIGRATION_CONTRACT:
        return _ops(signals.contract) if matched else (_no_ops("drops or renames", change),)
    if release_class is ReleaseClass.MIGRATION_EXPAND:
        return _ops(signals.expand) if matched else (_no_ops("additive statements", change),)
    if release_class is ReleaseClass.FLAGGED:
        return _flag_evidence(signals, policy)
    if release_class is ReleaseClass.NEEDS_FLAG:
        return signals.flag_reasons if matched else _nothing_needs_a_flag(signals, policy)
    return ()


def _ops(ops: tuple[MigrationOp, ...]) -> tuple[str, ...]:
    return tuple(describe_op(op) for op in ops)


def _no_ops(what: str, change: Change) -> str:
    migrations = [f.path for f in change.files if f.patch is not None]
    if not migrations:
        return "no migration file (under migration_paths) in the change"
    return f"no {what} in {', '.join(migrations)}"


def _flag_evidence(signals: Signals, policy: PolicyConfig) -> tuple[str, ...]:
    if not signals.needs_flag:
        return ("nothing here needs a feature flag",)
    if signals.flag is not None:
        return (*signals.flag_reasons, signals.flag.reason)
    labels = ", ".join(policy.flag_labels) or "none configured"
    return (f"names no feature flag (no '{policy.flag_trailer}:' trailer, no label: {labels})",)


def _nothing_needs_a_flag(signals: Signals, policy: PolicyConfig) -> tuple[str, ...]:
    ui = f"{signals.ui_lines} added lines under ui_paths (limit {policy.large_ui_lines})"
    return (
        "not backwards-incompatible: no label in breaking_labels, no '!' in a conventional "
        "title, no BREAKING CHANGE footer",
        f"no new UI: no label in ui_labels, {ui}",
        "no customer data sets: no label in data_labels",
    )
