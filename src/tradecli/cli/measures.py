"""tradecli tariffs: the trade measures, as they stood on a day, or as chains of responses."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from tradecli.cli.context import settings
from tradecli.cli.options import (
    complete_ids,
    listing,
    name_option,
    nothing,
    text_option,
    vocab_words,
    words_option,
)
from tradecli.cli.output import emit, on_terminal
from tradecli.errors import UsageError
from tradecli.facts.vocab import MeasureStatus
from tradecli.query.dates import parse_day
from tradecli.render import Format


@listing
def tariffs(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        name_option(
            "--by",
            "Only measures imposed by this country or body (or a body within it).",
            ("places", "organisations"),
        ),
    ] = None,
    on: Annotated[
        str | None,
        name_option(
            "--on", "Only measures aimed at this country or body.", ("places", "organisations")
        ),
    ] = None,
    product: Annotated[
        str | None,
        text_option("--product", "TEXT", "Only measures on a product containing this text."),
    ] = None,
    min_rate: Annotated[
        float | None,
        typer.Option(
            "--min-rate",
            min=0,
            metavar="PERCENT",
            help="Only measures with a rate of at least this percent.",
        ),
    ] = None,
    status: Annotated[
        str | None,
        words_option("--status", "measures with this status on the day shown", MeasureStatus),
    ] = None,
    as_of: Annotated[
        str | None,
        text_option(
            "--as-of",
            "YYYY-MM-DD",
            "Show each measure as it stood on this day (default: the newest source's "
            "date): status, rate, and changes that were only expected, never shown as "
            "confirmed unless a source confirms them.",
        ),
    ] = None,
    chain: Annotated[
        bool,
        typer.Option(
            "--chain",
            help=(
                "Show how the measures answer each other, following responds_to: a tree from "
                "each measure that responds to none of those listed, with the measures that "
                "respond to it beneath. A measure answering several appears under each; a "
                "repeat is marked and not expanded again. With -f json: nested objects {id, "
                "title, rate_percent, status, announced, in_force, responds_to, cut, "
                "responses}, where cut is null, repeat, cycle or continued. Piped, or with -f "
                "csv or markdown: one line per link (from, from title, to, to title), 'to' "
                "responding to 'from'; a measure answering none of those listed has an empty "
                "'from'."
            ),
        ),
    ] = False,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="ID",
            help="With --chain: only the chain from this measure, and what answers it in turn.",
            autocompletion=complete_ids,
        ),
    ] = None,
) -> None:
    """List tariffs and other trade measures: who on whom, rate, status and since when.

    Each measure is shown as it stood on the newest source's date (or --as-of): a rate a source
    does not give is "not given", never guessed, and a change that is only expected is listed
    apart, never as the rate.

    Examples:

      tradecli tariffs --by china --product canola

      tradecli tariffs --status suspended,lifted

      tradecli tariffs --as-of 2026-03-02

      tradecli tariffs --chain --from canada-ev-surtax

      tradecli tariffs --min-rate 50 -f csv
    """
    from tradecli.present.measures import tariff_listing
    from tradecli.query import measures, names
    from tradecli.query.sources import newest_source

    if chain and as_of is not None:
        raise UsageError("--chain cannot be combined with --as-of; use one or the other")
    if start is not None and not chain:
        raise UsageError("--from picks where a chain starts; give --chain too")
    wanted = set(vocab_words(status, MeasureStatus, option="--status")) if status else set()
    if chain and wanted:
        raise UsageError("--chain cannot be combined with --status; use one or the other")
    store = settings(ctx).store()
    places = ("places", "organisations")
    imposer = names.resolve(store, by, collections=places).id if by is not None else None
    target = names.resolve(store, on, collections=places).id if on is not None else None
    found = measures.tariffs(
        store, imposer=imposer, target=target, product=product, min_rate=min_rate
    )
    empty = nothing(
        ctx, "measures", by=by, on=on, product=product, min_rate=min_rate, status=status
    )
    if chain:
        _chains(ctx, found.items, start, empty=empty, notes=found.notes)
        return
    newest = newest_source(store)
    if as_of is not None:
        day = parse_day(as_of, what="--as-of")
    elif newest is not None and newest.as_of is not None:
        day = newest.as_of.first_day()
    else:
        day = date.today()
    states = measures.tariffs_as_of(store, found, day)
    chosen = [state.measure for state in states.items if not wanted or state.status in wanted]
    held = measures.expectations(store, day)
    listing = tariff_listing(store, chosen, day, newest=as_of is None, expected=held)
    if as_of is not None and not states.items:
        empty = f"no measures in place on {day}"
    emit(ctx, listing, empty=empty, notes=states.notes)


def _chains(
    ctx: typer.Context, found: list[Any], start: str | None, *, empty: str, notes: list[str]
) -> None:
    from tradecli.present.views import chain_listing, chain_view
    from tradecli.query.chains import from_measure, response_chains

    store = settings(ctx).store()
    if start is not None:
        from tradecli.query import names

        _collection, item = names.fact(store, start)  # not a fact at all: close ids suggested
        first = next((measure for measure in found if measure.id == item.id), None)
        if first is None:
            raise UsageError(
                f"--from {start!r} is not one of the measures listed",
                hint="give the id of a measure, and leave out filters that exclude it",
            )
        found = from_measure(found, first)
    chains = response_chains(found)
    view = chain_view(store, chains, found) if settings(ctx).fmt is Format.TABLE else None
    given = settings(ctx)
    exporting = given.export_svg is not None or given.export_html is not None
    if view is not None and not given.long and not exporting and not on_terminal():
        view = None  # piped: a line per link, for line tools
    emit(ctx, chain_listing(chains, found), empty=empty, notes=notes, view=view)


def _window_day(text: str, option: str, *, last: bool) -> date:
    """The first (or, with ``last``, the last) day a window option names: YYYY, YYYY-MM,
    YYYY-MM-DD or today."""
    from tradecli.cli.options import parse_date

    if text.strip().lower() == "today":
        return date.today()
    when = parse_date(text, option=option)
    return when.last_day() if last else when.first_day()


@listing
def changes(
    ctx: typer.Context,
    since: Annotated[
        str,
        text_option(
            "--since",
            "DATE",
            "The first day to look at: YYYY-MM-DD, a month (YYYY-MM), a year, or today.",
        ),
    ],
    until: Annotated[
        str | None,
        text_option(
            "--until",
            "DATE",
            "The last day to look at (default: today); a month or year means its last day.",
        ),
    ] = None,
) -> None:
    """List what changed: each measure whose state changed in a window, before → after, with
    the date and outlets of the step that changed it.

    A state is what `tradecli tariffs --as-of DAY` shows; a change is a difference between a
    day and the day before. A step known only to the month counts from that month's last day,
    as for --as-of. A state that ends on a known day (a suspension to 2026-12-31) changes to
    "not known" the day after: the store does not know what came next.

    Examples:

      tradecli changes --since 2026-01-01

      tradecli changes --since 2026-03 --until 2026-03

      tradecli changes --since 2026-06-01 --until today -f json
    """
    from tradecli.present.measures import changes_listing
    from tradecli.query.changes import changes as changes_in

    start = _window_day(since, "--since", last=False)
    end = _window_day(until, "--until", last=True) if until is not None else date.today()
    if end < start:
        raise UsageError(f"--until {until} is before --since {since}")
    store = settings(ctx).store()
    found = changes_in(store, start, end)
    empty = nothing(ctx, "changes", since=since, until=until)
    emit(ctx, changes_listing(store, found, start, end), empty=empty, notes=found.notes)
