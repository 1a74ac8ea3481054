"""The release policy's configuration (the `[policy]` settings), and its compiled form.

The defaults encode the written release process. Compiling a configuration (its globs joined
into one regex per set, its labels lower-cased, its patterns compiled) is cached: a sync of
thousands of changes compiles it once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.paths import compile_glob
from bot.domain.references import compile_key_pattern

_FLAG_NAME = r"[\w.:/-]{1,100}"
_QUOTED = rf"[\"'`]({_FLAG_NAME})[\"'`]"
# The common SDKs' flag checks: Unleash, LaunchDarkly, OpenFeature, Flagsmith, PostHog and
# hand-rolled `isEnabled("x")` (JavaScript); GitLab's Feature and Flipper (Ruby); waffle
# (Django) and `is_enabled("x")` / `is_feature_enabled("X")` (Python). The last reads the most
# common hand-made idiom in public projects: a condition on an `*_ENABLED` setting or constant
# (`if not USAGE_LIMITS_ENABLED:`, `return settings.OIDC_AUTH_ENABLED and ...`).
DEFAULT_FLAG_PATTERNS: tuple[str, ...] = (
    rf"\bisEnabled\(\s*{_QUOTED}",
    rf"\bis_enabled\(\s*{_QUOTED}",
    rf"\bis_feature_enabled\(\s*{_QUOTED}",
    rf"\bisFeatureEnabled\(\s*{_QUOTED}",
    rf"\buseFlag\(\s*{_QUOTED}",
    rf"\buseFeatureFlag\(\s*{_QUOTED}",
    rf"\bvariation\(\s*{_QUOTED}",
    rf"\bget(?:Boolean|String|Number|Object)Value\(\s*{_QUOTED}",
    r"\bFeature\.enabled\?\(\s*:(\w{1,100})",
    r"\bFlipper\.enabled\?\(\s*:(\w{1,100})",
    rf"\bflag_is_active\(\s*\w{{1,64}}\s*,\s*{_QUOTED}",
    rf"\buseFeatureFlagEnabled\(\s*{_QUOTED}",
    r"(?:\b(?:if|elif|unless|and|or|not|return)\b|&&|\|\||\?)\s{0,8}!?\s{0,8}"
    r"(?:[A-Za-z_][\w.]{0,80}\.)?([A-Z][A-Z0-9_]{0,80}_ENABLED)\b",
)


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
        "**/*.jsx",
        "**/*.vue",
        "**/*.svelte",
        "**/*.gjs",  # Ember/Glimmer components and Handlebars templates
        "**/*.hbs",
        "**/templates/**/*.html",  # server-side HTML, not text templates such as Jinja notes
    )
    large_ui_lines: int = 200
    data_labels: tuple[str, ...] = ("data-impact",)
    migration_paths: tuple[str, ...] = (
        "**/migrations/**",
        "**/alembic/versions/**",
        "**/db/migrate/**",
        "**/*.sql",
    )
    # Migrations run after the code is deployed: the contract stage, whatever they do.
    post_deploy_paths: tuple[str, ...] = ("**/db/post_migrate/**", "**/post_migrations/**")
    # Added lines that evaluate a feature flag; each regex's first group names the flag.
    flag_patterns: tuple[str, ...] = DEFAULT_FLAG_PATTERNS
    # Files under UI paths that people never see: stories, tests, snapshots, translations.
    ui_exclude_paths: tuple[str, ...] = (
        "**/*.stories.*",
        "**/*.test.*",
        "**/*.spec.*",
        "**/*-test.*",
        "**/__tests__/**",
        "**/__snapshots__/**",
        "**/__mocks__/**",
        "**/.storybook/**",
        "**/test/**",
        "**/tests/**",
        "**/e2e/**",
        "**/locales/**",
        "**/locale/**",
        "**/lang/**",
        "**/i18n/**",
        "**/translations/**",
    )
    waiver_trailer: str = "Release-Waiver"
    waiver_labels: tuple[str, ...] = ("release-waiver",)
    jira_key_pattern: str = "[A-Z][A-Z0-9]+-[0-9]+"


@dataclass(frozen=True, slots=True)
class Compiled:
    """A configuration ready to match: labels lower-cased, globs and patterns compiled."""

    config: PolicyConfig
    labels: dict[str, frozenset[str]]
    flag_key: str
    flag_mention: re.Pattern[str]
    flag_line: re.Pattern[str]
    flag_patterns: tuple[re.Pattern[str], ...]
    waiver_key: str
    waiver_mention: re.Pattern[str]
    waiver_line: re.Pattern[str]
    ui_paths: re.Pattern[str]
    ui_exclude_paths: re.Pattern[str]
    migration_paths: re.Pattern[str]
    post_deploy_paths: re.Pattern[str]


def globs(patterns: Sequence[str]) -> re.Pattern[str]:
    """One regex for a set of globs: a path is matched once, not once per pattern."""
    if not patterns:
        return re.compile(r"(?!)")
    compiled = [compile_glob(p) for p in patterns]
    flags = 0
    for regex in compiled:
        flags |= regex.flags
    return re.compile("|".join(f"(?:{regex.pattern})" for regex in compiled), flags)


def _trailer_line(key: str) -> re.Pattern[str]:
    """`Key: value` on a line of its own (the value in group 1)."""
    return re.compile(rf"^[ \t]{{0,16}}{key}[ \t]{{0,16}}:[ \t]*(\S[^\r\n]*)", re.I | re.M)


@lru_cache(maxsize=32)
def compile_config(config: PolicyConfig) -> Compiled:
    """The configuration compiled (cached); a bad pattern raises re.error naming it."""
    compile_key_pattern(config.jira_key_pattern)  # fail early, naming the pattern
    flag, waiver = re.escape(config.flag_trailer.strip()), re.escape(config.waiver_trailer.strip())
    return Compiled(
        config=config,
        labels={
            name: frozenset(label.strip().lower() for label in labels)
            for name, labels in (
                ("breaking", config.breaking_labels),
                ("flag", config.flag_labels),
                ("ui", config.ui_labels),
                ("data", config.data_labels),
                ("waiver", config.waiver_labels),
            )
        },
        flag_key=config.flag_trailer.strip().lower(),
        flag_mention=re.compile(flag, re.I),
        flag_line=_trailer_line(flag),
        flag_patterns=tuple(re.compile(p) for p in config.flag_patterns),
        waiver_key=config.waiver_trailer.strip().lower(),
        waiver_mention=re.compile(waiver, re.I),
        waiver_line=_trailer_line(waiver),
        ui_paths=globs(config.ui_paths),
        ui_exclude_paths=globs(config.ui_exclude_paths),
        migration_paths=globs(config.migration_paths),
        post_deploy_paths=globs(config.post_deploy_paths),
    )
