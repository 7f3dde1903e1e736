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

from tradecli.facts.kinds import (
    KIND_OF,
    Conflict,
    Event,
    LifecycleStep,
    Measure,
    Quote,
    Source,
    Statement,
)
from tradecli.facts.vocab import Certainty, EventStatus
from tradecli.present import sheet
from tradecli.present.detail import detail, role_line
from tradecli.present.listing import Cell, Column, Detail, Lazy, Line, Listing, Section, Table, each
from tradecli.present.words import (
    happening,
    label,
    labels,
    name_of,
    outlet,
    qualified,
    rate,
    record,
    source_brief,
    source_name,
    when,
)
from tradecli.query.lifecycle import MeasureState, state_on
from tradecli.query.links import cited_sources, source_lookup, superseded_by

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from tradecli.query import Selection
    from tradecli.query.events import TimelineEntry
    from tradecli.query.search import Hit
    from tradecli.query.sources import ConflictView
    from tradecli.query.summary import Summary
    from tradecli.store import Store
    from tradecli.words import Term

HINT = "tradecli show ID gives one in full; --long gives every one"


def _outlets(store: Store, item: Any) -> list[str]:
    return list(dict.fromkeys(outlet(source) for source in cited_sources(store, item)))


def _source_ids(store: Store, item: Any) -> str | None:
    return "; ".join(source.id for source in cited_sources(store, item)) or None


def _footer(*lines: str) -> tuple[str, ...]:
    return tuple(line for line in lines if line)


# Measures


def _status_word(state: MeasureState | None) -> str:
    """The state in a word or two, for one line: "in force", "suspended", "not known"."""
    if state is None:
        return "not yet"
    if state.status is None:
        return "not known"
    word = state.status.label
    if state.measure.certainty is not Certainty.STATED:
        word += f" ({state.measure.certainty.label})"
    if state.partial:  # in force, but not on some products: "partly suspended"
        word = "partly " + ", ".join(dict.fromkeys(step.status.label for step in state.partial))
    return word


def _rate_on(state: MeasureState | None) -> str:
    """The rate on the day (the status beside it says whether it is charged), or not known
    after a known end."""
    if state is None or state.status is None:
        return "not known"
    return rate(state.rate_percent)


def _expected_step(store: Store, step: LifecycleStep) -> str:
    rate_text = f" to {rate(step.rate_percent)}" if step.rate_percent is not None else ""
    note = f": {step.note}" if step.note else ""
    on = f" for {', '.join(step.products)}" if step.products else ""
    said = "; ".join(source_name(s) for s in cited_sources(store, step))
    return f"expected {step.status.label}{on}{rate_text} by {when(step.date)}{note} — {said}"


def _expectation(store: Store, statement: Statement) -> str:
    """An expectation someone holds about a measure, with its sources: never a confirmed rate."""
    holder = label(store, statement.claimed_by) or "a source"
    said = "; ".join(source_name(s) for s in cited_sources(store, statement))
    return f"expected by {holder}, not confirmed: {statement.text} — {said}"


def _as_of_json(state: MeasureState | None, day: date, held: list[Statement]) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "status": None if state is None or state.status is None else state.status.value,
        "rate_percent": None if state is None else state.rate_percent,
        "since": None if state is None or state.since is None else str(state.since),
        "until": None if state is None or state.until is None else str(state.until),
        "ended": None if state is None or state.ended is None else str(state.ended),
        "basis": None if state is None else state.basis,
        "partial": [] if state is None else [step.to_json() for step in state.partial],
        "expected": [] if state is None else [step.to_json() for step in state.expected],
        "expectations": [
            {
                "id": statement.id,
                "held_by": statement.claimed_by,
                "text": statement.text,
                "value": statement.value,
                "unit": statement.unit,
                "due": str(statement.due) if statement.due is not None else None,
            }
            for statement in held
        ],
    }


