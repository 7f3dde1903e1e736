"""Each command's listing: one line per item with the few columns that answer its question.

Names, not ids, where people read (ids stay where one is typed next); sources by outlet and
date; vocabulary words as words. Every listing also carries its JSON records, its spreadsheet
table and, for ``--long``, each item in full (``present.detail``).

JSON record shape (stable): ``{"id", "kind", "fields", "evidence", "sources"}`` where ``kind`` is
the fact's collection, ``fields`` every other field as the fact file writes it, ``evidence`` its
evidence and ``sources`` the sources it cites (``id``, ``title``, ``outlet``, ``published``,
``url``). Commands add keys: ``as_of`` (tariffs), ``links`` (show, people NAME, companies NAME),
``cited_by`` (sources), ``score`` and ``terms_matched`` (search); timeline and summary rows are
objects of their own, described on those functions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tradecli.facts.kinds import KIND_OF, Conflict, Event, Measure, Quote, Source, Statement
from tradecli.facts.vocab import EventCategory
from tradecli.present import sheet
from tradecli.present.detail import detail, role_line
from tradecli.present.listing import (
    HINT,
    Column,
    Detail,
    Lazy,
    Line,
    Listing,
    Section,
    Table,
    each,
    footer,
)
from tradecli.present.words import (
    FACT_COLUMNS,
    NOT_GIVEN,
    dated,
    event_status,
    fact_cells,
    fact_when,
    happening,
    label,
    labels,
    name_of,
    outlet,
    outlets,
    qualified,
    quoted,
    record,
    source_brief,
    source_ids,
    source_name,
    when,
)
from tradecli.query.lifecycle import state_on
from tradecli.query.links import cited_sources, source_lookup

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tradecli.query import Selection
    from tradecli.query.events import TimelineEntry
    from tradecli.query.search import Hit
    from tradecli.query.sources import ConflictView, Outlet
    from tradecli.store import Store
    from tradecli.words import Term

# Events, quotes, entities


def _fact_listing(
    store: Store,
    collection: str,
    items: Iterable[Any],
    columns: tuple[Column, ...],
    line: Any,
    *under: str,
    noun: tuple[str, str] | None = None,
) -> Listing:
    """A listing of facts of one kind: lines, records, the kind's sheet and details; counted
    in the kind's own words unless ``noun`` says otherwise."""
    kind = KIND_OF[collection]
    shared = Lazy(lambda: items)
    return Listing(
        columns,
        each(shared, line),
        each(shared, lambda item: record(store, collection, item)),
        Table(
            (*sheet.columns(kind), *FACT_COLUMNS),
            each(shared, lambda item: (*sheet.row(item), *fact_cells(store, item))),
        ),
        each(shared, lambda item: detail(store, item.id)[0]),
        noun or (kind.NOUN, kind.NOUNS),
        footer(*under, HINT),
        handles=store.numbers,
    )


def meeting_listing(store: Store, found: Selection[Event]) -> Listing:
    """Meetings (a ceremony or consultation marked as such): date, what, with whom, status,
    place and sources."""
    return _fact_listing(
        store,
        "events",
        found.items,
        (
            Column("ID"),
            Column("DATE", flexible=True, narrowest=10),
            Column("MEETING", flexible=True, narrowest=24),
            Column("WITH", flexible=True, narrowest=16),
            Column("STATUS", flexible=True, narrowest=9),
            Column("PLACE", priority=3, flexible=True),
            Column("SOURCES", priority=1, flexible=True, narrowest=14),
        ),
        lambda e: (
            e.id,
            fact_when(e),
            e.title if e.category is EventCategory.MEETING else f"{e.title} ({e.category.label})",
            labels(store, e.participants) or None,
            event_status(store, e),
            label(store, e.place),
            outlets(store, e),
        ),
        noun=("meeting or ceremony", "meetings and ceremonies"),
    )


def _how(quote: Quote) -> str:
    how = quote.channel.label
    return f"{how} on {quote.platform}" if quote.platform else how


def quote_listing(store: Store, found: Selection[Quote]) -> Listing:
    """Quotes: who said what, when, how, and according to whom."""
    return _fact_listing(
        store,
        "quotes",
        found.items,
        (
            Column("ID"),
            Column("DATE", flexible=True, narrowest=10),
            Column("SPEAKER", flexible=True, narrowest=12),
            Column("QUOTE", flexible=True, narrowest=30),
            Column("HOW", priority=3),
            Column("SOURCES", priority=1, flexible=True),
        ),
        lambda q: (
            q.id,
            fact_when(q),
            label(store, q.speaker) or q.speaker_description,
            quoted(q.text),
            qualified(q.channel.label, q.certainty),
            outlets(store, q),
        ),
    )


