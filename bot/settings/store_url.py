"""The store's URL: read one way only, a relative SQLite file beside the config, secrets named."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

from bot.logs import is_secret_query_key
from bot.settings.fields import resolve_path

BACKENDS = ("sqlite", "postgresql")
_SCHEME = re.compile(r"(?P<backend>[A-Za-z][A-Za-z0-9]*)(?:\+[A-Za-z0-9_]+)?")
_PORT = re.compile(r"[0-9]{1,5}")
_ENCODE = "percent-encode it (%40 for '@', %2F for '/', %3F for '?', %23 for '#')"
# The query keys each driver understands: libpq's connection parameters for PostgreSQL, and
# pysqlite's arguments plus SQLite's URI parameters; any other key would fail only at the first
# connection, so it is refused here, named.
_QUERY_KEYS = {
    "postgresql": frozenset(
        [
            "host",
            "hostaddr",
            "port",
            "dbname",
            "user",
            "password",
            "passfile",
            "require_auth",
            "channel_binding",
            "connect_timeout",
            "client_encoding",
            "options",
            "application_name",
            "fallback_application_name",
            "keepalives",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
            "replication",
            "gssencmode",
            "sslmode",
            "requiressl",
            "sslcompression",
            "sslcert",
            "sslkey",
            "sslkeylogfile",
            "sslpassword",
            "sslcertmode",
            "sslrootcert",
            "sslcrl",
            "sslcrldir",
            "sslsni",
            "requirepeer",
            "ssl_min_protocol_version",
            "ssl_max_protocol_version",
            "krbsrvname",
            "gsslib",
            "gssdelegation",
            "sslnegotiation",
            "service",
            "target_session_attrs",
            "load_balance_hosts",
        ]
    ),
    "sqlite": frozenset(
        [
            "uri",
            "mode",
            "cache",
            "immutable",
            "nolock",
            "psow",
            "vfs",
            "modeof",
            "timeout",
            "check_same_thread",
            "cached_statements",
            "detect_types",
            "isolation_level",
        ]
    ),
}


def check_store_url(text: str) -> str:
    """`text` with a relative SQLite file made absolute, or a ValueError that never repeats it.

    Messages name the part at fault (a query key, the port), never a value: the URL may hold a
    password.
    """
    scheme, separator, rest = text.partition("://")
    found = _SCHEME.fullmatch(scheme)
    if not separator or found is None or found["backend"].lower() not in BACKENDS:
        raise ValueError("expected a sqlite:/// or postgresql+psycopg:// database URL")
    if "#" in rest:
        raise ValueError(f"'#' has no meaning in a database URL; {_ENCODE}")
    path, _, query = rest.partition("?")
    backend = found["backend"].lower()
    if backend == "sqlite":
        _check_query(query, backend=backend)
        if path and not path.startswith("/"):
            raise ValueError(
                "a SQLite URL has three slashes before a relative file (sqlite:///rt.db)"
                " and four before an absolute one (sqlite:////srv/rt.db)"
            )
        return _sqlite(scheme, path, query)
    authority, _, database = path.partition("/")
    # SQLAlchemy reads the password up to an '@' wherever it is; this reading must agree.
    misplaced = "@" in database or ("@" in query and "@" not in authority)
    if misplaced or authority.count("@") > 1:
        raise ValueError(f"the user name or password holds an unencoded '@', '/' or '?'; {_ENCODE}")
    _check_query(query, backend=backend)
    _check_port(authority.rpartition("@")[2])
    return text


def _check_query(query: str, *, backend: str) -> None:
    if not query:
        return
    seen: set[str] = set()
    for item in query.split("&"):
        key, equals, _value = item.partition("=")
        if not key or not equals:
            raise ValueError("the query has an item that is not key=value")
        if key in seen:
            raise ValueError(f"the query key {key!r} is given twice")
        if unquote(key) not in _QUERY_KEYS[backend]:
            raise ValueError(f"the query key {key[:40]!r} is not an option {backend} knows")
        seen.add(key)


def _check_port(host: str) -> None:
    # An IPv6 address is written in brackets and holds colons of its own.
    after_host = host.rpartition("]")[2] if host.startswith("[") else host
    _, colon, port = after_host.partition(":")
    if colon and not (_PORT.fullmatch(port) and 0 < int(port) < 65536):
        raise ValueError("the port is not a number from 1 to 65535")


def _sqlite(scheme: str, path: str, query: str) -> str:
    """A SQLite URL whose relative file is made relative to the configuration file."""
    database = path.removeprefix("/")
    if path[:1] != "/" or not database or database == ":memory:":
        return f"{scheme}://{path}" + (f"?{query}" if query else "")
    if database.startswith(("/", "~", "file:")):
        return f"{scheme}://{path}" + (f"?{query}" if query else "")
    # SQLAlchemy percent-decodes the file name, so the folder is encoded to read back as written.
    absolute = resolve_path(Path(unquote(database)))
    encoded = quote(os.fspath(absolute), safe="/")
    return f"{scheme}:///{encoded}" + (f"?{query}" if query else "")


def url_secrets(text: str) -> list[str]:
    """The credentials a store URL holds (its password, secret query values), as written and
    decoded, so that logs and errors can mask both."""
    _scheme, _, rest = text.partition("://")
    path, _, query = rest.partition("?")
    userinfo, at, _host = path.partition("/")[0].rpartition("@")
    written = [userinfo.partition(":")[2]] if at else []
    for item in query.split("&"):
        key, _, value = item.partition("=")
        if is_secret_query_key(unquote(key)):
            written.append(value)
    found = [v for v in (*written, *(unquote(v) for v in written)) if v]
    return list(dict.fromkeys(found))


def location_problem(text: str) -> str | None:
    """Why a SQLite store could not keep a lasting record where `text` says; None when it can
    (and for other databases, which `check --online` reaches). Looks, never creates."""
    scheme, _, rest = text.partition("://")
    if scheme.partition("+")[0].lower() != "sqlite":
        return None
    path, _, query = rest.partition("?")
    database = unquote(path.removeprefix("/"))
    if not database or database == ":memory:" or "mode=memory" in query:
        return (
            "an in-memory SQLite store records nothing that lasts;"
            " name a file, e.g. sqlite:///release-train.db"
        )
    if database.startswith("file:"):
        return None  # a URI filename: SQLite reads it as written
    return _unwritable(Path(database).expanduser())


def _unwritable(file: Path) -> str | None:
    if file.exists():
        if not file.is_file():
            return f"{file} is not a file"
        # SQLite writes its journal beside the file, so the folder must be writable too.
        if not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK | os.X_OK)):
            return f"the bot cannot write {file} or its folder"
        return None
    folder = next(parent for parent in file.parents if parent.exists())
    if not folder.is_dir():
        return f"cannot create {file}: {folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create {file}: the bot cannot write {folder}"
    return None