def tariff_listing(
    store: Store,
    measures: Iterable[Measure],
    day: date,
    *,
    newest: bool,
    expected: dict[str, list[Statement]] | None = None,
) -> Listing:
    """Measures on a day (by default the newest source's): who on whom, rate, status, since
    when, sources; changes only expected are kept apart, never shown as the rate."""
    sources = source_lookup(store)
    held = expected or {}

    def made() -> Iterable[tuple[Measure, MeasureState | None]]:
        return ((m, state_on(m, day, sources)) for m in measures)

    items = Lazy(made)

    def line(pair: tuple[Measure, MeasureState | None]) -> tuple[Cell, ...]:
        m, state = pair
        waiting = [_expected_step(store, step) for step in (state.expected if state else [])]
        waiting += [_expectation(store, statement) for statement in held.get(m.id, [])]
        since: str | None
        until: str | None
        if state is not None and state.status is None:  # not known: since its known end
            since, until = f"after {state.ended}", None
        else:
            since = str(state.since) if state is not None and state.since is not None else None
            until = str(state.until) if state is not None and state.until is not None else None
        return (
            m.id,
            m.title,
            f"{label(store, m.imposed_by)} → {label(store, m.target)}",
            _rate_on(state),
            _status_word(state),
            since,
            until,
            waiting or None,
            _outlets(store, m),
        )

    def as_record(pair: tuple[Measure, MeasureState | None]) -> dict[str, Any]:
        m, state = pair
        return {**record(store, "tariffs", m), "as_of": _as_of_json(state, day, held.get(m.id, []))}

    def as_row(pair: tuple[Measure, MeasureState | None]) -> tuple[Any, ...]:
        m, state = pair
        state_json = _as_of_json(state, day, held.get(m.id, []))
        return (
            *sheet.row(m),
            state_json["date"],
            state_json["status"],
            state_json["rate_percent"],
            state_json["since"],
            state_json["until"],
            state_json["ended"],
            "; ".join(held_one["id"] for held_one in state_json["expectations"]) or None,
            _source_ids(store, m),
        )

    def in_full(pair: tuple[Measure, MeasureState | None]) -> Any:
        m, state = pair
        return detail(store, m.id, state=state, today=day)[0]

    columns = (
        Column("ID", priority=2),
        Column("MEASURE", flexible=True, narrowest=30, keep_end=True),
        Column("BY → ON", priority=4),
        Column("RATE"),
        Column("STATUS"),
        Column("SINCE", priority=1),
        Column("UNTIL", priority=3),
        Column("EXPECTED CHANGES", priority=5, flexible=True),
        Column("SOURCES", priority=6, flexible=True),
    )
    table = Table(
        (
            *sheet.columns(Measure),
            "as_of_date",
            "as_of_status",
            "as_of_rate_percent",
            "as_of_since",
            "as_of_until",
            "as_of_ended",
            "as_of_expectations",
            "sources",
        ),
        each(items, as_row),
    )
    when_ = f"status on {day}, the newest source's date" if newest else f"status on {day}"
    return Listing(
        columns,
        each(items, line),
        each(items, as_record),
        table,
        each(items, in_full),
        (Measure.NOUN, Measure.NOUNS),
        _footer(when_, HINT),
    )


# Events, quotes, entities


def _status_of(store: Store, event: Event) -> str:
    """An event's status in a few words; which event replaced which is in its detail."""
    status = qualified(event.status.label, event.certainty)
    if superseded_by(store, event.id):
        status += ", superseded"
    return status


def _fact_listing(
    store: Store,
    collection: str,
    items: Iterable[Any],
    columns: tuple[Column, ...],
    line: Any,
    *footer: str,
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
            (*sheet.columns(kind), "sources"),
            each(shared, lambda item: (*sheet.row(item), _source_ids(store, item))),
        ),
        each(shared, lambda item: detail(store, item.id)[0]),
        noun or (kind.NOUN, kind.NOUNS),
        _footer(*footer, HINT),
    )


def meeting_listing(store: Store, found: Selection[Event]) -> Listing:
    """Meetings: date, what, with whom, status, place and sources."""
    return _fact_listing(
        store,
        "events",
        found.items,
        (
            Column("ID"),
            Column("DATE"),
            Column("MEETING", flexible=True, narrowest=36, keep_end=True),
            Column("WITH", priority=2, flexible=True),
            Column("STATUS", priority=1),
            Column("PLACE", priority=3, flexible=True),
            Column("SOURCES", priority=4, flexible=True),
        ),
        lambda e: (
            e.id,
            when(e.date, e.end_date),
            e.title,
            labels(store, e.participants) or None,
            _status_of(store, e),
            label(store, e.place),
            _outlets(store, e),
        ),
        noun=("meeting", "meetings"),
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
            Column("DATE", priority=1),
            Column("SPEAKER", priority=1),
            Column("QUOTE", flexible=True, narrowest=40),
            Column("HOW", priority=3),
            Column("SOURCES", priority=4, flexible=True),
        ),
        lambda q: (
            q.id,
            when(q.date),
            label(store, q.speaker) or q.speaker_description,
            f"“{q.text}”",
            qualified(q.channel.label, q.certainty),
            _outlets(store, q),
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
            Column("KIND", priority=1),
            Column("DATE", priority=2),
            Column("STATEMENT", flexible=True, narrowest=50),
            Column("BY", priority=3),
            Column("SOURCES", priority=4, flexible=True),
        ),
        lambda s: (
            s.id,
            qualified(s.kind.label, s.certainty),
            when(s.date) if s.date is not None else None,
            s.text,
            label(store, s.claimed_by),
            _outlets(store, s),
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
                Column("NAME"),
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
            Column("NAME", flexible=True),
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
        Table((*sheet.columns(kind), "sources"), [(*sheet.row(item), _source_ids(store, item))]),
        [full],
        (kind.NOUN, kind.NOUNS),
        whole=True,
    )


