"""What the git, GitHub and GitLab sources share, written once: times, paths, files and HTTP.

Times, commit ids, path matching, message splitting, file changes and the tally of what was
read (for a terminal's progress line) serve all three; the connection pool and the retry
arithmetic serve the two code hosts' clients.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Self, TypeVar

from bot.domain.model import Change, FileChange, SourceBatch
from bot.domain.paths import matches_any

if TYPE_CHECKING:
    import ssl

    import httpx

    from bot.ports.progress import ReadProgress

T = TypeVar("T")

COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # a full SHA-1 or SHA-256 commit id
# How far each listing of merged requests reaches back before where the last one stood: both
# code hosts' listings lag, so a request merged just before the last listing may only show
# up as merged a moment later. What the overlap lists again, each cursor's `seen` drops.
LISTING_OVERLAP = timedelta(minutes=10)


class Tally:
    """What one source has read, told to a progress sink as it goes (a no-op without one);
    called from whichever thread read it."""

    def __init__(self, *, source: str, progress: ReadProgress | None) -> None:
        self._source = source
        self._progress = progress

    def page(self) -> None:
        """One more page read: an API answer, or one git process's output."""
        if self._progress is not None:
            self._progress.read(source=self._source, pages=1)

    def changes(self, count: int = 1) -> None:
        """`count` more changes read."""
        if self._progress is not None and count:
            self._progress.read(source=self._source, changes=count)


def aware(moment: datetime) -> datetime:
    """`moment` itself, or read as UTC when it carries no zone (a configured `since` may not)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_time(value: object) -> datetime:
    """An API timestamp with a zone (`2026-11-20T10:00:00Z`, `...00.000+02:00`) as aware UTC.

    ValueError when it is not a string, not ISO 8601, or has no zone to place it by.
    """
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a timestamp")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed.astimezone(UTC)


def format_time(value: datetime) -> str:
    """A time as both code hosts' query parameters take it: UTC, whole seconds (rounded down)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dump_cursor(version: int, fields: Mapping[str, Any]) -> str:
    """A code host's cursor as the store keeps it: compact JSON led by its format version."""
    return json.dumps({"v": version, **fields}, separators=(",", ":"))


def read_cursor(text: str, *, version: int, kind: str) -> dict[str, Any]:
    """The fields of a stored cursor; ValueError saying why when this version did not write it."""
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise ValueError("it is not JSON") from exc
    if not isinstance(data, dict) or data.get("v") != version:
        raise ValueError(f"it is not a {kind} cursor of this version")
    return data


def split_message(message: str) -> tuple[str, str]:
    """A commit message's first line and the rest, both stripped, line ends read as `\\n`."""
    first, _, rest = message.strip().replace("\r\n", "\n").partition("\n")
    return first.strip(), rest.strip()


def touches(path: str | None, old_path: str | None, patterns: Sequence[str]) -> bool:
    """Whether a file, or the name it was renamed from, matches any of the globs."""
    return any(name is not None and matches_any(name, patterns) for name in (path, old_path))


# What a source keeps of the lines a change adds to files other than migrations: the few
# that evaluate a feature flag, for the policy to name (each cut, and a few per file).
EVIDENCE_PER_FILE = 5
EVIDENCE_CHARS = 300


@dataclass(frozen=True, slots=True)
class PatchReading:
    """What a source keeps of each file's patch: the whole patch of a migration file (under
    `migration_paths`), and of any other file the added lines `flag_patterns` match."""

    migration_paths: tuple[str, ...]
    flag_patterns: tuple[str, ...] = ()

    def evidence(self, patch: str | None) -> tuple[str, ...]:
        """The added lines of a patch that evaluate a feature flag, stripped and cut."""
        flags = _flag_regex(self.flag_patterns)
        if patch is None or flags is None:
            return ()
        found: list[str] = []
        for line in patch.splitlines():
            if line.startswith("+") and not line.startswith("+++") and flags.search(line):
                found.append(line[1:].strip()[:EVIDENCE_CHARS])
                if len(found) >= EVIDENCE_PER_FILE:
                    break
        return tuple(found)