def statement_listing(store: Store, found: Selection[Statement]) -> Listing:
    """Statements: figures, goals, expectations and the rest, with who says so and sources."""
    return _fact_listing(
        store,
        "statements",
        found.items,
        (
            Column("ID"),
            Column("KIND", flexible=True, narrowest=12),
            Column("DATE", flexible=True, narrowest=10),
            Column("STATEMENT", flexible=True, narrowest=30),
            Column("BY", priority=2, flexible=True),
            Column("SOURCES", priority=1, flexible=True),
        ),
        lambda s: (
            s.id,
            qualified(s.kind.label, s.certainty),
            when(s.date) if s.date is not None else None,
            s.text,
            label(store, s.claimed_by),
            outlets(store, s),
        ),
    )


def entity_listing(store: Store, collection: str, items: list[Any]) -> Listing:
    """People, or organisations: name, role or kind, country."""
    if collection == "people":
        return _fact_listing(
            store,
            collection,
            items,
            (
                Column("ID"),
                Column("NAME", flexible=True, narrowest=16),
                Column("ROLE", priority=1, flexible=True),
                Column("COUNTRY", priority=2),
            ),
            lambda p: (
                p.id,
                p.name,
                [role_line(store, role) for role in p.roles][:1] or None,
                label(store, p.country),
            ),
        )
    return _fact_listing(
        store,
        collection,
        items,
        (
            Column("ID"),
            Column("NAME", flexible=True, narrowest=16),
            Column("KIND", priority=1),
            Column("COUNTRY", priority=2),
            Column("SECTOR", priority=3, flexible=True),
        ),
        lambda o: (
            o.id,
            o.name,
            ", ".join(part.label for part in (o.kind, o.ownership) if part is not None),
            label(store, o.country),
            o.sector,
        ),
    )


def detail_listing(store: Store, fact_id: str, *, day: date | None = None) -> Listing:
    """One fact in full; with ``day``, a measure's state on it beside its fields."""
    _collection, item = store.by_id[fact_id]
    state = None
    if day is not None and isinstance(item, Measure):
        sources = source_lookup(store)
        state = state_on(item, day, sources)
    full, data = detail(store, fact_id, state=state, today=day if state is not None else None)
    kind = type(item)
    return Listing(
        (Column("FIELD"), Column("VALUE", flexible=True)),
        [(name, lines) for name, lines in full.fields],
        [data],
        Table(
            (*sheet.columns(kind), *FACT_COLUMNS), [(*sheet.row(item), *fact_cells(store, item))]
        ),
        [full],
        (kind.NOUN, kind.NOUNS),
        whole=True,
        single=True,
    )


def _noun(hit: Hit) -> str:
    """What kind of fact a hit is, in a word, with how it is held where it is less than
    reported: "measure", "statement (claimed)", "person"."""
    noun = KIND_OF[hit.collection].NOUN
    certainty = getattr(hit.fact, "certainty", None)
    return qualified(noun, certainty) if certainty is not None else noun


def search_listing(
    store: Store, hits: list[Hit], terms: list[Term], *, total: int, limit: int | None
) -> Listing:
    """Search hits, best first by the score shown, each with its text, kind, date, sources:
    the best ``limit`` (None: all) of ``total``."""

    def text(hit: Hit) -> str:
        name = name_of(hit.fact)
        return name if hit.text in ("", name, hit.fact.id) else f"{name} — {hit.text}"

    def dated(hit: Hit) -> str | None:
        found = getattr(hit.fact, "date", None) or getattr(hit.fact, "published", None)
        return str(found) if found is not None else None

    def as_record(hit: Hit) -> dict[str, Any]:
        data = record(store, hit.collection, hit.fact)
        if hit.score is not None:
            data["score"] = hit.score
            data["terms_matched"] = len(terms)
        return data

    return Listing(
        (
            Column("SCORE", priority=4),
            Column("ID"),
            Column("KIND", priority=2),
            Column("DATE", priority=3),
            Column("TEXT", flexible=True, narrowest=30),
            Column("SOURCES", priority=1, flexible=True),
        ),
        each(
            hits,
            lambda h: (
                str(h.score) if h.score is not None else None,
                h.fact.id,
                _noun(h),
                dated(h),
                text(h),
                outlets(store, h.fact),
            ),
        ),
        each(hits, as_record),
        Table(
            ("score", "id", "kind", "date", "name", "match", "sources"),
            each(
                hits,
                lambda h: (
                    h.score,
                    h.fact.id,
                    h.collection,
                    dated(h),
                    name_of(h.fact),
                    h.text,
                    source_ids(store, h.fact),
                ),
            ),
        ),
        each(hits, lambda h: detail(store, h.fact.id)[0]),
        ("match", "matches"),
        footer(HINT),
        tuple(terms),
        total=total,
        limit=limit,
        handles=store.numbers,
    )


