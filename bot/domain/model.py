"""The domain's vocabulary: changes, sprints, release classes and what the policy decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ReleaseClass(StrEnum):
    """How a change may ship under the release process."""

    CONTINUOUS = "continuous"
    FLAGGED = "flagged"
    NEEDS_FLAG = "needs-flag"
    MIGRATION_EXPAND = "migration-expand"
    MIGRATION_CONTRACT = "migration-contract"


class Category(StrEnum):
    """The heading a change is listed under in the release notes."""

    FEATURE = "feature"
    FIX = "fix"
    PERFORMANCE = "performance"
    API = "api"
    UI = "ui"
    MIGRATION = "migration"
    DATA = "data"
    REVERT = "revert"
    OTHER = "other"


class MigrationStage(StrEnum):
    """The stage of a two-stage (expand, then contract) schema migration."""

    EXPAND = "expand"
    CONTRACT = "contract"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a change touched; `patch` is kept only for migration files. `status` is how the
    change touched it (`added`, `modified`, `deleted`, `renamed`), None when the source could
    not tell (a change recorded before sources said). `evidence` holds the few added lines the
    source kept because they may evaluate a feature flag (the policy's flag patterns read them).
    """

    path: str
    added: int
    deleted: int
    patch: str | None = None
    status: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """One change merged into a source's trunk, as gathered, before classification.

    `merged_at` is timezone-aware UTC. `commits` holds the full shas of every commit the
    change brought to the trunk (the trunk commit first), so a revert naming any of them
    can be paired. `messages` holds their full commit messages. `source_notes` says what the
    source could not tell about the change (its files, say); the policy gives them as reasons.
    """

    id: str
    source: str
    title: str
    merged_at: datetime
    author: str = ""
    body: str = ""
    url: str | None = None
    sha: str | None = None
    number: int | None = None
    branch: str | None = None
    labels: tuple[str, ...] = ()
    trailers: tuple[tuple[str, str], ...] = ()
    commits: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    files: tuple[FileChange, ...] = ()
    source_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MigrationOp:
    """One schema operation read from a migration diff."""

    stage: MigrationStage
    table: str
    column: str | None = None
    action: str = ""  # e.g. "add column", "drop table", "rename column"


@dataclass(frozen=True, slots=True)
class Waiver:
    """Why a change's violations are accepted, and what said so (`label` or `trailer`)."""

    reason: str
    by: str


@dataclass(frozen=True, slots=True)
class Classification:
    """What the release policy decided for one change, and why."""

    release_class: ReleaseClass
    category: Category
    reasons: tuple[str, ...]
    jira_keys: tuple[str, ...] = ()
    migration_ops: tuple[MigrationOp, ...] = ()
    violation: str | None = None  # a one-sentence message when the change breaks the process
    flag: str | None = None  # the feature flag named by the change, if any
    waiver: Waiver | None = None  # a violation waived (it stays listed, as waived)

    @property
    def counts_as_violation(self) -> bool:
        """A violation nobody waived: what --strict, status and the counts count."""
        return self.violation is not None and self.waiver is None


@dataclass(frozen=True, slots=True)
class ExpandRecord:
    """An expand-stage migration already recorded, which a later contract of its table follows."""

    change_id: str
    table: str
    column: str | None
    merged_at: datetime
    sprint: str
    action: str = ""  # what the expand did ("create table", "add column"...); "" when unknown


@dataclass(frozen=True, slots=True)
class Sprint:
    """A sprint window [start, end) in UTC; `id` is the Jira sprint id when it comes from Jira."""

    name: str
    start: datetime
    end: datetime
    id: str | None = None
    state: str | None = None

    def holds(self, when: datetime) -> bool:
        """Whether `when` falls inside this sprint's window."""
        return self.start <= when < self.end


@dataclass(frozen=True, slots=True)
class RecordedChange:
    """A change as the store holds it: gathered data, its classification and its train."""

    change: Change
    classification: Classification
    train: str
    sprint: str
    reverts: str | None = None  # id of the change this one reverts
    reverted_by: str | None = None  # id of the change that reverts this one
    attached: bool = False
    new: bool = False


@dataclass(frozen=True, slots=True)
class Violation:
    """A policy violation, as reported by `sync --json` and listed in the notes."""

    change: str
    rule: str
    message: str
    waiver: Waiver | None = None  # waived: listed, not counted


@dataclass(frozen=True, slots=True)
class DraftState:
    """The state of a sprint's release-notes draft."""

    version: int | None = None
    state: str = "none"  # none | pending | approved | changes_requested
    approved_by: str | None = None
    approved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SourceBatch:
    """What one source returned for one sync: its changes and where its cursor moves to."""

    source: str
    changes: tuple[Change, ...]
    cursor: str | None
    notices: tuple[str, ...] = field(default=())  # e.g. a force-push was detected and recovered
