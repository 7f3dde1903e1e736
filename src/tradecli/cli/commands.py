"""The commands: each parses its options, asks a query, and hands the answer to a renderer.

The measures' commands are in ``cli.measures``, sources and cite in ``cli.citing``, the
full-screen browser's in ``cli.browsing``, the export's in ``cli.export``; ``cli.root`` lists
them all in the order ``tradecli --help`` gives.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tradecli.cli.context import report, settings
from tradecli.cli.options import (
    Since,
    Until,
    date_window,
    event_status,
    filters,
    id_argument,
    listing,
    name_argument,
    name_option,
    nothing,
    side_option,
    text_option,
    vocab_words,
    words_option,
)
from tradecli.cli.output import echo, emit, on_terminal
from tradecli.errors import NotFoundError, UsageError
from tradecli.facts.vocab import Channel, EventStatus, StatementKind
from tradecli.render import Format
from tradecli.textsafe import visible


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

    Valid: exit 0 and a one-line summary; on stderr, warnings of what a careful editor would
    flag (a reprint whose original outlet is unknown, a fact resting only on a blog or
    aggregator, an expectation with a due date and no holder) and the known conflicts. Invalid:
    exit 3 and one line per problem, naming the file, the line, the JSON path, what is wrong
    and what is expected.

    Examples:

      tradecli validate

      tradecli validate my-facts.json
    """
    from collections import Counter

    from tradecli.facts.kinds import COLLECTIONS
    from tradecli.load.validate import reviewed
    from tradecli.store import resolve_path

    target = path if path is not None else resolve_path(settings(ctx).data)
    facts, warnings = reviewed(target)  # validate always checks, never trusts a cache
    counted = Counter(collection for collection, _record, _json in facts)
    parts = ", ".join(f"{counted[name]} {name}" for name in COLLECTIONS)
    echo(visible(f"{target}: valid: {parts}"))
    for warning in warnings:
        report(f"warning: {warning.render(str(target))}")
    for conflict in (record for collection, record, _json in facts if collection == "conflicts"):
        claims = ", ".join(conflict.claims)
        report(f"known conflict {conflict.id}: {conflict.topic} ({claims})")


def schema() -> None:
    """Print the JSON Schema of the fact file.

    Editors use it to check and complete a fact file; data/facts.json names it with "$schema".

    Example:

      tradecli schema > facts.schema.json
    """
    import json

    from tradecli.load.schema import json_schema

    echo(json.dumps(json_schema(), indent=2))


