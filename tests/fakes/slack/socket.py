"""Socket Mode as Slack serves it: a WebSocket on loopback that says hello, sends envelopes and
collects the app's acks (`{"envelope_id": ..., "payload"?: ...}`).

`apps.connections.open` (app token) hands out a single-use `ws://127.0.0.1:PORT/link/?ticket=`
url; slack_sdk's built-in client connects to it without TLS when the port is not 443. The
server answers pings with pongs, sends `{"type": "disconnect", "reason": ...}` when told to, and
refuses a ticket it did not issue or that was used already (HTTP 401, no upgrade).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import struct
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


@dataclass(frozen=True, slots=True)
class Envelope:
    """One envelope sent to the app, and its ack once received (None until then)."""

    envelope_id: str
    type: str
    payload: dict[str, Any]


class _Link:
    """One accepted WebSocket connection: frames out (unmasked) and in (masked, from the app)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.send_lock = threading.Lock()
        self.open = True

    def send(self, opcode: int, data: bytes) -> None:
        size = len(data)
        if size <= 125:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size <= 0xFFFF:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        with self.send_lock, contextlib.suppress(OSError):
            self.sock.sendall(header + data)

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(TEXT, json.dumps(message).encode())

    def receive(self) -> tuple[int, bytes] | None:
        """The next frame (opcode, unmasked payload), or None when the connection ended."""
        head = self._exactly(2)
        if head is None:
            return None
        opcode, masked, size = head[0] & 0x0F, head[1] & 0x80, head[1] & 0x7F
        if size in (126, 127):
            extra = self._exactly(2 if size == 126 else 8)
            if extra is None:
                return None
            size = struct.unpack("!H" if len(extra) == 2 else "!Q", extra)[0]
        mask = self._exactly(4) if masked else b"\0\0\0\0"
        data = self._exactly(size)
        if mask is None or data is None:
            return None
        return opcode, bytes(b ^ m for b, m in zip(data, itertools.cycle(mask), strict=False))

    def _exactly(self, count: int) -> bytes | None:
        chunks = b""
        while len(chunks) < count:
            try:
                chunk = self.sock.recv(count - len(chunks))
            except OSError:
                return None
            if not chunk:
                return None
            chunks += chunk
        return chunks

    def close(self) -> None:
        self.open = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class SocketModeServer:
    """The WebSocket side of the fake Slack; FakeSlack owns one and exposes it as `socket`."""

    def __init__(self, *, app_id: str) -> None:
        self.app_id = app_id
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._changed = threading.Condition()
        self._tickets: set[str] = set()
        self._links: list[_Link] = []
        self._serial = itertools.count(1)
        self.envelopes: list[Envelope] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections = 0  # WebSocket handshakes accepted so far
        self.refused = 0  # handshakes refused (unknown or reused ticket)
        self.silent = False  # go_silent(): no pongs, no new handshakes
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._changed:
            links, self._links = self._links, []
        for link in links:
            link.close()

    def new_url(self) -> str:
        """What apps.connections.open answers: a url with a ticket usable once."""
        ticket = f"ticket-{next(self._serial)}"
        with self._changed:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # what tests do -----------------------------------------------------------------------------

    def wait_connected(self, count: int = 1, *, timeout: float = 10) -> None:
        """Block until `count` handshakes were accepted (AssertionError after `timeout`)."""
        with self._changed:
            done = self._changed.wait_for(lambda: self.connections >= count, timeout=timeout)
        assert done, f"the app opened {self.connections} Socket Mode connections, not {count}"

    def send(
        self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False
    ) -> str:
        """Send one envelope (slash_commands, interactive, events_api) on the newest link."""
        envelope_id = f"envelope-{next(self._serial)}"
        message = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            message.update({"retry_attempt": 0, "retry_reason": ""})
        with self._changed:
            live = [link for link in self._links if link.open]
            assert live, "no Socket Mode connection is open"
            self.envelopes.append(Envelope(envelope_id, kind, payload))
        live[-1].send_json(message)
        return envelope_id

    def wait_ack(self, envelope_id: str, *, timeout: float = 10) -> dict[str, Any]:
        """The app's ack of an envelope (AssertionError if none came within `timeout`)."""
        with self._changed:
            done = self._changed.wait_for(lambda: envelope_id in self.acks, timeout=timeout)
            assert done, f"the app did not acknowledge {envelope_id}"
            return self.acks[envelope_id]

    def go_silent(self) -> None:
        """Stop answering: pings get no pong and new connections hang, as when the network
        between the app and Slack goes away without closing anything."""
        with self._changed:
            self.silent = True

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours, then close the links."""
        with self._changed:
            links, self._links = self._links, []
        for link in links:
            link.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}})
            link.close()

    # the server --------------------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        link = _Link(sock)
        if self.silent:
            return  # the connection hangs: nothing is read or answered
        if not self._handshake(sock):
            link.close()
            return
        with self._changed:
            self._links.append(link)
            self.connections += 1
            self._changed.notify_all()
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }
        link.send_json(hello)
        self._read(link)

    def _read(self, link: _Link) -> None:
        while link.open:
            frame = link.receive()
            if frame is None or frame[0] == CLOSE:
                if frame is not None:
                    link.send(CLOSE, frame[1][:2])
                link.close()
                return
            opcode, data = frame
            if opcode == PING and not self.silent:
                link.send(PONG, data)
            elif opcode == TEXT:
                self._acked(data)

    def _acked(self, data: bytes) -> None:
        message = json.loads(data)
        with self._changed:
            self.acks[str(message.get("envelope_id"))] = message
            self._changed.notify_all()

    def _handshake(self, sock: socket.socket) -> bool:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = sock.recv(4096)
            if not chunk:
                return False
            request += chunk
        lines = request.decode("latin-1").split("\r\n")
        target = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 2 else ""
        pairs = (h.partition(":") for h in lines[1:])
        headers = {k.strip().lower(): v.strip() for k, _, v in pairs}
        ticket = parse_qs(urlsplit(target).query).get("ticket", [""])[0]
        with self._changed:
            known = ticket in self._tickets
            self._tickets.discard(ticket)
            if not known:
                self.refused += 1
        key = headers.get("sec-websocket-key", "")
        if not known or not key or headers.get("upgrade", "").lower() != "websocket":
            sock.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
            return False
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()  # noqa: S324 - RFC 6455 names SHA-1
        sock.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept.encode() + b"\r\n\r\n"
        )
        return True
