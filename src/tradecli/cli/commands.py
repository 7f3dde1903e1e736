"""The commands: each parses its options, asks a query, and hands the answer to a renderer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tradecli.cli.context import report, settings
from tradecli.cli.options import (
    Since,
    Until,
    complete_entities,
    complete_ids,
    date_window,
    event_status,
    filters,
    listing,
    parse_day,
)
from tradecli.cli.output import emit
from tradecli.errors import NotFoundError, UsageError
from tradecli.facts.vocab import EventStatus
from tradecli.render import Format
from tradecli.textsafe import visible

COMMANDS: list[Callable[..., Any]] = []
"""Every command, in the order ``tradecli --help`` lists them."""


def command(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register a command (``tradecli.cli.root`` adds each to the app)."""
    COMMANDS.append(function)
    return function


complete_people = complete_entities(("people",))
complete_organisations = complete_entities(("organisations",))
complete_actors = complete_entities(("people", "organisations"))
complete_jurisdictions = complete_entities(("places", "organisations"))


@command
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
    store = load(target, hint=False, cache=False)  # validate always checks, never trusts a cache
    from tradecli.query.summary import summary_counts

    counts = summary_counts(store)
    parts = ", ".join(f"{count} {name}" for name, count in counts.items())
    typer.echo(visible(f"{target}: valid: {parts}"))
    conflicts = store.facts.conflicts
    for conflict in conflicts:
        claims = ", ".join(conflict.claims)
        report(f"known conflict {conflict.id}: {conflict.topic} ({claims})")


@command
def schema() -> None:
    """Print the JSON Schema of the fact file.

    Editors use it to check and complete a fact file; data/facts.json names it with "$schema".

    Example:

      tradecli schema > facts.schema.json
    """
    import json

    from tradecli.load.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@command
@listing
def tariffs(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Only measures imposed by this country or body (or a body within it).",
            autocompletion=complete_jurisdictions,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Only measures aimed at this country or body.",
            autocompletion=complete_jurisdictions,
        ),
    ] = None,
    product: Annotated[
        str | None,
        typer.Option("--product", help="Only measures on a product containing this text."),
    ] = None,
    min_rate: Annotated[
        float | None,
        typer.Option(
            "--min-rate", min=0, help="Only measures with a rate of at least this percent."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help=(
                "Show each measure as it stood on this day: status, rate, and changes that "
                "were only expected (never shown as confirmed unless a source confirms them)."
            ),
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
                "responses}, where cut is null, repeat, cycle or continued. With -f csv or "
                "markdown: one row per link (from, from title, to, to title), 'to' responding "
                "to 'from'; a measure answering none of those listed has an empty 'from'."
            ),
        ),
    ] = False,
) -> None:
    """List tariffs and other trade measures: who imposes them on whom, on what, at what rate, why.

    A rate a source does not give is shown as "not given", never guessed.

    Examples:

      tradecli tariffs --by china --product canola

      tradecli tariffs --min-rate 50 -f csv

      tradecli tariffs --as-of 2026-03-02

      tradecli tariffs --chain --product canola
    """
    from tradecli.present.rows import as_of_listing, tariff_listing
    from tradecli.query import measures, names

    if chain and as_of is not None:
        raise UsageError("--chain cannot be combined with --as-of; use one or the other")
    store = settings(ctx).store()
    places = ("places", "organisations")
    imposer = names.resolve(store, by, collections=places).id if by is not None else None
    target = names.resolve(store, on, collections=places).id if on is not None else None
    found = measures.tariffs(
        store, imposer=imposer, target=target, product=product, min_rate=min_rate
    )
    empty = f"no measures match {filters(by=by, on=on, product=product, min_rate=min_rate)}"
    if chain:
        from tradecli.present.views import chain_listing, chain_view
        from tradecli.query.chains import response_chains

        chains = response_chains(found.items)
        view = chain_view(store, chains, found.items) if settings(ctx).fmt is Format.TABLE else None
        emit(ctx, chain_listing(chains, found.items), empty=empty, notes=found.notes, view=view)
        return
    if as_of is None:
        emit(ctx, tariff_listing(store, found), empty=empty, notes=found.notes)
        return
    day = parse_day(as_of, option="--as-of")
    states = measures.tariffs_as_of(store, found, day.first_day())
    held = measures.expectations(store, day.first_day())
    listing = as_of_listing(store, states, day.first_day(), held)
    emit(ctx, listing, empty=f"no measures in place on {day}", notes=states.notes)