@lru_cache(maxsize=8)
def _flag_regex(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for all the flag patterns (each line is scanned once), or None."""
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def file_change(
    *,
    path: str,
    old_path: str | None,
    added: int,
    deleted: int,
    patch: str | None,
    reading: PatchReading,
    status: str | None,
) -> FileChange:
    """One changed file; only a migration file keeps its patch (nothing else reads one), and
    any file the lines that evaluate a feature flag."""
    keep = patch is not None and touches(path, old_path, reading.migration_paths)
    return FileChange(
        path=path,
        added=added,
        deleted=deleted,
        patch=patch if keep else None,
        status=status,
        evidence=() if keep else reading.evidence(patch),
    )


def merge_order(
    *, source: str, changes: Sequence[Change], cursor: str | None, notices: Sequence[str]
) -> SourceBatch:
    """A code host's batch: its changes by merge time (ties by id), as the trunk received them."""
    ordered = sorted(changes, key=lambda change: (change.merged_at, change.id))
    return SourceBatch(source=source, changes=tuple(ordered), cursor=cursor, notices=tuple(notices))


class GatedClient:
    """What a code host's client (GitHub, GitLab) does with its gate: lends its shared worker
    threads, hands out twins for each source's progress, and closes the connections."""

    _http: HttpGate
    _on_answer: Callable[[], None] | None

    def submit(self, task: Callable[[], T]) -> Future[T]:
        """Run `task` (this client's requests, nothing that waits for another task) on the
        worker threads every source of this client shares, in this source's lane (see
        HttpGate.submit: each source of `reporting` is a lane of its own)."""
        return self._http.submit(task, lane=self)

    def reporting(self, on_answer: Callable[[], None]) -> Self:
        """This client, its connections, bound and retries shared, calling `on_answer` after
        each answer it returns (one source's progress)."""
        twin = copy.copy(self)
        twin._on_answer = on_answer
        return twin

    def close(self) -> None:
        """Close the connections."""
        self._http.close()


class HttpGate:
    """A code host's connection pool, shared by every thread of its sources: at most
    `concurrency` GETs in flight, each carrying the host's headers (its token among them).

    It also lends its sources `concurrency` worker threads (`submit`) for the requests a source
    can make without waiting for one another: a listing's per-request details, the trunk's
    commits beside the listing. Every source of the host shares them, so detail requests of
    one repository fill the slots another's listing leaves free. A task given to them must not
    wait for another such task (they would wait for each other's threads).
    """

    def __init__(
        self,
        *,
        headers: Mapping[str, str],
        concurrency: int,
        timeout: float,
        follow_redirects: bool,
    ) -> None:
        # Imported here, not at the top: a train of git sources alone never loads httpx.
        import httpx

        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._workers = max(1, concurrency)
        self._pool: _Lanes | None = None
        self._pool_lock = threading.Lock()
        self._http = httpx.Client(
            headers=dict(headers),
            verify=_tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")),
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=max(1, concurrency)),
            follow_redirects=follow_redirects,
        )

    def get(
        self, url: str, *, params: Mapping[str, str | int] | None, headers: Mapping[str, str] | None
    ) -> httpx.Response:
        """One GET once a slot is free; a broken connection raises httpx.TransportError."""
        with self._slots:
            return self._http.get(url, params=params, headers=headers)

    def submit(self, task: Callable[[], T], *, lane: object) -> Future[T]:
        """Run `task` (requests through this gate, nothing that waits for another task) on the
        host's worker threads; they start on first use and end with `close`. Tasks of one
        `lane` (one source) run in the order given, lanes take turns: a repository with a
        hundred pull requests does not hold a small one's few behind all of its own."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = _Lanes(self._workers)
            return self._pool.submit(task, lane=lane)

    def close(self) -> None:
        """Close the connections (and let the worker threads go)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()
        self._http.close()


class _Lanes:
    """Worker threads serving queues of tasks by turns, one queue (lane) per source."""

    def __init__(self, workers: int) -> None:
        self._lanes: dict[object, deque[tuple[Future[Any], Callable[[], Any]]]] = {}
        self._turns: deque[object] = deque()  # the lanes holding tasks, next to serve first
        self._ready = threading.Condition()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"details-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, task: Callable[[], T], *, lane: object) -> Future[T]:
        future: Future[T] = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the client is closed")
            queue = self._lanes.get(lane)
            if queue is None:
                queue = self._lanes[lane] = deque()
                self._turns.append(lane)
            queue.append((future, task))
            self._ready.notify()
        return future

    def shutdown(self) -> None:
        """Cancel what has not started, let the running tasks end, and the threads with them."""
        with self._ready:
            self._closed = True
            for queue in self._lanes.values():
                for future, _ in queue:
                    future.cancel()
            self._lanes.clear()
            self._turns.clear()
            self._ready.notify_all()
        for thread in self._threads:
            thread.join()

    def _next(self) -> tuple[Future[Any], Callable[[], Any]] | None:
        with self._ready:
            while not self._turns:
                if self._closed:
                    return None
                self._ready.wait()
            lane = self._turns.popleft()
            queue = self._lanes[lane]
            item = queue.popleft()
            if queue:
                self._turns.append(lane)  # its next task waits for the other lanes' turns
            else:
                del self._lanes[lane]
            return item

    def _work(self) -> None:
        while (item := self._next()) is not None:
            future, task = item
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while queued
            try:
                future.set_result(task())
            except BaseException as exc:  # handed to whoever waits for the result
                future.set_exception(exc)


def results(futures: Sequence[Future[T]]) -> list[T]:
    """The futures' results in order; at the first failure the others not yet started are
    cancelled (no request is made for a source that has already failed) and it is raised."""
    try:
        return [future.result() for future in futures]
    except BaseException:
        cancel(futures)
        raise


def cancel(futures: Iterable[Future[Any]]) -> None:
    """Cancel the futures not yet started (those running finish on their own)."""
    for future in futures:
        future.cancel()


@lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """The TLS context every code host's client shares, built once per process (and per
    certificate setting): loading the certificate store costs some 25 ms, which each sync of
    a long-running `serve` would otherwise pay again. The same context httpx would build."""
    import httpx

    return httpx.create_ssl_context()


def header_number(value: str | None) -> float | None:
    """A numeric header (`retry-after: 30`, a reset time), or None when absent or not a number."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def retry_after(value: str | None, *, now: float) -> float | None:
    """`Retry-After` in seconds (given as seconds or as an HTTP date), never negative; None
    when absent or unreadable."""
    seconds = header_number(value)
    if seconds is not None:
        return max(0.0, seconds)
    if value is None:
        return None
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def doubling(first: float, attempt: int, *, largest: float = math.inf) -> float:
    """A backoff: `first` seconds before the first retry, twice as long each time after."""
    return float(min(largest, first * 2.0 ** (attempt - 1)))
