"""The heading a change is listed under in the notes: read from its title first, then its files.

Rules as ordered data, first match wins. A revert is a revert whatever else it is. A
conventional-commit type decides next: `feat`, `fix` and `perf` their categories, the types of
housekeeping (`chore`, `docs`, `ci`, `build`, `test`, `style`, `refactor`...) `other`. A title
without a type is read by its leading verb (Add, Fix, Speed up...), after translation imports
and dependency bumps, which are `other`. Then what the change touches: migrations, UI, customer
data, an API. Costs: a few regex matches on the title.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.domain.model import Category
from bot.domain.signals import Signals

# Conventional types that say what the change is for people reading the notes.
_TYPES = {"feat": Category.FEATURE, "fix": Category.FIX, "perf": Category.PERFORMANCE}
_HOUSEKEEPING = frozenset(
    [
        "chore",
        "docs",
        "doc",
        "ci",
        "build",
        "test",
        "tests",
        "style",
        "refactor",
        "deps",
        "dep",
        "i18n",
        "l10n",
        "release",
        "revert",
    ]
)
_TRANSLATIONS = re.compile(
    r"(?:new\s+)?(?:crowdin|translations?|localizations?|localisations?)\b|"
    r"(?:update[sd]?|sync|pull|import|new)\s+(?:\w+\s+){0,2}(?:translations?|crowdin)\b",
    re.I,
)
_DEPENDENCY = re.compile(
    r"(?:bump|bumps|bumped|upgrade)\s+\S|update\s+(?:dependency|dependencies|\S+\s+to\s+v?\d)|"
    r"\[snyk\]|pin\s+dependenc",
    re.I,
)
_VERBS: tuple[tuple[re.Pattern[str], Category], ...] = (
    # The imperative only, as titles are written: "Added ..." reads as a log line, not a verb.
    (re.compile(r"(?:add|introduce|implement|support|allow|enable)\b", re.I), Category.FEATURE),
    (re.compile(r"(?:fix|correct|resolve|prevent)\b", re.I), Category.FIX),
    (
        re.compile(r"(?:speed\s+up|optimi[sz]e|improve\s+performance)\b", re.I),
        Category.PERFORMANCE,
    ),
)
# Leading marks that are not the title's first word: `[ci skip]`, `[WIP]`, `:sparkles:`, `🐛`.
_LEADING_MARKS = re.compile(r"(?:\[[^\]]{0,40}\]\s*|:[a-z_]{1,40}:\s*|[^\w\s]{1,4}\s+)*")


def _typed(signals: Signals) -> Category | None:
    conventional = signals.conventional
    if conventional is None:
        return None
    if conventional.type in _TYPES:
        return _TYPES[conventional.type]
    return Category.OTHER if conventional.type in _HOUSEKEEPING else None


def _untyped(title: str) -> Category | None:
    """The category an untyped title's first words say, if they say one."""
    text = _LEADING_MARKS.sub("", title.strip(), count=1)
    if _TRANSLATIONS.match(text) or _DEPENDENCY.match(text):
        return Category.OTHER
    return next((category for verb, category in _VERBS if verb.match(text)), None)


CategoryRule = Callable[[Signals, str], Category | None]

# In order; the first rule that gives a category decides.
CATEGORY_RULES: tuple[tuple[str, CategoryRule], ...] = (
    ("a revert", lambda s, title: Category.REVERT if s.revert else None),
    ("its conventional type", lambda s, title: _typed(s)),
    (
        "its leading verb",
        lambda s, title: _untyped(title) if s.conventional is None else None,
    ),
    ("a migration", lambda s, title: Category.MIGRATION if s.migration_ops else None),
    ("user interface", lambda s, title: Category.UI if s.ui_label or s.touches_ui else None),
    ("customer data", lambda s, title: Category.DATA if s.data_impact else None),
    ("an API", lambda s, title: Category.API if s.api else None),
)


def category_of(signals: Signals, title: str) -> Category:
    """The category the first matching rule gives; `other` when none does."""
    for _name, rule in CATEGORY_RULES:
        found = rule(signals, title)
        if found is not None:
            return found
    return Category.OTHER