@command
@listing
def meetings(
    ctx: typer.Context,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="Only meetings on this date: YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    with_: Annotated[
        str | None,
        typer.Option(
            "--with",
            metavar="NAME",
            help="Only meetings with this person or organisation.",
            autocompletion=complete_actors,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="Only meetings with this status: "
            + ", ".join(status.value for status in EventStatus)
            + ".",
        ),
    ] = None,
) -> None:
    """List meetings: date, participants, place, status and topics.

    A meeting known only to the month is matched by a window holding the whole month; a narrower
    window does not match it, and a note on stderr says so.

    Examples:

      tradecli meetings --date 2026-01-15

      tradecli meetings --with "li qiang" --status held
    """
    from tradecli.present.rows import meeting_listing
    from tradecli.query import events, names

    window = date_window(on=on, since=since, until=until)
    store = settings(ctx).store()
    who = names.resolve(store, with_, collections=names.ACTORS).id if with_ is not None else None
    wanted = event_status(status) if status is not None else None
    found = events.meetings(store, window=window, participant=who, status=wanted)
    empty = "no meetings match " + filters(
        date=on, since=since, until=until, with_=with_, status=status
    )
    emit(ctx, meeting_listing(store, found), empty=empty, notes=found.notes)


@command
@listing
def quote(
    ctx: typer.Context,
    speaker: Annotated[
        str | None,
        typer.Argument(
            help=(
                "Only quotes by this person or organisation (any name, surname or id), or by a "
                "speaker a source only describes (words of that description, e.g. readout)."
            ),
            show_default=False,
            autocompletion=complete_actors,
        ),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", help="Only quotes whose subject or words hold these words."),
    ] = None,
) -> None:
    """List quotes with their date, occasion and attribution.

    SPEAKER is a person or organisation, or words of how a source describes an unnamed speaker
    (e.g. "readout").

    Examples:

      tradecli quote carney

      tradecli quote readout

      tradecli quote --about agriculture -f json
    """
    from tradecli.present.rows import quote_listing
    from tradecli.query import names, quotes

    store = settings(ctx).store()
    who = described = None
    if speaker is not None:
        try:
            who = names.resolve(store, speaker, collections=names.ACTORS).id
        except NotFoundError:
            # A speaker no entity names, such as "readout": quotes described that way.
            if not quotes.quotes(store, described=speaker).items:
                raise
            described = speaker
    found = quotes.quotes(store, speaker=who, described=described, about=about)
    empty = f"no quotes by {speaker}" if speaker is not None else "no quotes"
    if about is not None:
        empty += f" about {about!r}"
    emit(ctx, quote_listing(store, found), empty=empty)


def _entities(ctx: typer.Context, collection: str, name: str | None) -> None:
    from tradecli.present.rows import detail_listing, entity_listing
    from tradecli.query import names

    store = settings(ctx).store()
    if name is None:
        emit(
            ctx,
            entity_listing(store, collection, store.items(collection)),
            empty=f"no {collection}",
        )
        return
    entity = names.resolve(store, name, collections=(collection,))
    emit(ctx, detail_listing(store, entity.id), empty="")


@command
@listing
def people(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="A person to show in full, with every fact linked to them.",
            show_default=False,
            autocompletion=complete_people,
        ),
    ] = None,
) -> None:
    """List the people named in the facts, or show one with everything linked to them.

    Examples:

      tradecli people

      tradecli people "li qiang"
    """
    _entities(ctx, "people", name)


@command
@listing
def companies(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="A company or body to show in full, with every fact linked to it.",
            show_default=False,
            autocompletion=complete_organisations,
        ),
    ] = None,
) -> None:
    """List the companies and state bodies named in the facts, or show one in full.

    Examples:

      tradecli companies

      tradecli companies catl
    """
    _entities(ctx, "organisations", name)


