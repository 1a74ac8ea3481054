"""The command line run inside the test process (tests.cli.run_here): configuration and error
cases, which need no process of their own, over a real git repository and store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workspace import Workspace, make_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path, in_process=True)