def timeline_listing(store: Store, found: Selection[TimelineEntry]) -> Listing:
    """Timeline lines; JSON objects ``{"date", "end_date", "id", "kind", "title", "what",
    "sources"}``, the sources of a measure's step its own."""

    def said(entry: TimelineEntry) -> list[Any]:
        return cited_sources(store, entry.step if entry.step is not None else entry.fact)

    def as_record(entry: TimelineEntry) -> dict[str, Any]:
        return {
            "date": str(entry.date),
            "end_date": str(entry.end) if entry.end is not None else None,
            "id": entry.fact.id,
            "kind": entry.collection,
            "title": entry.fact.title,
            "what": happening(entry),
            "sources": [source_brief(source) for source in said(entry)],
        }

    return Listing(
        (
            Column("DATE", flexible=True, narrowest=13),
            Column("WHAT", flexible=True, narrowest=24),
            Column("HAPPENED", flexible=True, narrowest=14),
            Column("ID"),
            Column("SOURCES", priority=1, flexible=True),
        ),
        each(
            found.items,
            lambda e: (
                when(e.date, e.end),
                e.fact.title,
                happening(e, note=False),
                e.fact.id,
                list(dict.fromkeys(outlet(s) for s in said(e))),
            ),
        ),
        each(found.items, as_record),
        Table(
            ("date", "end_date", "id", "kind", "title", "what", "sources"),
            each(
                found.items,
                lambda e: (
                    str(e.date),
                    str(e.end) if e.end is not None else None,
                    e.fact.id,
                    e.collection,
                    e.fact.title,
                    happening(e),
                    "; ".join(s.id for s in said(e)) or None,
                ),
            ),
        ),
        None,
        ("entry", "entries"),
        handles=store.numbers,
    )


def source_listing(store: Store, counted: list[tuple[Source, int]]) -> Listing:
    """Sources by outlet and date, with how many facts cite each."""

    def as_record(pair: tuple[Source, int]) -> dict[str, Any]:
        source, count = pair
        return {**record(store, "sources", source), "cited_by": count}

    return Listing(
        (
            Column("ID"),
            Column("SOURCE", flexible=True, narrowest=16),
            Column("PUBLISHED"),
            Column("FACTS", priority=1),
            Column("TITLE", priority=2, flexible=True),
        ),
        each(
            counted,
            lambda pair: (
                pair[0].id,
                outlet(pair[0]),
                dated(pair[0]) or NOT_GIVEN,
                str(pair[1]),
                pair[0].title,
            ),
        ),
        each(counted, as_record),
        Table(
            (*sheet.columns(Source), "cited_by"),
            each(counted, lambda pair: (*sheet.row(pair[0]), pair[1])),
        ),
        each(counted, lambda pair: detail(store, pair[0].id)[0]),
        ("source", "sources"),
        footer("tradecli sources ID lists what one supports; tradecli cite ID cites it"),
        handles=store.numbers,
    )


def outlet_listing(store: Store, found: list[Outlet]) -> Listing:
    """Sources by outlet: a wire service once, with the papers that carried its stories, the
    kind of publisher, how many facts cite it and its latest story's date."""

    def latest(group: Outlet) -> Source:
        return max(group.stories, key=lambda story: _story_day(story))

    def kinds(group: Outlet) -> str:
        return ", ".join(publisher.label for publisher in group.publishers)

    def as_record(group: Outlet) -> dict[str, Any]:
        return {
            "outlet": group.name,
            "publishers": [publisher.value for publisher in group.publishers],
            "cited_by": group.facts,
            "carried_by": group.carried_by,
            "stories": [source_brief(story) for story in group.stories],
        }

    def in_full(group: Outlet) -> Detail:
        lines: list[Line] = []
        for story in group.stories:
            via = f" (via {story.carried_by})" if story.carried_by else ""
            lines.append(Line(f"{story.id}: {dated(story) or NOT_GIVEN}{via}: {story.title}"))
            if story.url:
                lines.append(Line(story.url, url=story.url))
        fields = [("kind", [kinds(group)]), ("facts", [str(group.facts)])]
        if group.carried_by:
            fields.append(("carried by", group.carried_by))
        return Detail(group.name, "outlet", fields, [Section("stories", lines)])

    return Listing(
        (
            Column("OUTLET", flexible=True, narrowest=24),
            Column("KIND", priority=3),
            Column("FACTS"),
            Column("STORIES", priority=1),
            Column("LATEST", priority=2),
            Column("CARRIED BY", priority=4, flexible=True),
        ),
        each(
            found,
            lambda group: (
                group.name,
                kinds(group),
                str(group.facts),
                str(len(group.stories)),
                dated(latest(group)) or NOT_GIVEN,
                "; ".join(group.carried_by) or None,
            ),
        ),
        each(found, as_record),
        Table(
            ("outlet", "publishers", "cited_by", "stories", "carried_by", "latest_published"),
            each(
                found,
                lambda group: (
                    group.name,
                    "; ".join(publisher.value for publisher in group.publishers),
                    group.facts,
                    "; ".join(story.id for story in group.stories),
                    "; ".join(group.carried_by) or None,
                    _published(latest(group)),
                ),
            ),
        ),
        each(found, in_full),
        ("outlet", "outlets"),
        footer(
            "tradecli sources OUTLET lists what one supports; tradecli sources --stories lists "
            "each story"
        ),
    )