@command
@listing
def timeline(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
) -> None:
    """List every dated event and step of a trade measure, earliest first.

    The table is a timeline by year and month, with a heading for each day of the visit's
    months. An entry known only to the month or the year is drawn as a span of all of it
    (e.g. "2018-12 (whole month)"); the ids in brackets are its sources. JSON, CSV and Markdown
    give one row per entry.

    Examples:

      tradecli timeline

      tradecli timeline --since 2024 --until 2025-06

      tradecli timeline --since 2026 --export-svg timeline.svg
    """
    from tradecli.present.rows import timeline_listing
    from tradecli.query import events

    window = date_window(since=since, until=until)
    store = settings(ctx).store()
    found = events.timeline(store, window=window)
    empty = f"nothing dated matches {filters(since=since, until=until)}"
    view = None
    if settings(ctx).fmt is Format.TABLE:
        from tradecli.present.views import timeline_view

        view = timeline_view(store, found)
    emit(ctx, timeline_listing(found), empty=empty, notes=found.notes, view=view)


@command
@listing
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS...",
            help='Words to look for, in any case or accent; "a phrase" in quotes; word* a prefix.',
        ),
    ],
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=0, help="Show at most this many matches; 0 for all."),
    ] = 20,
) -> None:
    """Search every fact and entity for words; best matches first, matched words highlighted.

    A match holds every word (or its plural: "tariff" finds "tariffs", "Xi" does not find
    "Xian"); a word ending in * matches every word it begins; a quoted phrase matches its words
    in a row. The score counts the hits, a hit in a name, alias, title or id three times.

    Examples:

      tradecli search canola oil

      tradecli search '"electric vehicles"' -f json

      tradecli search tarif* --limit 0 -f csv
    """
    from tradecli.present.rows import search_listing
    from tradecli.query.search import search_best
    from tradecli.words import search_terms

    text = " ".join(words)
    store = settings(ctx).store()
    total, hits = search_best(store, text, limit=limit)
    notes = []
    if len(hits) < total:
        notes.append(f"note: showing the best {len(hits)} of {total} matches; --limit 0 shows all")
    listing = search_listing(store, hits, search_terms(text))
    emit(ctx, listing, empty=f"nothing matches {text!r}", notes=notes)


@command
@listing
def show(
    ctx: typer.Context,
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The id of a fact, or the name of an entity.",
            autocompletion=complete_ids,
        ),
    ],
) -> None:
    """Show one fact or entity in full: every field, its evidence and sources, and linked facts.

    Examples:

      tradecli show canada-ev-surtax

      tradecli show carney -f json
    """
    from tradecli.present.rows import detail_listing
    from tradecli.query import names

    store = settings(ctx).store()
    _collection, item = names.fact(store, fact_id)
    emit(ctx, detail_listing(store, item.id), empty="")


@command
@listing
def sources(
    ctx: typer.Context,
) -> None:
    """List the sources, and how many facts cite each.

    Examples:

      tradecli sources

      tradecli sources -f csv > sources.csv
    """
    from tradecli.present.rows import source_listing
    from tradecli.query.links import source_citations
    from tradecli.query.sources import newest_source

    store = settings(ctx).store()
    newest = newest_source(store)
    notes = []
    if newest is not None:
        outlet = f" ({newest.outlet})" if newest.outlet else ""
        notes.append(
            f"note: the newest source is dated {newest.published}{outlet}; "
            "the store knows nothing published after it"
        )
    emit(ctx, source_listing(store, source_citations(store)), empty="no sources", notes=notes)


@command
@listing
def summary(
    ctx: typer.Context,
) -> None:
    """Show the visit at a glance: who, where, when, the measures and figures, and fact counts.

    Examples:

      tradecli summary

      tradecli summary -f markdown
    """
    from tradecli.present.rows import summary_listing
    from tradecli.query.summary import summary as summarise

    store = settings(ctx).store()
    emit(ctx, summary_listing(store, summarise(store)), empty="no facts")


@command
@listing
def conflicts(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            help="Only conflicts whose topic holds these words (e.g. canola).", show_default=False
        ),
    ] = None,
) -> None:
    """Show where sources disagree: each claim side by side, with the sources that make it.

    The store keeps every claim with its own source rather than choosing one.

    Examples:

      tradecli conflicts

      tradecli conflicts canola -f json
    """
    from tradecli.present.rows import conflict_listing
    from tradecli.query.sources import conflicts as conflicts_about

    store = settings(ctx).store()
    views = conflicts_about(store, topic=topic)
    empty = f"no conflicts about {topic!r}" if topic else "no known conflicts"
    emit(ctx, conflict_listing(store, views), empty=empty)