@listing
def meetings(
    ctx: typer.Context,
    on: Annotated[
        str | None,
        text_option("--date", "DATE", "Only meetings on this date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    since: Since = None,
    until: Until = None,
    with_: Annotated[
        str | None,
        name_option(
            "--with", "Only meetings with this person or organisation.", ("people", "organisations")
        ),
    ] = None,
    status: Annotated[
        str | None,
        text_option(
            "--status",
            "STATUS",
            "Only meetings with this status: "
            + ", ".join(status.value for status in EventStatus)
            + ".",
            words=EventStatus,
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
    from tradecli.present.lists import meeting_listing
    from tradecli.query import events, names

    window = date_window(on=on, since=since, until=until)
    store = settings(ctx).store()
    who = names.resolve(store, with_, collections=names.ACTORS).id if with_ is not None else None
    wanted = event_status(status) if status is not None else None
    found = events.meetings(store, window=window, participant=who, status=wanted)
    empty = nothing(ctx, "meetings", date=on, since=since, until=until, with_=with_, status=status)
    emit(ctx, meeting_listing(store, found), empty=empty, notes=found.notes)


@listing
def quote(
    ctx: typer.Context,
    speaker: Annotated[
        str | None,
        name_argument(
            "Only quotes by this person or organisation (any name, surname or id), or by a "
            "speaker a source only describes (words of that description, e.g. readout).",
            ("people", "organisations"),
        ),
    ] = None,
    about: Annotated[
        str | None,
        text_option("--about", "WORDS", "Only quotes whose subject or words hold these words."),
    ] = None,
    channel: Annotated[
        str | None, words_option("--channel", "quotes said this way", Channel)
    ] = None,
    side: Annotated[str | None, side_option("quotes by speakers")] = None,
) -> None:
    """List quotes: who said what, when, how, and which outlets report it.

    SPEAKER is a person or organisation, or words of how a source describes an unnamed speaker
    (e.g. "readout").

    Examples:

      tradecli quote carney

      tradecli quote readout

      tradecli quote --channel social_media

      tradecli quote --side china

      tradecli quote --about agriculture -f json
    """
    from tradecli.present.lists import quote_listing
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
    ways = vocab_words(channel, Channel, option="--channel") if channel is not None else []
    place = names.country(store, side) if side is not None else None
    found = quotes.quotes(
        store, speaker=who, described=described, about=about, channels=ways, side=place
    )
    by = f"quotes by {visible(speaker)}" if speaker is not None else "quotes"
    empty = nothing(ctx, by, about=about, channel=channel, side=side)
    emit(ctx, quote_listing(store, found), empty=empty, notes=found.notes)


def _entities(ctx: typer.Context, collection: str, name: str | None, side: str | None) -> None:
    from tradecli.present.lists import detail_listing, entity_listing
    from tradecli.query import names

    store = settings(ctx).store()
    if name is None:
        items, notes = store.items(collection), list[str]()
        if side is not None:
            what = (collection if collection == "people" else "bodies", "them")
            place = names.country(store, side)
            items, notes = names.on_side(store, items, lambda item: item.id, place, what)
        emit(
            ctx,
            entity_listing(store, collection, items),
            empty=nothing(ctx, collection, side=side),
            notes=notes,
        )
        return
    if side is not None:
        raise UsageError("--side lists people or bodies; leave it out to show one by name")
    entity = names.resolve(store, name, collections=(collection,))
    emit(ctx, detail_listing(store, entity.id), empty="")


@listing
def people(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        name_argument("A person to show in full, with every fact linked to them.", ("people",)),
    ] = None,
    side: Annotated[str | None, side_option("people")] = None,
) -> None:
    """List the people named in the facts, or show one with everything linked to them.

    Examples:

      tradecli people

      tradecli people --side china

      tradecli people "li qiang"
    """
    _entities(ctx, "people", name, side)


@listing
def companies(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        name_argument(
            "A company or body to show in full, with every fact linked to it.", ("organisations",)
        ),
    ] = None,
    side: Annotated[str | None, side_option("companies and bodies")] = None,
) -> None:
    """List the companies and state bodies named in the facts, or show one in full.

    Examples:

      tradecli companies

      tradecli companies catl
    """
    _entities(ctx, "organisations", name, side)


@listing
def timeline(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    with_: Annotated[
        str | None,
        name_option(
            "--with",
            "Only what involves this person, organisation or place (any field naming it).",
            ("people", "organisations", "places"),
        ),
    ] = None,
) -> None:
    """List every dated event and step of a trade measure, earliest first, a line each.

    A change only expected, claimed or threatened is marked as such. An entry known only to the
    month or the year shows that precision (e.g. "2018-12"). --long draws a tree of years,
    months and the days of the visit's months.

    Examples:

      tradecli timeline --since 2026

      tradecli timeline --with "li qiang"

      tradecli timeline --since 2024 --until 2025-06 --long

      tradecli timeline --since 2026 --long --export-svg timeline.svg
    """
    from tradecli.present.lists import timeline_listing
    from tradecli.query import events, names

    window = date_window(since=since, until=until)
    store = settings(ctx).store()
    found = events.timeline(store, window=window)
    if with_ is not None:
        who = names.resolve(store, with_, collections=("people", "organisations", "places"))
        involved = {item.id for _collection, item, _field in store.referrers(who.id)}
        found = found._replace(items=[e for e in found.items if e.fact.id in involved])
    empty = nothing(ctx, "dated facts", since=since, until=until, with_=with_)
    view = None
    if settings(ctx).fmt is Format.TABLE and settings(ctx).long:
        from tradecli.present.views import timeline_view

        view = timeline_view(store, found)
    emit(ctx, timeline_listing(store, found), empty=empty, notes=found.notes, view=view)


@listing
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[WORDS]...",
            help='Words to look for, in any case or accent; "a phrase" in quotes; word* a prefix. '
            "Without words, --certainty, --confirmed, --single-source or --source lists every "
            "fact they keep, of every kind.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most this many matches; 0 for all."
        ),
    ] = 20,
) -> None:
    """Search every fact and entity for words; best matches first, each with its text and sources.

    A match holds every word (or its plural: "tariff" finds "tariffs", "Xi" does not find
    "Xian"); a word ending in * matches every word it begins; a quoted phrase matches its words
    in a row. The score ranks the matches (bm25: words rarer in the store and shorter texts
    count more, a hit in a name, alias, title or id three times one elsewhere).

    Without words, it lists every fact of every kind that --certainty (every claim, allegation
    or expectation), --confirmed, --single-source or --source keeps, in the file's order.

    Examples:

      tradecli search canola oil

      tradecli search '"electric vehicles"' -f json

      tradecli search tarif* --limit 0 -f csv

      tradecli search --certainty claimed,alleged,expected
    """
    from tradecli.present.lists import search_listing
    from tradecli.query.search import held_as, search_best
    from tradecli.words import search_terms

    text = " ".join(words or [])
    chosen = settings(ctx)
    store = chosen.store()
    if text.strip():
        total, hits = search_best(store, text, limit=limit)
        asked = filters(ctx)
        empty = f"nothing matches {text!r}" + (f" with {asked}" if asked else "")
    elif chosen.certainty or chosen.sourcing or chosen.source:
        total, hits = held_as(store, set(chosen.certainty) or None, limit=limit)
        empty = nothing(ctx, "facts")
    else:
        raise UsageError(
            "search needs words to look for",
            hint="give words (tradecli search canola), or list facts across kinds with "
            "--certainty claimed,alleged, --confirmed, --single-source or --source OUTLET",
        )
    notes = []
    if len(hits) < total:
        best = "best " if text.strip() else "first "
        notes.append(f"note: showing the {best}{len(hits)} of {total} matches; --limit 0 shows all")
    terms = search_terms(text) if text.strip() else []
    listing = search_listing(store, hits, terms, total=total, limit=limit or None)
    emit(ctx, listing, empty=empty, notes=notes)


