"""The `release-train` command line: one small function per command, errors mapped once."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from bot.collector import collector_paused
from bot.commands.common import Globals
from bot.errors import BotError

_CONFIG_HELP = (
    "The TOML file (default: release-train.toml in the working directory, or in a folder above"
    " it up to the git repository's root)."
)
_TRAIN_HELP = "Which train; may be left out when the config has exactly one."
_VERBOSE_HELP = "More log output (to stderr)."
_FORMAT_HELP = "Log line format."
_FORMATS = click.Choice(["text", "json"])


class _Commands(click.Group):
    """A group whose every command accepts the global options after its name too, attached
    here once, so no command (nor a sub-group's) can be added without them."""

    group_class = type  # sub-groups made with @group.group() are _Commands too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group):
            cmd.params.extend(_global_options())
        super().add_command(cmd, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-c",
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="RELEASE_TRAIN_CONFIG",
    help=_CONFIG_HELP,
)
@click.option("--train", help=_TRAIN_HELP)
@click.option("-v", "--verbose", is_flag=True, help=_VERBOSE_HELP)
@click.option("--log-format", type=_FORMATS, default="text", show_default=True, help=_FORMAT_HELP)
@click.version_option(package_name="release-train")
@click.pass_context
def cli(
    ctx: click.Context, config: Path | None, train: str | None, verbose: bool, log_format: str
) -> None:
    """Gather merged changes, classify them against the release process, and keep the
    sprint's Release Train ticket and release notes current."""
    from bot.logs import setup_logging

    setup_logging(verbose=verbose, fmt=log_format)
    ctx.obj = Globals(config=config, train=train, verbose=verbose, log_format=log_format)


def _override(field: str) -> Callable[[click.Context, click.Parameter, object], None]:
    """A global option given after the command: it replaces the one given before (if any)."""

    def given(ctx: click.Context, _param: click.Parameter, value: object) -> None:
        if value is None or value is False:
            return
        current = ctx.find_object(Globals)
        assert current is not None  # noqa: S101 - the group callback set it
        changes: dict[str, Any] = {field: value}
        ctx.obj = replace(current, **changes)
        if field in {"verbose", "log_format"}:
            from bot.logs import setup_logging

            setup_logging(verbose=ctx.obj.verbose, fmt=ctx.obj.log_format)

    return given


def _global_options() -> list[click.Option]:
    """The global options as given after a command (`release-train sync -c FILE`)."""
    return [
        click.Option(
            ["-c", "--config"],
            type=click.Path(path_type=Path, dir_okay=False),
            expose_value=False,
            callback=_override("config"),
            help=_CONFIG_HELP,
        ),
        click.Option(
            ["--train"], expose_value=False, callback=_override("train"), help=_TRAIN_HELP
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_override("verbose"),
            help=_VERBOSE_HELP,
        ),
        click.Option(
            ["--log-format"],
            type=_FORMATS,
            expose_value=False,
            callback=_override("log_format"),
            help=_FORMAT_HELP,
        ),
    ]


@cli.command()
@click.option("--dry-run", is_flag=True, help="Write nothing anywhere; print what would be done.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report on stdout.")
@click.option("--strict", is_flag=True, help="Exit 4 when the train holds a policy violation.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Gather every source again from this day (YYYY-MM-DD); recorded changes stay, once.",
)
@click.pass_obj
def sync(g: Globals, dry_run: bool, as_json: bool, strict: bool, since: datetime | None) -> None:
    """Gather, classify and record the changes merged since the last sync."""
    from bot.commands.sync import run_sync

    day = since.date() if since is not None else None
    # A sync builds changes, rows and responses without cycles: a first sync of 2,700 changes
    # peaks at the same resident memory with the collector paused, and runs 5-20% faster.
    with collector_paused():
        run_sync(g, dry_run=dry_run, as_json=as_json, strict=strict, since=day)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON on stdout.")
@click.option("--sprint", help="A sprint's name, or `latest` (default: the current sprint).")
@click.pass_obj
def status(g: Globals, as_json: bool, sprint: str | None) -> None:
    """Show the current train: sprint, ticket, counts, violations and draft state."""
    from bot.commands.status import run_status

    with collector_paused():
        run_status(g, as_json=as_json, sprint=sprint)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "slack", "jira"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE, not stdout."
)
@click.option("--sprint", help="A sprint's name, or `latest` (default: the current sprint).")
@click.pass_obj
def notes(g: Globals, fmt: str, output: Path | None, sprint: str | None) -> None:
    """Render the train's draft release notes."""
    from bot.commands.notes import run_notes

    with collector_paused():
        run_notes(g, fmt=fmt, output=output, sprint=sprint)


