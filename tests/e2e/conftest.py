"""The command line as a user runs it: a real process over a real git repository and store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workspace import Workspace, make_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path)
