"""`/readyz` of a running `serve` follows its store: 503 while PostgreSQL cannot be reached.

The store is reached through a loopback TCP relay the test can cut and restore, so the
database really becomes unreachable for `serve` while the test's PostgreSQL stays up.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url

from tests.e2e.serve_process import ServeProcess
from tests.workspace import Workspace

pytestmark = pytest.mark.postgres


class Relay:
    """Forwards loopback connections on `port` to `target` until cut; can be restored."""

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = self._listen(0)
        self.port: int = self._listener.getsockname()[1]

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(16)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return listener

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Refuse new connections and break every open one."""
        # shutdown() wakes the thread blocked in accept(); close() alone would leave the socket
        # listening until that accept returned, letting one more connection through.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self._listener = self._listen(self.port)


@pytest.fixture
def relay(pg_url: str) -> Iterator[tuple[Relay, str]]:
    url = make_url(pg_url)
    relay = Relay((url.host or "127.0.0.1", url.port or 5432))
    yield relay, url.set(port=relay.port).render_as_string(hide_password=False)
    relay.cut()


def test_readyz_is_503_while_the_store_is_unreachable(
    workspace: Workspace, relay: tuple[Relay, str]
) -> None:
    proxy, store_url = relay
    serve = ServeProcess(
        workspace.config, cwd=workspace.root, env={"RELEASE_TRAIN_STORE__URL": store_url}
    )
    try:
        serve.wait_for("ready", lambda: serve.get("/readyz").status_code == 200)

        proxy.cut()
        down = serve.wait_for(
            "not ready", lambda: (r := serve.get("/readyz")).status_code == 503 and r
        )
        alive = serve.get("/healthz").status_code

        proxy.restore()
        serve.wait_for("ready again", lambda: serve.get("/readyz").status_code == 200)
    finally:
        code = serve.stop(signal.SIGTERM)

    assert "the store at" in down.text and "is unavailable" in down.text
    assert alive == 200  # the process lives on: only readiness follows the store
    assert code == 0, serve.stderr