@listing
def show(
    ctx: typer.Context,
    fact_id: Annotated[str, id_argument("The id of a fact, or the name of an entity.")],
) -> None:
    """Show one fact or entity in full: its fields, history, evidence, sources and linked facts.

    A measure's history marks each step that was only expected, claimed or threatened, and its
    state is given on the newest source's date. Excerpts are quoted with their outlet and date;
    addresses stand whole on lines of their own.

    Examples:

      tradecli show canada-ev-surtax

      tradecli show carney -f json
    """
    from tradecli.present.lists import detail_listing
    from tradecli.query import names
    from tradecli.query.sources import newest_day

    store = settings(ctx).store()
    _collection, item = names.fact(store, fact_id)
    emit(ctx, detail_listing(store, item.id, day=newest_day(store)), empty="")


@listing
def statements(
    ctx: typer.Context,
    kind: Annotated[
        str | None, words_option("--kind", "statements of this kind", StatementKind)
    ] = None,
    by: Annotated[
        str | None,
        name_option(
            "--by",
            "Only statements made or held by this person or organisation.",
            ("people", "organisations"),
        ),
    ] = None,
    about: Annotated[
        str | None, text_option("--about", "WORDS", "Only statements holding these words.")
    ] = None,
    side: Annotated[str | None, side_option("statements held by someone")] = None,
) -> None:
    """List statements: figures, goals, expectations, agreements, and who holds them.

    An expectation is what someone expects, not what happened; it is always listed as one.

    Examples:

      tradecli statements --kind figure

      tradecli statements --kind expectation,goal

      tradecli statements --certainty claimed --about canola

      tradecli statements --side china
    """
    from tradecli.present.lists import statement_listing
    from tradecli.query import names
    from tradecli.query import statements as statements_of

    kinds = vocab_words(kind, StatementKind, option="--kind") if kind is not None else []
    store = settings(ctx).store()
    holder = names.resolve(store, by, collections=names.ACTORS).id if by is not None else None
    place = names.country(store, side) if side is not None else None
    found = statements_of.statements(store, kinds=kinds, held_by=holder, about=about, side=place)
    empty = nothing(ctx, "statements", kind=kind, by=by, about=about, side=side)
    emit(ctx, statement_listing(store, found), empty=empty, notes=found.notes)


@listing
def summary(
    ctx: typer.Context,
) -> None:
    """Show the visit at a glance, outcome first: what was agreed, what happened since, what is
    still open, what is disputed and what each side says, and the date the sources end.

    On a terminal it fits one screen, the longer sections cut with a count and the command
    that lists them; --long gives every item with all its sources, as piped lines, JSON, CSV
    and Markdown do.

    Examples:

      tradecli summary

      tradecli summary --long

      tradecli summary -f markdown
    """
    from tradecli.present.summary import summary_listing
    from tradecli.query.sources import newest_day
    from tradecli.query.summary import summary as summarise
    from tradecli.query.unsettled import unsettled

    chosen = settings(ctx)
    store = chosen.store()
    open_items = unsettled(store, newest_day(store) or date.today())
    # One screen where it is drawn for people (a terminal, an SVG or HTML picture of one);
    # piped lines, Markdown, JSON and CSV give every item.
    drawn = on_terminal() or chosen.export_svg is not None or chosen.export_html is not None
    long = chosen.long or chosen.fmt is not Format.TABLE or not drawn
    listing = summary_listing(store, summarise(store), open_items, long=long)
    emit(ctx, listing, empty="no facts")


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
    from tradecli.present.lists import conflict_listing
    from tradecli.query.sources import conflicts as conflicts_about

    store = settings(ctx).store()
    views = conflicts_about(store, topic=topic)
    empty = nothing(ctx, f"conflicts about {visible(topic)!r}" if topic else "conflicts")
    emit(ctx, conflict_listing(store, views), empty=empty)


# browse takes the filters every listing declares (cli.options), but none of a listing's output
# options.


@listing
def open_(
    ctx: typer.Context,
) -> None:
    """List what is still open: what the sources expected or asked that no source settles.

    Expectations and dated goals (past their date: "no source reports the outcome"), changes
    a source expected in a measure that no later step confirms, states known to end on a day
    after the newest source (what follows is not known), events still only scheduled, and the
    questions the sources leave open; each with who expected it and when they said so, as
    the sources stand on the newest source's date.

    Examples:

      tradecli open

      tradecli open -f json
    """
    from tradecli.present.unsettled import unsettled_listing
    from tradecli.query.sources import newest_day
    from tradecli.query.unsettled import unsettled

    store = settings(ctx).store()
    day = newest_day(store) or date.today()
    emit(
        ctx, unsettled_listing(store, unsettled(store, day), day), empty=nothing(ctx, "open items")
    )
