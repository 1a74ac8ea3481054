"""The bot scopes the Slack app needs, one place: each Web API method the adapter calls, and why.

The running bot cannot read the app manifests under `deploy/` (they are not in the package), so
this table is what it knows: `check --online` compares it with the scopes the token holds, and
the tests compare it with both manifests, so the three cannot drift apart. A method missing
here is refused before it is sent, so a new call cannot ship without its scope. Pure data; a
lookup costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Slack's documented bot scopes per method. A method reading a channel needs the scope of the
# channel's kind: the first for public channels, the second for private ones; the app asks for
# both, since a train's channel may be either.
METHOD_SCOPES: Mapping[str, tuple[str, ...]] = {
    "auth.test": (),
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "conversations.history": ("channels:history", "groups:history"),
    "conversations.info": ("channels:read", "groups:read"),
    "users.info": ("users:read",),
    "usergroups.users.list": ("usergroups:read",),
    "views.open": (),
    "views.update": (),
    "views.publish": (),
}

# Scopes the app's features need though no Web API call of ours does.
FEATURE_SCOPES: Mapping[str, str] = {"commands": "the /release-train slash command"}

BOT_SCOPES: frozenset[str] = frozenset(
    {scope for scopes in METHOD_SCOPES.values() for scope in scopes} | set(FEATURE_SCOPES)
)


def uses(scope: str) -> str:
    """What needs `scope`, for people: the methods calling for it, or the feature."""
    methods = sorted(m for m, scopes in METHOD_SCOPES.items() if scope in scopes)
    return ", ".join(methods) or FEATURE_SCOPES.get(scope, "")


def granted(header: str | Iterable[str] | None) -> frozenset[str] | None:
    """The scopes an `x-oauth-scopes` header lists (comma-separated); None when there is none."""
    if header is None:
        return None
    if not isinstance(header, str):
        header = ",".join(header)
    return frozenset(part.strip() for part in header.split(",") if part.strip())