@cli.command()
@click.pass_obj
def draft(g: Globals) -> None:
    """Post the current draft to the train's Slack channel for approval (only when it changed)."""
    from bot.commands.draft import run_draft

    run_draft(g)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Print the digest (Markdown); post nothing.")
@click.pass_obj
def digest(g: Globals, dry_run: bool) -> None:
    """Post the sprint digest to the train's Slack channel now."""
    from bot.commands.digest import run_digest

    run_digest(g, dry_run=dry_run)


@cli.command()
@click.option("--online", is_flag=True, help="Also authenticate to every configured service.")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON on stdout.")
@click.pass_obj
def check(g: Globals, online: bool, as_json: bool) -> None:
    """Validate the configuration, templates, store and sources; one line per check."""
    from bot.commands.check import run_check

    run_check(g, online=online, as_json=as_json)


@cli.command()
@click.argument("change")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON on stdout.")
@click.pass_obj
def explain(g: Globals, change: str, as_json: bool) -> None:
    """Why a recorded CHANGE (its id, URL or short sha) got its release class."""
    from bot.commands.explain import run_explain

    run_explain(g, ref=change, as_json=as_json)


@cli.command()
@click.pass_obj
def serve(g: Globals) -> None:
    """Run the scheduler and the HTTP endpoints until SIGTERM or SIGINT."""
    from bot.commands.serve import run_serve

    run_serve(g)


@cli.command()
@click.option(
    "--path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write it (default: release-train.toml in the working directory).",
)
@click.pass_obj
def init(g: Globals, path: Path | None) -> None:
    """Write a commented starter configuration for the git repository in this folder."""
    from bot.commands.init import run_init

    run_init(path=path or g.config)


@cli.group()
def db() -> None:
    """Manage the store."""


@db.command()
@click.pass_obj
def upgrade(g: Globals) -> None:
    """Apply the store's schema migrations."""
    from bot.commands.db import run_upgrade

    run_upgrade(g)


def _fail(exc: BotError, *, verbose: bool) -> NoReturn:
    from bot.logs import masked

    if verbose:
        import traceback

        sys.stderr.write(masked("".join(traceback.format_exception(exc))))
    from bot.console import for_people

    text = for_people(masked(str(exc)).strip().splitlines()[0]) if str(exc).strip() else ""
    message = text or type(exc).__name__
    sys.stderr.write(f"release-train: error: {message}\n")
    sys.exit(exc.exit_code)


def main() -> None:
    """The console script: runs the group and maps every error to its exit code."""
    verbose = "-v" in sys.argv[1:] or "--verbose" in sys.argv[1:]
    try:
        # One program name however it was started (the console script or `python -m bot`), so
        # usage lines and shell completion (`_RELEASE_TRAIN_COMPLETE`) read the same.
        cli.main(standalone_mode=False, prog_name="release-train")
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as usage:
        usage.show()
        sys.exit(2 if usage.exit_code == 1 else usage.exit_code)
    except click.Abort:
        sys.stderr.write("release-train: aborted\n")
        sys.exit(130)
    except BotError as exc:
        _fail(exc, verbose=verbose)
    except KeyboardInterrupt:
        sys.stderr.write("release-train: interrupted\n")
        sys.exit(130)
    except Exception as exc:
        from bot.logs import masked

        if verbose:
            import traceback

            sys.stderr.write(masked("".join(traceback.format_exception(exc))))
        sys.stderr.write(
            f"release-train: unexpected error: {masked(type(exc).__name__ + ': ' + str(exc))}"
            " (run with --verbose for details)\n"
        )
        sys.exit(1)
