"""The bot's own errors, each carrying the exit code the command line maps it to."""

from __future__ import annotations


class BotError(Exception):
    """An expected failure with a one-sentence message for people."""

    exit_code = 1


class ConfigError(BotError):
    """The configuration (file, environment or command line) is wrong; names the key."""

    exit_code = 2


class UsageError(ConfigError):
    """The command line asked for something that cannot be done."""


class TemplateError(ConfigError):
    """A release-notes template is missing or does not render."""


class SourceError(ConfigError):
    """A local repository or branch cannot be read (a configuration problem)."""


class StoreSchemaError(ConfigError):
    """The store's schema is older (and auto_upgrade is off) or newer than this version."""


class ServiceError(BotError):
    """An external service failed: unreachable, authentication or permission."""

    exit_code = 3


class StoreUnavailableError(ServiceError):
    """The store's database cannot be reached."""


class PolicyViolationError(BotError):
    """`--strict` found a policy violation in the train."""

    exit_code = 4


class TicketNotFoundError(ServiceError):
    """A Jira ticket is missing or cannot be seen (Jira answers 404 for both)."""


class AuthError(ServiceError):
    """A service refused the credentials or the permission; writes stop."""


class RateLimitedError(ServiceError):
    """A service kept answering 429/503 beyond the retry budget."""


class WriteOutcomeUnknownError(ServiceError):
    """A write reached the service but its answer was lost: read back before retrying it."""