def _noun(hit: Hit) -> str:
    """What kind of fact a hit is, in a word: "measure", "statement", "person"."""
    return KIND_OF[hit.collection].NOUN


def search_listing(store: Store, hits: list[Hit], terms: list[Term]) -> Listing:
    """Search hits, best first by the score shown, each with its text, kind, date, sources."""

    def text(hit: Hit) -> str:
        name = name_of(hit.fact)
        return name if hit.text in (name, hit.fact.id) else f"{name} — {hit.text}"

    def dated(hit: Hit) -> str | None:
        found = getattr(hit.fact, "date", None) or getattr(hit.fact, "published", None)
        return str(found) if found is not None else None

    def as_record(hit: Hit) -> dict[str, Any]:
        data = record(store, hit.collection, hit.fact)
        data["score"] = hit.score
        data["terms_matched"] = len(terms)
        return data

    return Listing(
        (
            Column("SCORE"),
            Column("ID"),
            Column("KIND", priority=2),
            Column("DATE", priority=3),
            Column("TEXT", flexible=True, narrowest=50),
            Column("SOURCES", priority=4, flexible=True),
        ),
        each(
            hits,
            lambda h: (
                str(h.score),
                h.fact.id,
                _noun(h),
                dated(h),
                text(h),
                _outlets(store, h.fact),
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
                    _source_ids(store, h.fact),
                ),
            ),
        ),
        each(hits, lambda h: detail(store, h.fact.id)[0]),
        ("match", "matches"),
        _footer(HINT),
        tuple(terms),
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
            Column("DATE"),
            Column("WHAT", flexible=True, narrowest=36, keep_end=True),
            Column("HAPPENED", flexible=True, narrowest=16),
            Column("ID", priority=2),
            Column("SOURCES", priority=3, flexible=True),
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
    )