def _published(story: Source) -> str | None:
    """A story's date of publication, where its page shows one."""
    return str(story.published) if story.published is not None else None


def _story_day(story: Source) -> date:
    """The last day a story's date can mean; an undated story sorts first."""
    return story.as_of.last_day() if story.as_of is not None else date.min


def supported_listing(store: Store, chosen: list[Source], facts: list[tuple[str, Any]]) -> Listing:
    """The facts some sources (one, or an outlet's) support, by kind, with dates."""

    def dated(item: Any) -> str | None:
        found = getattr(item, "date", None)
        return str(found) if found is not None else None

    return Listing(
        (Column("KIND"), Column("ID"), Column("DATE", priority=1), Column("FACT", flexible=True)),
        each(facts, lambda pair: (pair[0], pair[1].id, dated(pair[1]), name_of(pair[1]))),
        each(facts, lambda pair: record(store, pair[0], pair[1])),
        Table(
            ("kind", "id", "date", "name"),
            each(facts, lambda pair: (pair[0], pair[1].id, dated(pair[1]), name_of(pair[1]))),
        ),
        each(facts, lambda pair: detail(store, pair[1].id)[0]),
        ("fact", "facts"),
        footer(
            *(f"supported by {source_name(source)}: {source.title}" for source in chosen[:3]),
            f"and {len(chosen) - 3} more sources of the outlet" if len(chosen) > 3 else "",
            HINT,
        ),
        handles=store.numbers,
    )


def conflict_listing(store: Store, views: list[ConflictView]) -> Listing:
    """Conflicts, a line each: the topic, how many sides, and who explains it; in full, each
    side with what it says and who says it."""

    def as_record(view: ConflictView) -> dict[str, Any]:
        conflict = view.conflict
        explained = conflict.explanation
        return {
            "id": conflict.id,
            "kind": "conflicts",
            "topic": conflict.topic,
            "note": conflict.note,
            "claims": [
                {
                    "id": claim.fact.id,
                    "kind": claim.collection,
                    "says": claim.says,
                    "sources": [source_brief(s) for s in claim.sources],
                }
                for claim in view.claims
            ],
            "explanation": None
            if explained is None
            else {
                "text": explained.text,
                "sources": [source_brief(s) for s in cited_sources(store, explained)],
            },
        }

    def explained_by(conflict: Conflict) -> str | None:
        if conflict.explanation is None:
            return None
        return "; ".join(source_name(s) for s in cited_sources(store, conflict.explanation))

    return Listing(
        (
            Column("ID"),
            Column("TOPIC", flexible=True, narrowest=30),
            Column("SIDES", priority=1),
            Column("EXPLAINED BY", priority=2, flexible=True),
        ),
        each(
            views,
            lambda v: (
                v.conflict.id,
                v.conflict.topic,
                str(len(v.claims)),
                explained_by(v.conflict),
            ),
        ),
        each(views, as_record),
        Table(
            ("conflict", "topic", "claim", "kind", "says", "sources"),
            [
                (
                    v.conflict.id,
                    v.conflict.topic,
                    c.fact.id,
                    c.collection,
                    c.says,
                    "; ".join(s.id for s in c.sources),
                )
                for v in views
                for c in v.claims
            ],
        ),
        each(views, lambda v: detail(store, v.conflict.id)[0]),
        ("conflict", "conflicts"),
        footer("tradecli show ID gives each side with its sources; --long gives every one"),
        handles=store.numbers,
    )
