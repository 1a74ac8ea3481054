"""Feature flags and waivers a change names: in its labels, its trailers, or its code.

A change is behind a flag when it names one (a flag label, the flag trailer in its body or a
commit message) or when its added lines evaluate one: the policy's flag patterns, whose first
group names the flag, read over the lines the source kept as evidence. A violation is waived
by a waiver label or the waiver trailer, whose text is the reason. Costs: a regex search per
trailer, label and evidence line.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.config import Compiled
from bot.domain.model import Change, Waiver
from bot.domain.references import parse_trailers

_NO_VALUES = frozenset({"", "none", "n/a", "na", "no", "-", "false", "null", "tbd", "off"})


@dataclass(frozen=True, slots=True)
class FlagSignal:
    """A feature flag the change names: by name (a trailer, or its code) or only by a label."""

    name: str | None
    reason: str


def read_flag(
    change: Change, *, body: str, labels: dict[str, str], compiled: Compiled
) -> FlagSignal | None:
    """The flag the change names or checks; None when it has none."""
    trailer = compiled.config.flag_trailer.strip()
    for value in _trailer_values(change, body=body, key=compiled.flag_key, compiled=compiled):
        name = _value(value)
        if name is not None:
            return FlagSignal(name=name, reason=f"flag '{name}' ({trailer} trailer)")
    checked = _checked_in_code(change, compiled)
    if checked is not None:
        return checked
    flag_labels = [labels[key] for key in labels if key in compiled.labels["flag"]]
    return FlagSignal(name=None, reason=f"label '{flag_labels[0]}'") if flag_labels else None


def read_waiver(
    change: Change, *, body: str, labels: dict[str, str], compiled: Compiled
) -> Waiver | None:
    """The waiver of the change's violations (a trailer's reason first), or None."""
    key = compiled.waiver_key
    for value in _trailer_values(change, body=body, key=key, compiled=compiled, waiver=True):
        reason = _value(value)
        if reason is not None:
            return Waiver(reason=reason, by="trailer")
    waived = [labels[k] for k in labels if k in compiled.labels["waiver"]]
    return Waiver(reason=f"label '{waived[0]}'", by="label") if waived else None


def _trailer_values(
    change: Change, *, body: str, key: str, compiled: Compiled, waiver: bool = False
) -> list[str]:
    """Values of the trailer `key`: the change's own, its body's, its commit messages'."""
    mention = compiled.waiver_mention if waiver else compiled.flag_mention
    line = compiled.waiver_line if waiver else compiled.flag_line
    values = [value for k, value in change.trailers if k.strip().lower() == key]
    if mention.search(body):
        values += [m.group(1) for m in line.finditer(body)]
    for message in change.messages:
        if mention.search(message):
            values += [v for k, v in parse_trailers(message) if k.strip().lower() == key]
    return values


def _value(raw: str) -> str | None:
    value = raw.strip().strip("`'\"*_").strip()
    if value.lower() in _NO_VALUES or value.startswith("<"):
        return None  # a template placeholder or an explicit "none"
    return value


def _checked_in_code(change: Change, compiled: Compiled) -> FlagSignal | None:
    """The first flag the change's added lines evaluate, and where."""
    for file in change.files:
        for line in file.evidence:
            for pattern in compiled.flag_patterns:
                found = pattern.search(line)
                if found is not None and found.groups() and found.group(1):
                    name = found.group(1)
                    return FlagSignal(name=name, reason=f"flag '{name}' checked in {file.path}")
    return None
