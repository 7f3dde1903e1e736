"""What every command shares: the global settings, the store they name, and messages to people."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tradecli.errors import DataError, ExitCode, TradecliError
from tradecli.render import Format
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from typer import Context

    from tradecli.facts.vocab import Certainty
    from tradecli.store import Store

DEBUG_ENV = "TRADECLI_DEBUG"

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too); 1 a name or id not found; 2 usage error; "
    "3 a fact file that cannot be read or is invalid; 4 internal error; 130 interrupted."
)


def report(*lines: str) -> None:
    """Write each line of a message for people to stderr, every control character made visible.

    A newline inside a line, which can only come from a path or the data, is shown as ``\\x0a``:
    a fact file cannot start a line of its own, such as a fake "facts.json: valid".
    """
    stream = sys.stderr
    if stream is None:  # no stderr at all (a closed one is /dev/null since main())
        return
    try:
        stream.write("".join(visible(line) + "\n" for line in lines))
        stream.flush()
    except (OSError, ValueError):
        pass  # nobody can read stderr (a closed pipe, a full disk); the exit code still tells


def fail(error: TradecliError) -> NoReturn:
    """Report a domain error, one line per problem, and exit with its documented code.

    The exit is a SystemExit, which Typer lets through.
    """
    if isinstance(error, DataError):
        report(*(problem.render(error.file) for problem in error.problems))
    else:
        report(f"tradecli: {error.message}")
    if error.hint:
        report(f"hint: {error.hint}")
    raise SystemExit(int(error.exit_code))


@contextmanager
def answering() -> Iterator[None]:
    """Run a command: a domain error becomes its message and exit code, a closed pipe exit 0.

    When the reader of stdout goes away (``tradecli tariffs | head -1``), the rest of the output
    is dropped and tradecli exits 0, quietly, as Click would otherwise exit 1.
    """
    try:
        yield
    except TradecliError as error:
        fail(error)
    except BrokenPipeError:
        silence_stdout()
        raise SystemExit(int(ExitCode.OK)) from None
    except SystemExit as error:
        # Rich's Console ends a broken pipe with SystemExit(1); end it like any other: 0.
        if isinstance(error.__context__, BrokenPipeError):
            raise SystemExit(int(ExitCode.OK)) from None
        raise


def silence_stdout() -> None:
    """After the reader of a pipe has gone, send remaining output nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no file descriptor, e.g. a test runner's buffer
        sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115


@dataclass
class Settings:
    """Global options and the options every listing shares, kept on the root ``ctx.obj``."""

    data: str | None = None
    cache: bool = True
    source: str | None = None
    certainty: frozenset[Certainty] = frozenset()
    sourcing: str | None = None  # "confirmed" or "single": --confirmed or --single-source
    long: bool = False
    fmt: Format = Format.TABLE
    export_svg: Path | None = None
    export_html: Path | None = None
    export_title: str = "tradecli"
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The fact store, loaded once on first use, restricted to ``--source``,
        ``--certainty``, ``--confirmed`` or ``--single-source`` when given."""
        if self._store is None:
            from tradecli.store import load, resolve_path

            self._store = load(resolve_path(self.data), cache=self.cache, progress=indexing)
            if self.source is not None:
                from tradecli.query.sources import restrict_to_sources, sources_matching

                chosen = sources_matching(self._store, self.source)
                self._store = restrict_to_sources(self._store, chosen)
            if self.certainty:
                from tradecli.query.sources import restrict_to_certainty

                self._store = restrict_to_certainty(self._store, set(self.certainty))
            if self.sourcing is not None:
                from tradecli.query.sources import restrict_to_support

                self._store = restrict_to_support(
                    self._store, confirmed=self.sourcing == "confirmed"
                )
        return self._store


_PROGRESS_FROM = 20_000  # facts: a smaller file is indexed in a moment


@contextmanager
def indexing(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr while a large file is indexed, when stderr is a terminal."""
    if total < _PROGRESS_FROM or sys.stderr is None or not sys.stderr.isatty():
        yield lambda count: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("indexing facts (once per file)", total=total)
        yield lambda count: progress.advance(task, count)


def settings(ctx: Context) -> Settings:
    """The global settings of this invocation."""
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):  # a command run without the root callback, as in tests
        obj = ctx.find_root().obj = Settings()
    return obj