def source_listing(store: Store, counted: list[tuple[Source, int]]) -> Listing:
    """Sources by outlet and date, with how many facts cite each."""

    def as_record(pair: tuple[Source, int]) -> dict[str, Any]:
        source, count = pair
        return {**record(store, "sources", source), "cited_by": count}

    return Listing(
        (
            Column("ID"),
            Column("SOURCE", flexible=True),
            Column("PUBLISHED", priority=1),
            Column("FACTS", priority=1),
            Column("TITLE", priority=2, flexible=True),
        ),
        each(
            counted,
            lambda pair: (
                pair[0].id,
                outlet(pair[0]),
                when(pair[0].published),
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
        _footer("tradecli sources ID lists what one supports; tradecli cite ID cites it"),
    )


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
        _footer(
            *(f"supported by {source_name(source)}: {source.title}" for source in chosen[:3]),
            f"and {len(chosen) - 3} more sources of the outlet" if len(chosen) > 3 else "",
            HINT,
        ),
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
            Column("TOPIC", flexible=True, narrowest=40, keep_end=True),
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
        _footer("tradecli show ID gives each side with its sources; --long gives every one"),
    )


def summary_listing(store: Store, summary: Summary) -> Listing:
    """The visit at a glance, outcome first; JSON objects ``{"topic", "detail", "ids",
    "sources"}``: what was agreed and expected, what happened since, what is disputed, figures,
    and the date the sources end."""
    items: list[tuple[str, str, list[str], list[Source]]] = []

    def entry_line(entry: TimelineEntry) -> tuple[str, list[Source]]:
        said = cited_sources(store, entry.step if entry.step is not None else entry.fact)
        return f"{when(entry.date, entry.end)} {entry.fact.title}: {happening(entry)}", said

    for visit in summary.visits:
        dates = when(visit.date, visit.end_date)
        status = "" if visit.status is EventStatus.HELD else f", {visit.status.label}"
        claim = f"; claimed by {label(store, visit.claimed_by)}" if visit.claimed_by else ""
        text = f"{visit.title}: {qualified(dates + status, visit.certainty)}{claim}"
        items.append(("visit", text, [visit.id], cited_sources(store, visit)))
    if summary.people:
        names = ", ".join(p.name for p in summary.people)
        items.append(("who", names, [p.id for p in summary.people], []))
    if summary.places:
        names = ", ".join(p.name for p in summary.places)
        items.append(("where", names, [p.id for p in summary.places], []))
    for meeting in summary.meetings:
        with_ = ", ".join(labels(store, meeting.participants))
        status = qualified(meeting.status.label, meeting.certainty)
        text = f"{when(meeting.date, meeting.end_date)} {meeting.title} ({status}; {with_})"
        items.append(("meeting", text, [meeting.id], cited_sources(store, meeting)))
    for statement in summary.agreed:
        items.append(("agreed", statement.text, [statement.id], cited_sources(store, statement)))
    for entry in summary.announced:
        text, said = entry_line(entry)
        items.append(("agreed", text, [entry.fact.id], said))
    for statement in summary.expected:
        holder = label(store, statement.claimed_by)
        text = f"{statement.text} (expected{f' by {holder}' if holder else ''}, not confirmed)"
        items.append(("expected", text, [statement.id], cited_sources(store, statement)))
    for entry in summary.since:
        text, said = entry_line(entry)
        items.append(("since", text, [entry.fact.id], said))
    for conflict in summary.conflicts:
        text = conflict.topic
        if conflict.explanation is not None:
            text += f"; explained: {conflict.explanation.text}"
        items.append(("disputed", text, list(conflict.claims), cited_sources(store, conflict)))
    for figure in summary.figures:
        items.append(("figure", figure.text, [figure.id], cited_sources(store, figure)))
    newest = summary.newest
    if newest is not None:
        text = (
            f"{newest.published}, the date of the newest source ({source_name(newest)}: "
            f"{newest.title}); the store knows nothing later"
        )
        items.append(("sources end", text, [newest.id], [newest]))
    counts = ", ".join(f"{count} {name}" for name, count in summary.counts.items())
    items.append(("facts", counts, [], []))

    def said_by(sources: list[Source]) -> str:
        return f" — {'; '.join(source_name(s) for s in sources)}" if sources else ""

    def in_full() -> Iterable[Detail]:
        fields: list[tuple[str, list[str]]] = []
        sections: dict[str, list[Line]] = {heading: [] for heading in _SUMMARY_SECTIONS.values()}
        for topic, text, _ids, said in items:
            shown = text if topic == "sources end" else text + said_by(said)
            if topic in _SUMMARY_FIELDS:
                fields.append((topic, [shown]))
            else:
                sections.setdefault(_SUMMARY_SECTIONS.get(topic, topic), []).append(Line(shown))
        yield Detail(
            "Mark Carney's visit to China, at a glance",
            "outcome first; tradecli show ID gives any fact in full",
            fields,
            [Section(heading, lines) for heading, lines in sections.items() if lines],
        )

    class Glance:
        def __iter__(self) -> Iterator[Detail]:
            return iter(in_full())

    return Listing(
        (Column("TOPIC"), Column("DETAIL", flexible=True)),
        each(items, lambda item: (item[0], item[1] + said_by(item[3]))),
        each(
            items,
            lambda item: {
                "topic": item[0],
                "detail": item[1],
                "ids": item[2],
                "sources": [s.id for s in item[3]],
            },
        ),
        Table(
            ("topic", "detail", "ids", "sources"),
            each(
                items,
                lambda item: (
                    item[0],
                    item[1],
                    "; ".join(item[2]) or None,
                    "; ".join(s.id for s in item[3]) or None,
                ),
            ),
        ),
        Glance(),
        ("line", "lines"),
        whole=True,
    )


_SUMMARY_FIELDS = ("visit", "who", "where", "sources end", "facts")
_SUMMARY_SECTIONS = {  # in this order: the outcome first
    "agreed": "agreed",
    "expected": "expected, not confirmed",
    "since": "since the visit",
    "disputed": "disputed",
    "meeting": "meetings",
    "figure": "figures, as their sources give them",
}
