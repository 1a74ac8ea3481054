"""Sample data for the digest templates, so `check` proves they render (hostile title included)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

HOSTILE = "<!channel> [x](http://evil.test) <https://evil.test|click>"
# What each digest template's output shows when it prints the hostile title unescaped.
UNESCAPED = {"digest.markdown.j2": "[x](http://evil.test)", "digest.slack.j2": "<!channel>"}

_VIOLATION = {
    "id": "github:acme/payments-api#420",
    "title": HOSTILE,
    "url": "https://github.com/acme/payments-api/pull/420",
    "source": "payments-api",
    "release_class": "needs-flag",
    "message": "Changes customer data sets without a feature flag.",
    "reasons": ["label data-impact", "no feature flag named"],
}

SAMPLE_DIGEST: Mapping[str, Any] = {
    "train": "payments",
    "timezone": "Europe/Berlin",
    "sprint": {
        "name": "Sprint 42",
        "first_day": "2026-11-16",
        "last_day": "2026-11-29",
        "days_left": 3,
    },
    "ticket": {"key": "PAY-123", "url": "https://acme.atlassian.net/browse/PAY-123"},
    "tracked": True,
    "counts": {
        "continuous": 12,
        "flagged": 2,
        "needs-flag": 1,
        "migration-expand": 1,
        "migration-contract": 0,
    },
    "total": 16,
    "omitted_in_notes": 0,
    "violations": [_VIOLATION],
    "violations_more": 0,
    "waived": [
        {
            **_VIOLATION,
            "waiver": {"reason": "agreed with support, no customer impact", "by": "trailer"},
        }
    ],
    "waived_more": 0,
    "owed_contracts": [
        {
            "table": "refunds",
            "column": "reason_code",
            "since_sprint": "Sprint 41",
            "merged_on": "2026-11-10",
            "change_id": "github:acme/payments-api#401",
            "title": "feat: add refunds.reason_code",
            "url": "https://github.com/acme/payments-api/pull/401",
            "source": "payments-api",
        }
    ],
    "owed_more": 0,
    "unattached": [{k: _VIOLATION[k] for k in ("id", "title", "url", "source", "release_class")}],
    "unattached_more": 0,
    "draft": {"version": 3, "state": "pending", "approved_by": None, "approved_at_local": None},
    "approvers": ["U0123456789"],
    "approver_groups": ["S0123456789"],
}


def digest_problems(render: Callable[..., str]) -> list[str]:
    """What is wrong with the digest templates: a render error, or a title left unescaped.

    `render(name=..., context=...)` renders one template and raises TemplateError (a BotError)
    when it does not render.
    """
    from bot.errors import TemplateError

    problems: list[str] = []
    for name, unescaped in UNESCAPED.items():
        try:
            text = render(name=name, context=SAMPLE_DIGEST)
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        if unescaped in text:
            problems.append(f"The template {name} prints a change title without escaping it.")
    return problems
