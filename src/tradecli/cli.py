"""The tradecli command line: parse arguments, call a query, hand the result to a renderer."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from tradecli import __version__
from tradecli.errors import DataError, ExitCode, TradecliError
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from tradecli.store import Store

DEBUG_ENV = "TRADECLI_DEBUG"

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too); 1 a name or id not found; 2 usage error; "
    "3 a fact file that cannot be read or is invalid; 4 internal error; 130 interrupted."
)


def report(message: str) -> None:
    """Write a message for people to stderr, with control characters made visible."""
    sys.stderr.write(visible(message, keep_newlines=True) + "\n")


def fail(error: TradecliError) -> NoReturn:
    """Report a domain error and exit with its documented code."""
    report(f"tradecli: {error.message}" if not isinstance(error, DataError) else error.message)
    if error.hint:
        report(f"hint: {error.hint}")
    raise typer.Exit(int(error.exit_code))


class _Group(TyperGroup):
    """Maps domain errors raised by any command to one message and a documented exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TradecliError as error:
            fail(error)


@dataclass
class Settings:
    """Global options, shared with every command through ``ctx.obj``."""

    data: str | None = None
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The fact store, loaded once on first use."""
        if self._store is None:
            from tradecli.store import load, resolve_path

            self._store = load(resolve_path(self.data))
        return self._store


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
    ctx.obj = Settings(data=data)


def settings(ctx: typer.Context) -> Settings:
    """The global settings of this invocation."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


@app.command(epilog=EXIT_CODES_HELP)
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Fact file to check; default: --data, $TRADECLI_DATA, or the bundled file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a fact file and list every problem in it.

    Valid: exit 0 and a one-line summary. Invalid: exit 3 and one line per problem, naming the
    file, the line, the JSON path, what is wrong and what is expected.

    Examples:

      tradecli validate

      tradecli validate my-facts.json
    """
    from tradecli.store import load, resolve_path

    target = path if path is not None else resolve_path(settings(ctx).data)
    store = load(target, hint=False)
    from tradecli.query import summary_counts

    counts = summary_counts(store)
    parts = ", ".join(f"{count} {name}" for name, count in counts.items())
    typer.echo(visible(f"{target}: valid: {parts}"))
    conflicts = store.facts.conflicts
    for conflict in conflicts:
        claims = ", ".join(conflict.claims)
        report(f"known conflict {conflict.id}: {conflict.topic} ({claims})")


@app.command(epilog=EXIT_CODES_HELP)
def schema() -> None:
    """Print the JSON Schema of the fact file.

    Editors use it to check and complete a fact file; data/facts.json names it with "$schema".

    Example:

      tradecli schema > facts.schema.json
    """
    import json

    from tradecli.schema import FactFile

    typer.echo(json.dumps(FactFile.model_json_schema(by_alias=True), indent=2))


def main() -> None:
    """Console-script entry point: run the app; no traceback reaches the user."""
    try:
        app(prog_name="tradecli")
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(int(ExitCode.OK))
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        report(
            f"tradecli: internal error: {type(error).__name__}: {error}\n"
            f"Set {DEBUG_ENV}=1 and run again for the full traceback, and report it."
        )
        sys.exit(int(ExitCode.INTERNAL))
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, send remaining output nowhere instead of failing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
