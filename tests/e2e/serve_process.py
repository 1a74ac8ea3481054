"""`release-train serve` as a real process: started, watched through its logs and endpoints."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

# How long a test waits for something `serve` does every second or two; generous, because the
# machine may be busy: the tests assert what happens, never how fast.
PATIENCE = 90.0

Line = dict[str, Any]


class ServeProcess:
    """One `serve` process; its JSON log lines are collected as they come."""

    def __init__(
        self,
        config: Path,
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        every_seconds: int | None = 1,
        verbose: bool = False,
    ) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("RELEASE_TRAIN_")}
        full_env["NO_PROXY"] = full_env["no_proxy"] = "127.0.0.1,localhost"
        full_env["RELEASE_TRAIN_SERVER__PORT"] = "0"
        if every_seconds is not None:
            full_env["RELEASE_TRAIN_TEST_SCHEDULE_SECONDS"] = str(every_seconds)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "-c",
                str(config),
                *(["--verbose"] if verbose else []),
                "--log-format",
                "json",
                "serve",
            ],
            cwd=cwd,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[Line] = []
        self.raw: list[str] = []
        self._new: queue.Queue[None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._client: httpx.Client | None = None

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for text in self.proc.stderr:
            self.raw.append(text)
            with contextlib.suppress(json.JSONDecodeError):
                self.lines.append(json.loads(text))
            self._new.put(None)
        self._new.put(None)
        self.proc.stderr.close()

    def wait_for(self, what: str, found: Callable[[], Any], *, patience: float = PATIENCE) -> Any:
        """Wait until `found()` answers something truthy; fail naming `what` otherwise."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            answer = found()
            if answer:
                return answer
            if self.proc.poll() is not None and self._new.empty():
                answer = found()
                if answer:
                    return answer
                raise AssertionError(
                    f"serve exited {self.proc.returncode} before {what}: {self.stderr}"
                )
            with contextlib.suppress(queue.Empty):
                self._new.get(timeout=0.2)
        raise AssertionError(f"gave up waiting for {what}; serve said: {self.stderr[-4000:]}")

    def log_line(self, **fields: Any) -> Line | None:
        """The first log line with all these fields (None when there is none yet)."""
        for line in list(self.lines):
            if all(line.get(k) == v for k, v in fields.items()):
                return line
        return None

    def log_lines(self, **fields: Any) -> list[Line]:
        """Every log line so far with all these fields."""
        return [
            line for line in list(self.lines) if all(line.get(k) == v for k, v in fields.items())
        ]

    @property
    def stderr(self) -> str:
        return "".join(self.raw)

    @property
    def url(self) -> str:
        """The base URL it listens on, once it said so."""
        line = self.wait_for("the listening line", lambda: self.log_line(event="serving"))
        return f"http://{line['host']}:{line['port']}"

    def get(self, path: str) -> httpx.Response:
        if self._client is None:
            self._client = httpx.Client(base_url=self.url, timeout=30, trust_env=False)
        return self._client.get(path)

    def metric(self, name: str, **labels: str) -> float:
        """One sample of /metrics (0 when absent)."""
        for family in text_string_to_metric_families(self.get("/metrics").text):
            for sample in family.samples:
                if sample.name == name and all(
                    sample.labels.get(k) == v for k, v in labels.items()
                ):
                    return float(sample.value)
        return 0.0

    def stop(self, sig: signal.Signals = signal.SIGTERM, *, patience: float = 60.0) -> int:
        """Send `sig`, wait for the exit (at most `patience` s), return the exit code."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=patience)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"serve did not exit within {patience}s of {sig.name}") from None
        self._reader.join(10)
        return code

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._reader.join(10)
