"""The tradecli app: global options, every command, and an entry point that never shows a traceback.

Domain errors raised by any command become one message and a documented exit code
(``tradecli.errors.ExitCode``); option values are checked by ``tradecli.cli.params``.
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tradecli import __version__
from tradecli.cli.commands import COMMANDS
from tradecli.cli.context import DEBUG_ENV, EXIT_CODES_HELP, Settings, fail, report
from tradecli.cli.export import export_app
from tradecli.cli.params import command_name, seed, seed_subcommand
from tradecli.errors import ExitCode, TradecliError
from tradecli.textsafe import visible


class _Group(TyperGroup):
    """Maps domain errors raised by any command to one message and a documented exit code.

    When the reader of stdout goes away (``tradecli tariffs | head -1``), the rest of the output
    is dropped and tradecli exits 0, quietly, as Click would otherwise exit 1.

    Option values are checked by tradecli.cli.params, which spares each run Typer's pydantic import.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:  # --help written to a closed pipe
            _silence_stdout()
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
        try:
            return super().invoke(ctx)
        except TradecliError as error:
            fail(error)
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        except SystemExit as error:
            # Rich's Console ends a broken pipe with SystemExit(1); end it like any other: 0.
            if isinstance(error.__context__, BrokenPipeError):
                raise typer.Exit(int(ExitCode.OK)) from None
            raise


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


for _command in COMMANDS:
    app.command(epilog=EXIT_CODES_HELP)(_command)
app.add_typer(export_app, name="export")


# Global options that take a value, so the word after them is not a command's name.
_GLOBAL_VALUE_OPTIONS = frozenset({"--data"})
_GLOBAL_FLAGS = frozenset({"--no-cache"})


def app_for(args: list[str]) -> typer.Typer:
    """The app, with only the command that ``args`` run when they plainly name one.

    Typer builds every command's options before it parses anything; a run needs only its own
    command's. Anything else (no command, a word that names none, --help or --version before the
    command, shell completion) gets the whole app, so its help, errors and suggestions are the
    same.
    """
    if "_TRADECLI_COMPLETE" in os.environ:
        return app
    words = iter(args)
    for word in words:
        if word in _GLOBAL_VALUE_OPTIONS:
            next(words, None)
        elif word in _GLOBAL_FLAGS or word.split("=", 1)[0] in _GLOBAL_VALUE_OPTIONS:
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


def main() -> None:
    """Console-script entry point: run the app; no traceback reaches the user.

    Ctrl-C exits 130 and a closed pipe 0, both quietly. Any other unexpected exception is one line
    on stderr and exit 4; with TRADECLI_DEBUG=1 the traceback (never local variables) is shown.
    A closed stdout or stderr (``>&-``, ``2>&-``) is /dev/null for the run: the output or the
    messages go nowhere, and the exit code is what it would have been.
    """
    import codecs
    import io

    _open_closed_streams()
    for stream in (sys.stdout, sys.stderr):
        # Redirected output is UTF-8 whatever the locale, so a Chinese name cannot crash a
        # Windows console's cp1252 pipe; a terminal keeps its encoding and shows an escape.
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            if stream.isatty():
                stream.reconfigure(errors="backslashreplace")
            else:
                stream.reconfigure(encoding="utf-8")
    try:
        app_for(sys.argv[1:])(prog_name="tradecli")
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(int(ExitCode.OK))
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            import traceback

            report(*"".join(traceback.format_exception(error)).rstrip("\n").split("\n"))
        else:
            detail = visible(str(error))
            if len(detail) > 120:
                detail = detail[:117] + "..."
            report(
                f"tradecli: internal error ({type(error).__name__}: {detail}); "
                f"run again with {DEBUG_ENV}=1 to see the traceback, and please report it"
            )
        sys.exit(int(ExitCode.INTERNAL))
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


def _open_closed_streams() -> None:
    """Give a closed stdin, stdout or stderr /dev/null, so that every write has somewhere to go.

    Without it Python has no ``sys.stdout`` at all, and the next file tradecli opens (the fact
    file, the index) would take the stream's number, where a stray write would land.
    """
    for number, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(number)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            if opened != number:
                os.dup2(opened, number)
                os.close(opened)
            if getattr(sys, name) is None:
                setattr(sys, name, open(number, mode, encoding="utf-8", closefd=False))  # noqa: SIM115


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, send remaining output nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no file descriptor, e.g. a test runner's buffer
        sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115
