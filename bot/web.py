"""The HTTP side of `serve`: health, readiness, metrics and Slack's events, on uvicorn in a thread.

The listening socket is bound before anything else starts, so a port already in use is one
clear configuration error instead of a traceback from inside the server. A readiness probe
runs each check (a store query costs one round trip) on Starlette's thread pool; a health probe
asks whether the scheduler still runs (no I/O). /metrics is prometheus-client's own ASGI app,
which picks the text or OpenMetrics format from `Accept` and gzips when the scraper accepts it.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from collections.abc import Callable, Sequence

import uvicorn
from prometheus_client import make_asgi_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.errors import ConfigError
from bot.metrics import Metrics

log = logging.getLogger(__name__)

# A check answers None when its part is ready, else the reason it is not (one sentence).
ReadinessCheck = Callable[[], str | None]
# The same for liveness: None while the process can do its work (its scheduler runs).
HealthCheck = Callable[[], str | None]


class PortInUseError(ConfigError):
    """The configured address is taken by another process."""


def build_app(
    *,
    metrics: Metrics,
    checks: Sequence[ReadinessCheck] = (),
    health: HealthCheck = lambda: None,
    slack_events: ASGIApp | None = None,
) -> Starlette:
    """The ASGI app of `serve`; `health` decides /healthz (503 with its reason), `checks`
    /readyz, and `slack_events` answers `POST /slack/events` in HTTP mode."""

    def healthz(_: Request) -> Response:
        problem = _run(health)
        if problem:
            return PlainTextResponse(f"unhealthy: {problem}\n", status_code=503)
        return PlainTextResponse("ok\n")

    def readyz(_: Request) -> Response:
        reasons = [reason for reason in (_run(check) for check in checks) if reason]
        if reasons:
            return PlainTextResponse("not ready: " + "; ".join(reasons) + "\n", status_code=503)
        return PlainTextResponse("ready\n")

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", _AsgiEndpoint(make_asgi_app(registry=metrics.registry)), methods=["GET"]),
    ]
    if slack_events is not None:
        routes.append(Route("/slack/events", _AsgiEndpoint(slack_events), methods=["POST"]))
    return Starlette(routes=routes)


class _AsgiEndpoint:
    """An ASGI app as a route's endpoint: Starlette would treat a bare function as a
    request-to-response handler, but calls an object as the ASGI app it is."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


def _run(check: ReadinessCheck) -> str | None:
    """A check's answer; a check that raises is a reason, never a crashed probe."""
    try:
        return check()
    except Exception as exc:
        log.debug("readiness check failed", exc_info=True)
        return f"{type(exc).__name__}: {exc}"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a PortInUseError naming the setting to change."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    # without it a kept-alive connection waits for the delayed ACK (40 ms) on every answer.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(
                f"port {port} on {host} is already in use by another process; stop it or set"
                " [server] port (RELEASE_TRAIN_SERVER__PORT) to a free port"
            ) from None
        raise ConfigError(
            f"cannot listen on {host}:{port} ([server] host and port): {exc.strerror}"
        ) from None
    sock.set_inheritable(False)
    return sock


class HttpServer:
    """uvicorn serving one app on an already bound socket, in a thread of its own.

    The thread is not the main one, so uvicorn installs no signal handlers: `serve` owns
    SIGTERM and SIGINT and stops the server through `stop()`.
    """

    def __init__(self, *, app: ASGIApp, sock: socket.socket) -> None:
        self._sock = sock
        config = uvicorn.Config(
            app,
            log_config=None,  # our handlers (and their secret masking) stay in charge
            access_log=False,  # probes every few seconds would drown the job lines
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name="http", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        """The host and port actually listened on (port 0 picks a free one)."""
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    def start(self) -> None:
        """Serve from now on."""
        self._thread.start()

    def _serve(self) -> None:
        self._server.run(sockets=[self._sock])

    def stop(self, *, timeout: float) -> None:
        """Stop accepting, finish what is in flight (bounded), close the socket."""
        self._server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()
