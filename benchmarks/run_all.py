"""Run every benchmark in turn and print their figures (`make bench`).

    .venv/bin/python benchmarks/run_all.py [NAME ...]

NAME picks benchmarks by part of their file name (`help`, `git_cliff`); by default all run.
Each runs as its own process from the repository root; a failing one is reported and the
others still run, and the exit status says whether any failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("bench_help.py", "bench_notes_vs_git_cliff.py", "bench_big_train.py")


def main() -> int:
    wanted = sys.argv[1:]
    scripts = [HERE / name for name in ORDER]
    scripts += sorted(p for p in HERE.glob("bench_*.py") if p.name not in ORDER)
    if wanted:
        scripts = [s for s in scripts if any(w in s.stem for w in wanted)]
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        print(f"== {script.name}: {time.perf_counter() - start:.0f} s", flush=True)
        if proc.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
