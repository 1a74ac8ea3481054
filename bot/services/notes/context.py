"""The release-notes context: a sprint's recorded changes turned into plain data for templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.model import (
    Category,
    DraftState,
    RecordedChange,
    ReleaseClass,
    Sprint,
)
from bot.domain.references import display_title
from bot.services.views.vocabulary import local_minute, short_id, sprint_days, utc_iso, window_text

__all__ = ["SECTIONS", "build_notes_context", "omitted_from_notes", "short_id"]

# The order of the notes' sections and their headings. Reverts are not a section: a revert of an
# earlier train's change is listed under its own heading, and a pair within the train vanishes.
SECTIONS: tuple[tuple[Category, str], ...] = (
    (Category.FEATURE, "Features"),
    (Category.API, "API"),
    (Category.UI, "UI"),
    (Category.DATA, "Data"),
    (Category.PERFORMANCE, "Performance"),
    (Category.FIX, "Fixes"),
    (Category.MIGRATION, "Migrations"),
    (Category.OTHER, "Other"),
)

_FLAG_CLASSES = frozenset({ReleaseClass.FLAGGED, ReleaseClass.NEEDS_FLAG})
_DATA_WORD = re.compile(r"\bdata\b", re.IGNORECASE)


def build_notes_context(
    *,
    train: str,
    sprint: Sprint,
    changes: Sequence[RecordedChange],
    ticket: Mapping[str, str] | None,
    draft: DraftState,
    tz: ZoneInfo | str,
) -> dict[str, Any]:
    """The data every notes template receives: plain str/int/list/dict/None values only.

    Changes keep the order they arrive in (the store gives oldest merge first). A change and its
    revert that are both in `changes` are left out everywhere; `omitted` counts them. A revert of
    a change outside the list (an earlier train's) is listed under `reverts` and in no section.
    `customer_communication` holds the changes in category `data`, and flagged or needs-flag
    changes with a reason that mentions data. `counts`, `total` and `contributors` describe the
    changes the notes list. Dates are given as UTC ISO strings and, for people, in `tz`.
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    omitted = omitted_from_notes(changes)
    grouped: dict[Category, list[dict[str, Any]]] = {category: [] for category, _ in SECTIONS}
    reverts: list[dict[str, Any]] = []
    violations: list[dict[str, Any]] = []
    waived: list[dict[str, Any]] = []
    customer: list[dict[str, Any]] = []
    counts = {release_class.value: 0 for release_class in ReleaseClass}
    authors: set[str] = set()
    for recorded in changes:
        if recorded.change.id in omitted:
            continue
        item = _change_data(recorded, zone)
        if _is_revert(recorded):
            reverts.append(item)
        else:
            grouped.get(recorded.classification.category, grouped[Category.OTHER]).append(item)
        if recorded.classification.counts_as_violation:
            violations.append(_violation_data(recorded, item))
        elif recorded.classification.violation is not None:
            waived.append(_violation_data(recorded, item))
        if _needs_customer_communication(recorded):
            customer.append(item)
        counts[recorded.classification.release_class.value] += 1
        if recorded.change.author:
            authors.add(recorded.change.author)
    return {
        "train": train,
        "timezone": zone.key,
        "sprint": _sprint_data(sprint, zone),
        "ticket": None if ticket is None else {"key": ticket["key"], "url": ticket.get("url")},
        "draft": _draft_data(draft, zone),
        "sections": [
            {"category": category.value, "heading": heading, "changes": grouped[category]}
            for category, heading in SECTIONS
            if grouped[category]
        ],
        "violations": violations,
        "waived": waived,
        "customer_communication": customer,
        "reverts": reverts,
        "contributors": sorted(authors, key=lambda name: (name.casefold(), name)),
        "counts": counts,
        "total": sum(counts.values()),
        "omitted": len(omitted),
    }


def _change_data(recorded: RecordedChange, zone: ZoneInfo) -> dict[str, Any]:
    change, classification = recorded.change, recorded.classification
    return {
        "id": change.id,
        "short_id": short_id(change),
        "title": display_title(change.title),  # without its conventional type
        "full_title": change.title,
        "url": change.url,
        "source": change.source,
        "author": change.author,
        "merged_at": _iso(change.merged_at),
        "merged_on": change.merged_at.astimezone(zone).date().isoformat(),
        "release_class": classification.release_class.value,
        "category": classification.category.value,
        "jira_keys": list(classification.jira_keys),
        "flag": classification.flag,
        "reasons": list(classification.reasons),
        "violation": classification.violation,
        "reverts": recorded.reverts,
        "reverted_by": recorded.reverted_by,
    }


def _violation_data(recorded: RecordedChange, item: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("id", "short_id", "title", "url", "source")
    return {
        **{key: item[key] for key in keys},
        "rule": recorded.classification.release_class.value,
        "message": recorded.classification.violation,
        "waiver": _waiver_data(recorded),
    }


def _waiver_data(recorded: RecordedChange) -> dict[str, str] | None:
    waiver = recorded.classification.waiver
    return None if waiver is None else {"reason": waiver.reason, "by": waiver.by}


def _is_revert(recorded: RecordedChange) -> bool:
    return recorded.reverts is not None or recorded.classification.category is Category.REVERT


def _needs_customer_communication(recorded: RecordedChange) -> bool:
    classification = recorded.classification
    if classification.category is Category.DATA:
        return True
    return classification.release_class in _FLAG_CLASSES and any(
        _DATA_WORD.search(reason) for reason in classification.reasons
    )


def omitted_from_notes(changes: Sequence[RecordedChange]) -> set[str]:
    """Ids of reverts paired within the list, and of the changes whose revert still stands.

    A revert of a revert (a re-land) cancels the first revert, so the original change stays.
    """
    ids = {recorded.change.id for recorded in changes}
    reverters: dict[str, set[str]] = {}
    for recorded in changes:
        own = recorded.change.id
        if recorded.reverts in ids and recorded.reverts != own:
            reverters.setdefault(recorded.reverts, set()).add(own)
        if recorded.reverted_by in ids and recorded.reverted_by != own:
            reverters.setdefault(own, set()).add(recorded.reverted_by)
    paired = {revert for group in reverters.values() for revert in group}
    return paired | _undone(reverters)


def _undone(reverters: Mapping[str, Iterable[str]]) -> set[str]:
    """The changes undone by a revert that is not itself undone (iterative, linear time)."""
    undone: dict[str, bool] = {}
    entered: set[str] = set()
    for root in reverters:
        stack = [root]
        while stack:
            node = stack[-1]
            if node in undone:
                stack.pop()
            elif node not in entered:
                entered.add(node)
                stack.extend(r for r in reverters.get(node, ()) if r not in entered)
            else:
                stack.pop()
                # An unfinished reverter can only come from a cycle; it counts as standing.
                undone[node] = any(not undone.get(r, False) for r in reverters.get(node, ()))
    return {node for node, is_undone in undone.items() if is_undone}


def _sprint_data(sprint: Sprint, zone: ZoneInfo) -> dict[str, Any]:
    first, last = sprint_days(sprint, zone)
    return {
        "name": sprint.name,
        "id": sprint.id,
        "start": _iso(sprint.start),
        "end": _iso(sprint.end),
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "dates": window_text(sprint, zone),
    }


def _draft_data(draft: DraftState, zone: ZoneInfo) -> dict[str, Any]:
    approved_at = draft.approved_at
    return {
        "version": draft.version,
        "state": draft.state,
        "approved_by": draft.approved_by,
        "approved_at": None if approved_at is None else _iso(approved_at),
        "approved_at_local": (None if approved_at is None else local_minute(approved_at, zone)),
    }


def _iso(when: datetime) -> str:
    return utc_iso(when)
