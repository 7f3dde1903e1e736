"""What every command shares: the global settings, the store they name, and messages to people."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from tradecli.errors import DataError, TradecliError
from tradecli.render import Format
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
    try:
        sys.stderr.write(visible(message, keep_newlines=True) + "\n")
        sys.stderr.flush()
    except BrokenPipeError:
        pass  # nobody reads stderr any more; the exit code still tells what happened


def fail(error: TradecliError) -> NoReturn:
    """Report a domain error and exit with its documented code."""
    report(f"tradecli: {error.message}" if not isinstance(error, DataError) else error.message)
    if error.hint:
        report(f"hint: {error.hint}")
    raise typer.Exit(int(error.exit_code))


@dataclass
class Settings:
    """Global options and the options every listing shares, kept on the root ``ctx.obj``."""

    data: str | None = None
    cache: bool = True
    source: str | None = None
    fmt: Format = Format.TABLE
    export_svg: Path | None = None
    export_html: Path | None = None
    export_title: str = "tradecli"
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The fact store, loaded once on first use, restricted to ``--source`` when given."""
        if self._store is None:
            from tradecli.store import load, resolve_path

            self._store = load(resolve_path(self.data), cache=self.cache)
            if self.source is not None:
                from tradecli.query.sources import restrict_to_source

                self._store = restrict_to_source(self._store, self.source)
        return self._store


def settings(ctx: typer.Context) -> Settings:
    """The global settings of this invocation."""
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):  # a command run without the root callback, as in tests
        obj = ctx.find_root().obj = Settings()
    return obj
