"""Which of a change's files start a migration stage, and what they amount to.

Only migration files the change adds start a stage: a change that only edits, renames or
deletes migration files already committed (reformatting, a comment, a fix to a migration that
already ran) changes no database, and says so. A migration added under a post-deployment path
(`db/post_migrate/**` by default) runs after the new code is out: it is the contract stage
whatever it does, and each of its operations counts as contract. A test of a migration
(`spec/db/migrate/..._spec.rb`, `test_0042.py`) or a file under a tests or fixtures folder
(`tests/fixtures/migrations/0001.py`) is not one. Costs: one glob match per file, and
reading each added migration file once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.domain.config import Compiled
from bot.domain.migrations import post_deploy_op, read_file_migration
from bot.domain.model import Change, MigrationOp, MigrationStage

# How the change touched a file that does not start a stage, for people.
_VERBS = {"modified": "edits", "renamed": "renames", "deleted": "deletes"}
# Tests and their fixtures, which may sit under a migration path (`spec/db/migrate/x_spec.rb`,
# `tests/fixtures/migrations/0001.py`): they change no database the running code uses.
_TEST_FILE = re.compile(
    r"(?:_spec|_test|\.test|\.spec)\.\w+\Z|(?:\A|/)test_[^/]*\.py\Z|"
    r"(?:\A|/)(?:tests?|specs?|__tests__|testdata|fixtures)/"
)


@dataclass(frozen=True, slots=True)
class Migrations:
    """The migration ops a change's added files perform, and the files that start no stage."""

    ops: tuple[MigrationOp, ...]
    post_deploy: tuple[str, ...]  # post-deployment migrations it adds
    untouched: tuple[str, ...]  # e.g. "edits db/migrate/0001.rb": committed files it changed


def read_migrations(change: Change, compiled: Compiled) -> Migrations:
    """The migrations a change adds (and the committed ones it only touches)."""
    ops: list[MigrationOp] = []
    post_deploy: list[str] = []
    untouched: list[str] = []
    for file in change.files:
        late = bool(compiled.post_deploy_paths.match(file.path))
        if not late and not compiled.migration_paths.match(file.path):
            continue
        if _TEST_FILE.search(file.path):
            continue
        if file.status not in (None, "added"):  # None: recorded before sources told
            untouched.append(f"{_VERBS.get(file.status, 'changes')} {file.path}")
            continue
        read = read_file_migration(file)
        if late:
            post_deploy.append(file.path)
            ops.append(post_deploy_op(file.path))
            ops.extend(replace(op, stage=MigrationStage.CONTRACT) for op in read)
        else:
            ops.extend(read)
    return Migrations(tuple(dict.fromkeys(ops)), tuple(post_deploy), tuple(untouched))
