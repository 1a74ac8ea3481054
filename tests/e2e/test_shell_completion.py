"""Shell completion, as a shell asks for it: the program run with `_RELEASE_TRAIN_COMPLETE`.

The README tells people to `eval "$(_RELEASE_TRAIN_COMPLETE=bash_source release-train)"`; these
run that protocol against `python -m bot`, which must answer as the console script does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _complete(tmp_path: Path, words: str, cword: int, mode: str = "bash_complete") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
    env.update(COMP_WORDS=words, COMP_CWORD=str(cword), _RELEASE_TRAIN_COMPLETE=mode)
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_bash_completion_offers_the_commands_that_start_with_the_typed_word(
    tmp_path: Path,
) -> None:
    offered = _complete(tmp_path, "release-train st", 1).split()

    assert offered == ["plain,status"]


def test_bash_completion_offers_an_options_choices(tmp_path: Path) -> None:
    offered = _complete(tmp_path, "release-train notes --format ", 3).split()

    assert offered == ["plain,markdown", "plain,slack", "plain,jira"]


def test_the_bash_source_script_names_the_release_train_program(tmp_path: Path) -> None:
    script = _complete(tmp_path, "", 0, mode="bash_source")

    assert "_RELEASE_TRAIN_COMPLETE=bash_complete" in script
    assert "complete -o nosort -F _release_train_completion release-train" in script
