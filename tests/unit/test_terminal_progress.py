"""The progress line of a sync on a terminal: each source's pages and changes as they come, and
nothing at all when stderr is not a terminal."""

from __future__ import annotations

import io
import logging
import threading

from bot.console import TerminalProgress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def screens(written: str) -> list[str]:
    """What the status line showed, one entry per rewrite."""
    return [part.rstrip() for part in written.split("\r") if part.strip()]


def test_each_read_shows_the_source_its_counts_and_every_sources_totals() -> None:
    terminal = Terminal()
    progress = TerminalProgress(terminal)

    progress.read(source="api", pages=1)
    progress.read(source="api", changes=1)
    progress.read(source="web", pages=1)
    progress.read(source="web", pages=1, changes=40)

    assert screens(terminal.getvalue()) == [
        "reading api: 1 page, 0 changes",
        "reading api: 1 page, 1 change",
        "reading web: 1 page, 0 changes (all 2 sources: 2 pages, 1 change)",
        "reading web: 2 pages, 40 changes (all 2 sources: 3 pages, 41 changes)",
    ]


def test_steps_replace_the_line_and_done_clears_it() -> None:
    terminal = Terminal()
    progress = TerminalProgress(terminal)

    progress.read(source="api", pages=3, changes=1200)
    progress("recorded 1200 new changes from api")
    progress.done()

    assert screens(terminal.getvalue()) == [
        "reading api: 3 pages, 1,200 changes",
        "recorded 1200 new changes from api",
    ]
    assert terminal.getvalue().endswith("\r")


def test_nothing_is_written_when_the_stream_is_not_a_terminal() -> None:
    piped = io.StringIO()
    progress = TerminalProgress(piped)

    progress.read(source="api", pages=1, changes=2)
    progress("recorded 2 new changes from api")
    progress.done()

    assert piped.getvalue() == ""


def test_sources_reading_at_once_lose_no_count() -> None:
    terminal = Terminal()
    progress = TerminalProgress(terminal)

    def read(source: str) -> None:
        for _ in range(200):
            progress.read(source=source, pages=1, changes=1)

    threads = [threading.Thread(target=read, args=(f"s{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert screens(terminal.getvalue())[-1].endswith("(all 4 sources: 800 pages, 800 changes)")


def test_a_hostile_source_name_cannot_drive_the_terminal() -> None:
    terminal = Terminal()

    TerminalProgress(terminal).read(source="evil\x1b[2J", pages=1)

    assert "\x1b" not in terminal.getvalue()
    assert "evil\\x1b[2J" in terminal.getvalue()


def test_a_log_line_on_the_same_terminal_clears_the_status_line_first() -> None:
    terminal = Terminal()
    handler = logging.StreamHandler(terminal)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with TerminalProgress(terminal) as progress:
            progress.read(source="api", pages=1)
            logging.getLogger("bot.test").warning("the source is slow")
            progress.read(source="api", pages=1)
    finally:
        root.removeHandler(handler)

    shown = terminal.getvalue()
    status = "reading api: 1 page, 0 changes"
    cleared = "\r" + " " * len(status) + "\r"
    assert f"{status}{cleared}the source is slow\n" in shown
    assert handler.filters == []  # left as it was found
