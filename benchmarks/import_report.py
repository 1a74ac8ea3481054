"""Where a command's import time goes, read from `python -X importtime -m bot ...`.

The summary lists the slowest imports at the boundary between our code and the libraries it
pulls in, each with the `bot` module that asked for it: those are the imports to make lazy.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness import PYTHON, REPO_ROOT, clean_environment

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)")


@dataclass(slots=True)
class Imported:
    """One line of `-X importtime`: a module, its own and cumulative time, who imported it."""

    name: str
    self_us: int
    cumulative_us: int
    depth: int
    parent: Imported | None = None
    children: list[Imported] = field(default_factory=list)

    @property
    def importer(self) -> str:
        """The nearest `bot` module above this one, or `-` at the top."""
        node = self.parent
        while node is not None and not _ours(node.name):
            node = node.parent
        return node.name if node is not None else "-"


def import_times(arguments: Sequence[str], *, report: Path) -> list[Imported]:
    """Run `python -X importtime -m bot ARGUMENTS`, keep its report in `report`, parse it."""
    with report.open("w", encoding="utf-8") as stderr:
        subprocess.run(
            [PYTHON, "-X", "importtime", "-m", "bot", *arguments],
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=clean_environment(),
            check=True,
        )
    return parse(report.read_text(encoding="utf-8"))


def parse(report: str) -> list[Imported]:
    """The import tree: a module's line comes after the lines of everything it imported."""
    pending: list[Imported] = []
    found: list[Imported] = []
    for line in report.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        depth = (len(match[3]) - 1) // 2
        node = Imported(match[4], int(match[1]), int(match[2]), depth)
        while pending and pending[-1].depth > depth:
            child = pending.pop()
            child.parent = node
            node.children.append(child)
        pending.append(node)
        found.append(node)
    return found


def summarise(label: str, modules: list[Imported], *, top: int = 10) -> None:
    """Print the total, the heaviest library imports our code makes, and our own modules."""
    roots = [m for m in modules if m.parent is None]
    total = sum(m.cumulative_us for m in roots)
    from_bot = sum(m.cumulative_us for m in roots if _ours(m.name))
    print(
        f"imports_{label}: {len(modules)} modules in {total / 1000:.1f} ms, of which "
        f"{from_bot / 1000:.1f} ms under bot (the rest is interpreter start-up)"
    )
    boundary = [
        m for m in modules if not _ours(m.name) and m.parent is not None and _ours(m.parent.name)
    ]
    boundary.sort(key=lambda m: m.cumulative_us, reverse=True)
    print(f"  top {top} imports made by bot modules (cumulative ms, and the bot module asking):")
    for m in boundary[:top]:
        print(f"    {m.cumulative_us / 1000:7.1f} ms  {m.name:<34} from {m.importer}")
    ours = sorted(
        (m for m in modules if _ours(m.name)), key=lambda m: m.cumulative_us, reverse=True
    )
    print(f"  top {top} bot modules (cumulative ms):")
    for m in ours[:top]:
        print(f"    {m.cumulative_us / 1000:7.1f} ms  {m.name}")


def _ours(name: str) -> bool:
    return name == "bot" or name.startswith("bot.")
