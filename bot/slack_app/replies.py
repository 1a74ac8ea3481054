"""Answers to the slash command, built as pure functions from the use-cases' results."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.sync.train import TrainSyncResult
from bot.services.views.report import count_classes, unwaived, violations_of
from bot.services.views.status import TrainView
from bot.services.views.vocabulary import draft_line, window_text
from bot.slack_app.desk import Reply
from bot.slack_app.draft_blocks import text_message
from bot.slack_app.text import escape, link

SHOWN = 10


def status_reply(view: TrainView) -> Reply:
    """The current sprint at a glance: window, ticket, counts, violations, draft."""
    if view.sprint is None:
        return Reply(f"Train {escape(view.train)}: no sprint holds the current date.")
    lines = [
        f"*{escape(view.train)} — {escape(view.sprint.name)}* ({window_text(view.sprint, view.tz)})"
    ]
    if view.ticket:
        lines.append(f"Ticket: {link(view.ticket.get('url'), view.ticket['key'])}")
    elif view.tracked:
        lines.append("Ticket: none yet")
    counts = count_classes(view.changes)
    lines.append(
        f"{len(view.changes)} changes: " + ", ".join(f"{n} {name}" for name, n in counts.items())
    )
    listed = violations_of(view.changes)
    broken = unwaived(listed)
    waived = [v for v in listed if v.waiver is not None]
    titles = {rc.change.id: rc.change.title for rc in view.changes}
    if broken:
        lines.append(f"*Policy violations: {len(broken)}*")
        lines += [
            f"• {escape(titles.get(v.change, v.change))}: {escape(v.message or '')}"
            for v in broken[:SHOWN]
        ]
        if len(broken) > SHOWN:
            lines.append(f"… and {len(broken) - SHOWN} more")
    else:
        lines.append("Policy violations: none")
    if waived:
        lines.append(f"Waived: {len(waived)}")
        lines += [
            f"• {escape(titles.get(v.change, v.change))}: {escape(v.waiver.reason)}"
            for v in waived[:SHOWN]
            if v.waiver is not None
        ]
    lines.append(f"Release notes draft: {escape(draft_line(view.draft, view.tz))}")
    return Reply("\n".join(lines))


def notes_reply(mrkdwn: str, *, train: str, sprint: str, command: str) -> Reply:
    """The rendered notes, split to fit one message."""
    message = text_message(mrkdwn, fallback=f"Release notes for {train}, {sprint}", command=command)
    return Reply(message.text, message.blocks)


def sync_reply(result: TrainSyncResult) -> Reply:
    """What a sync did: new changes, problems, and the sprint as it now stands."""
    lines = [f"Sync of {escape(result.train)}: {result.new_count} new change(s) recorded."]
    lines += [f"• {escape(text)}" for text in _first(result.notices)]
    lines += [f"• {escape(source)}: {escape(str(error))}" for source, error in result.failures]
    failure = result.attach_failure
    if failure is not None:
        lines.append(f"• Jira: {escape(str(failure))} (left for the next sync)")
    status = status_reply(result.view)
    return Reply("\n".join(lines) + "\n\n" + status.text)


def _first(items: Sequence[str]) -> Sequence[str]:
    return items[:SHOWN]


def explain_reply(lines: Sequence[str]) -> Reply:
    """Why a recorded change got its release class, as a preformatted block."""
    return Reply("```" + escape("\n".join(lines)) + "```")
