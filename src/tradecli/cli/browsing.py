"""tradecli browse: every fact full-screen (the program itself is ``tradecli.browse``)."""

from __future__ import annotations

from typing import Annotated

import typer

from tradecli.cli.context import settings
from tradecli.cli.options import (
    CertaintyOption,
    ConfirmedOption,
    SingleSourceOption,
    SourceOption,
    text_option,
)
from tradecli.cli.output import echo
from tradecli.errors import UsageError
from tradecli.query.dates import parse_day
from tradecli.textsafe import visible


def browse(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        text_option(
            "--as-of",
            "YYYY-MM-DD",
            "Show measures as they stood on this day (default: the newest source's date).",
        ),
    ] = None,
    print_: Annotated[
        bool,
        typer.Option(
            "--print",
            help="On leaving, print the id of the fact shown, e.g. tradecli show $(tradecli "
            "browse --print).",
        ),
    ] = False,
    source: SourceOption = None,
    certainty: CertaintyOption = None,
    confirmed: ConfirmedOption = False,
    single_source: SingleSourceOption = False,
) -> None:
    """Explore the facts full-screen: kinds, lists, each fact in full, its sources and links.

    Keys: / search, Enter open, Backspace back, a as-of day, s source filter, c copy the
    citation, ? help, q quit; Ctrl+P lists every action. It draws on the terminal (stderr), so
    stdout stays free for --print.

    Examples:

      tradecli browse

      tradecli browse --source ap --as-of 2026-03-02

      tradecli show $(tradecli browse --print)
    """
    import gc
    import sys

    given = settings(ctx)
    day = parse_day(as_of, what="--as-of") if as_of is not None else None
    terminal = all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stderr))
    if not terminal:
        raise UsageError(
            "browse needs a terminal: its stdin and stderr must be one",
            hint="run it in a terminal; for lines to pipe, use the other commands",
        )
    chosen, given.source = given.source, None  # the browser filters by source itself
    from tradecli.browse.app import run
    from tradecli.browse.model import Browser

    browser = Browser(given.store(), day=day, source=chosen)
    gc.enable()  # a session lasts: collect cycles, unlike a one-shot command (see __main__)
    shown = run(browser)
    if print_ and shown is not None:
        echo(visible(shown))
