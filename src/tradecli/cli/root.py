"""The Typer app: the global options and every command; it parses every command line.

Domain errors raised by any command become one message and a documented exit code
(``tradecli.errors.ExitCode``); option values are checked by ``tradecli.cli.params``, and a run
builds only the command it runs (``app_for``).
"""

from __future__ import annotations

import copy
import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tradecli import __version__
from tradecli.cli import browsing, citing, commands, measures
from tradecli.cli.context import EXIT_CODES_HELP, Settings, answering, silence_stdout
from tradecli.cli.export import export_app
from tradecli.cli.params import command_name, seed, seed_subcommand
from tradecli.errors import ExitCode

COMPLETION_ENV = "_TRADECLI_COMPLETE"
"""Set by the shell's completion script: the whole app answers it, with every command."""
# The global options (``_root``) that may come before the command: flags, and options that take
# a value. app_for skips them to find the command's name.
ROOT_FLAGS = frozenset({"--no-cache"})
ROOT_VALUES = frozenset({"--data"})


class _Group(TyperGroup):
    """Runs every command through ``context.answering``: a domain error becomes one message and
    a documented exit code, a closed pipe a quiet exit 0.

    Option values are checked by tradecli.cli.params, which spares each run Typer's pydantic import.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:  # --help written to a closed pipe
            silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        seed(self, ctx)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and command is not None:
            seed_subcommand(ctx, name, command)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        with answering():
            return super().invoke(ctx)


app = typer.Typer(
    cls=_Group,
    name="tradecli",
    help=(
        "Explore the facts of Canada-China trade relations around Mark Carney's January 2026 "
        "visit to Beijing, with the source of every fact.\n\n"
        "Examples:\n\n"
        "  tradecli tariffs\n\n"
        "  tradecli meetings --date 2026-01-15\n\n"
        "  tradecli quote carney\n\n"
        "  tradecli --data my-facts.json validate"
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tradecli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            metavar="PATH",
            help="Fact file to use instead of the bundled one (also $TRADECLI_DATA).",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help=(
                "Neither read nor write the search index kept in the cache directory "
                "($XDG_CACHE_HOME/tradecli); validate and load the file every time."
            ),
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    ctx.obj = Settings(data=data, cache=not no_cache)


COMMANDS = (
    commands.validate,
    commands.schema,
    measures.tariffs,
    measures.changes,
    commands.meetings,
    commands.quote,
    commands.people,
    commands.companies,
    commands.timeline,
    commands.search,
    commands.show,
    citing.sources,
    citing.cite,
    commands.statements,
    commands.summary,
    commands.open_,
    commands.conflicts,
    browsing.browse,
)
"""Every command, in the order ``tradecli --help`` lists them."""

for _command in COMMANDS:  # open_ is "open": its name would hide Python's open
    app.command(_command.__name__.rstrip("_"), epilog=EXIT_CODES_HELP)(_command)
app.add_typer(export_app, name="export")


def app_for(args: list[str]) -> typer.Typer:
    """The app, with only the command that ``args`` run when they plainly name one.

    Typer builds every command's options before it parses anything; a run needs only its own
    command's. Anything else (no command, a word that names none, --help or --version before the
    command, shell completion) gets the whole app, so its help, errors and suggestions are the
    same.
    """
    if COMPLETION_ENV in os.environ:
        return app
    words = iter(args)
    for word in words:
        if word in ROOT_VALUES:
            next(words, None)
        elif word in ROOT_FLAGS or word.split("=", 1)[0] in ROOT_VALUES:
            continue
        elif word.startswith("-"):
            return app
        else:
            return _only(word)
    return app


def _only(name: str) -> typer.Typer:
    """The app with one command or command group, or the whole app if none has this name."""
    commands = [info for info in app.registered_commands if command_name(info) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean
