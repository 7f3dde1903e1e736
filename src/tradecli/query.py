"""Queries: pure functions from a store and filters to facts.

Date rule (used by every date filter): a fact's dates span the days from the first day its ``date``
can mean to the last day its ``end_date`` (or ``date``) can mean. A fact matches a date window when
that whole span lies inside the window, or when the days it certainly covers (from the last day its
start can mean to the first day its end can mean) overlap the window. A fact that only might fall
in the window (it is known too coarsely, e.g. only to the month) is not matched, and a note says so.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum
from typing import Any, Generic, NamedTuple, TypeVar

from tradecli.dates import PartialDate
from tradecli.errors import NotFoundError, UsageError
from tradecli.kinds import (
    COLLECTIONS,
    NAME_FIELDS,
    Certainty,
    EventCategory,
    EventStatus,
    StatementKind,
)
from tradecli.lifecycle import MeasureState, state_on
from tradecli.records import Conflict, Event, Measure, Quote, Source, Statement
from tradecli.refs import normalise_name, walk_refs
from tradecli.store import Store

T = TypeVar("T")

_STOP_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to", "with"]
)
_NAME_WEIGHT = 3


def summary_counts(store: Store) -> dict[str, int]:
    """How many facts of each kind the store holds."""
    return {name: len(getattr(store.facts, name)) for name in COLLECTIONS}


class Selection(NamedTuple, Generic[T]):
    """What a query found, with notes for the user about what it could not decide."""

    items: list[T]
    notes: list[str]


# Dates


class Fit(Enum):
    """Whether a fact's dates fall in a date window."""

    IN = "in"
    MAYBE = "maybe"
    OUT = "out"


def parse_date(text: str, *, option: str) -> PartialDate:
    """Parse a date option as YYYY, YYYY-MM or YYYY-MM-DD; raise UsageError otherwise."""
    try:
        return PartialDate.parse(text)
    except ValueError as error:
        raise UsageError(
            f"{option} {text!r}: {error}", hint="write a date as YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None


class DateWindow(NamedTuple):
    """The days a date filter asks for; ``None`` ends are open."""

    start: date | None
    end: date | None
    label: str

    def fit(self, first: PartialDate, last: PartialDate | None = None) -> Fit:
        """How a fact dated ``first`` (to ``last``) sits in this window, by the module's rule."""
        last = last or first
        low, high = first.first_day(), last.last_day()
        start, end = self.start or date.min, self.end or date.max
        if low >= start and high <= end:
            return Fit.IN
        sure_low, sure_high = first.last_day(), last.first_day()
        if sure_low <= sure_high and sure_low <= end and sure_high >= start:
            return Fit.IN
        if low <= end and high >= start:
            return Fit.MAYBE
        return Fit.OUT


def date_window(
    *, on: str | None = None, since: str | None = None, until: str | None = None
) -> DateWindow | None:
    """The window that --date, or --since and --until, ask for; None when none is given."""
    if on is not None and (since is not None or until is not None):
        raise UsageError("--date cannot be combined with --since or --until; use one or the other")
    if on is not None:
        day = parse_date(on, option="--date")
        return DateWindow(day.first_day(), day.last_day(), str(day))
    first = parse_date(since, option="--since") if since is not None else None
    last = parse_date(until, option="--until") if until is not None else None
    if first is None and last is None:
        return None
    if first is not None and last is not None and last.last_day() < first.first_day():
        raise UsageError(f"--until {last} is before --since {first}")
    if first is not None and last is not None:
        label = f"{first} to {last}"
    else:
        label = f"{first} onwards" if first is not None else f"up to {last}"
    return DateWindow(
        first.first_day() if first else None, last.last_day() if last else None, label
    )


def span_text(first: PartialDate, last: PartialDate | None = None) -> str:
    """A date or range at its own precision: ``2017-12`` or ``2026-01-13 to 2026-01-17``."""
    return f"{first} to {last}" if last is not None and last != first else str(first)


def _select_dated(
    items: Iterable[T],
    window: DateWindow | None,
    dates: Callable[[T], tuple[PartialDate | None, PartialDate | None]],
    ident: Callable[[T], str],
) -> Selection[T]:
    """Keep items in the window; note the ones whose dates are too coarse to decide."""
    kept: list[T] = []
    notes: list[str] = []
    for item in items:
        first, last = dates(item)
        if window is None:
            kept.append(item)
            continue
        if first is None:
            continue
        fit = window.fit(first, last)
        if fit is Fit.IN:
            kept.append(item)
        elif fit is Fit.MAYBE:
            notes.append(
                f"note: {ident(item)} is known only to {span_text(first, last)}; "
                f"not matched to {window.label}"
            )
    return Selection(kept, notes)


def _date_key(value: PartialDate | None) -> tuple[int, date, date]:
    if value is None:
        return (1, date.max, date.max)
    return (0, value.first_day(), value.last_day())


def event_status(text: str) -> EventStatus:
    """The event status a --status option names, in any case; raise UsageError otherwise."""
    try:
        return EventStatus(text.strip().lower())
    except ValueError:
        allowed = ", ".join(status.value for status in EventStatus)
        raise UsageError(f"--status {text!r} is not a status; use one of {allowed}") from None


# Places, jurisdictions and references


def belongs_to(store: Store, ref: str, owner: str) -> bool:
    """True if ``ref`` is ``owner``, or lies within it by ``country`` or ``within`` links."""
    seen: set[str] = set()
    current: str | None = ref
    while current is not None and current not in seen:
        if current == owner:
            return True
        seen.add(current)
        found = store.by_id.get(current)
        if found is None:
            return False
        item = found[1]
        current = getattr(item, "within", None) or getattr(item, "country", None)
    return False


def references(item: Any) -> Iterator[tuple[str, str]]:
    """(field, id) of every reference a fact makes, evidence sources included."""
    for name, target, _path in walk_refs(item, ()):
        yield name, target


def cited_sources(store: Store, item: Any) -> list[Source]:
    """The sources a fact's evidence cites, lifecycle steps included, in order of first citation."""
    found: list[Source] = []
    for name, target in references(item):
        if name == "source":
            source = store.by_id[target][1]
            if source not in found:
                found.append(source)
    return found


class Link(NamedTuple):
    """A reference between two facts: ``outgoing`` when the fact shown makes it."""

    outgoing: bool
    relation: str
    collection: str
    fact: Any


def links(store: Store, fact_id: str) -> list[Link]:
    """Facts this fact refers to (not its sources) and facts that refer to it, each once."""
    item = store.by_id[fact_id][1]
    found: list[Link] = []
    seen: set[tuple[bool, str, str]] = set()

    def add(outgoing: bool, relation: str, other: str) -> None:
        key = (outgoing, relation, other)
        if key not in seen and other != fact_id:
            seen.add(key)
            other_collection, other_item = store.by_id[other]
            found.append(Link(outgoing, relation, other_collection, other_item))

    for relation, target in references(item):
        if relation != "source":
            add(True, relation, target)
    for _other_collection, other in store.all_facts():
        for relation, target in references(other):
            if target == fact_id:
                add(False, relation, other.id)
    return found


# Commands


def tariffs(
    store: Store,
    *,
    imposer: str | None = None,
    target: str | None = None,
    product: str | None = None,
    min_rate: float | None = None,
) -> Selection[Measure]:
    """Trade measures, filtered by who imposes them (or a body within it), target, product, rate."""
    wanted_product = normalise_name(product) if product is not None else None
    kept: list[Measure] = []
    notes: list[str] = []
    for measure in store.facts.tariffs:
        if imposer is not None and not belongs_to(store, measure.imposed_by, imposer):
            continue
        if target is not None and not belongs_to(store, measure.target, target):
            continue
        if wanted_product is not None and not any(
            wanted_product in normalise_name(name) for name in measure.products
        ):
            continue
        if min_rate is not None:
            if measure.rate_percent is None:
                notes.append(
                    f"note: {measure.id} gives no rate; not matched to --min-rate {min_rate:g}"
                )
                continue
            if measure.rate_percent < min_rate:
                continue
        kept.append(measure)
    return Selection(kept, notes)


def _event_dates(event: Event) -> tuple[PartialDate | None, PartialDate | None]:
    return event.date, event.end_date


def meetings(
    store: Store,
    *,
    window: DateWindow | None = None,
    participant: str | None = None,
    status: EventStatus | None = None,
) -> Selection[Event]:
    """Meetings in date order, filtered by date window, a participant's id and status."""
    chosen = [
        event
        for event in store.facts.events
        if event.category is EventCategory.MEETING
        and (participant is None or participant in event.participants)
        and (status is None or event.status is status)
    ]
    chosen.sort(key=lambda event: _date_key(event.date))
    return _select_dated(chosen, window, _event_dates, lambda event: event.id)


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    described: str | None = None,
    about: str | None = None,
) -> Selection[Quote]:
    """Quotes in date order, filtered by speaker id, by words of the description of a speaker no
    entity names (``speaker_description``), and by words about their subject."""
    terms = search_terms(about) if about is not None else []
    description_terms = search_terms(described) if described is not None else []
    chosen = []
    for quote in store.facts.quotes:
        if speaker is not None and quote.speaker != speaker:
            continue
        if described is not None and not (
            description_terms and holds_every(quote.speaker_description or "", description_terms)
        ):
            continue
        if terms and not holds_every(
            " ".join([*quote.about, quote.text, quote.occasion or ""]), terms
        ):
            continue
        chosen.append(quote)
    chosen.sort(key=lambda quote: _date_key(quote.date))
    return Selection(chosen, [])


class TimelineEntry(NamedTuple):
    """One dated happening: an event, or a step in a measure's life."""

    date: PartialDate
    end: PartialDate | None
    collection: str
    fact: Any
    what: str


def qualified(what: str, certainty: Certainty) -> str:
    """A status or happening with its certainty beside it, unless the source simply states it."""
    if certainty is Certainty.STATED or certainty.value == what:
        return what
    return f"{what} ({certainty.value.replace('_', ' ')})"


def _timeline_entries(store: Store) -> Iterator[TimelineEntry]:
    for event in store.facts.events:
        if event.date is not None:
            what = qualified(event.status.value, event.certainty)
            yield TimelineEntry(event.date, event.end_date, "events", event, what)
    for measure in store.facts.tariffs:
        if measure.lifecycle:
            for step in measure.lifecycle:
                if step.date is not None:
                    rate = f" at {step.rate_percent:g}%" if step.rate_percent is not None else ""
                    note = f": {step.note}" if step.note else ""
                    status = step.status.value.replace("_", " ")
                    what = qualified(f"{status}{rate}", step.certainty) + note
                    yield TimelineEntry(step.date, None, "tariffs", measure, what)
            continue
        for name in ("announced", "in_force", "ends"):
            when = getattr(measure, name)
            if when is not None:
                what = qualified(name.replace("_", " "), measure.certainty)
                yield TimelineEntry(when, None, "tariffs", measure, what)


def timeline(store: Store, *, window: DateWindow | None = None) -> Selection[TimelineEntry]:
    """Every dated event and measure step, by the first then the last day its date can mean."""
    order = {name: index for index, name in enumerate(COLLECTIONS)}
    entries = sorted(
        _timeline_entries(store),
        key=lambda entry: (_date_key(entry.date), order[entry.collection], entry.fact.id),
    )
    return _select_dated(
        entries,
        window,
        lambda entry: (entry.date, entry.end),
        lambda entry: entry.fact.id,
    )


def source_citations(store: Store) -> list[tuple[Source, int]]:
    """Every source with the number of facts whose evidence cites it."""
    counts = {source.id: 0 for source in store.facts.sources}
    for _collection, item in store.all_facts():
        for source in cited_sources(store, item):
            if source.id in counts:
                counts[source.id] += 1
    return [(source, counts[source.id]) for source in store.facts.sources]


# Search


def search_terms(text: str) -> list[str]:
    """The words of a search, normalised, without common short words (unless only those)."""
    words = list(dict.fromkeys(normalise_name(text).split()))
    meaningful = [word for word in words if word not in _STOP_WORDS]
    return meaningful or words


def _words(text: str) -> list[str]:
    return normalise_name(text).split()


def holds_every(text: str, terms: list[str]) -> bool:
    """True if every normalised search term starts some word of the text."""
    words = _words(text)
    return all(any(word.startswith(term) for word in words) for term in terms)


def matches_term(word: str, terms: Iterable[str]) -> bool:
    """True if a word (as written) starts with one of the normalised search terms."""
    key = normalise_name(word)
    return any(key.startswith(term) for term in terms)


class Hit(NamedTuple):
    """A fact that a search found, how well, and the text that matched best."""

    collection: str
    fact: Any
    terms_matched: int
    score: int
    text: str


def _texts(value: Any, *, top: bool = True) -> Iterator[tuple[bool, str]]:
    """(is a name field, text) for every string inside a dumped fact."""
    if isinstance(value, dict):
        for key, inner in value.items():
            for _named, text in _texts(inner, top=False):
                yield top and key in NAME_FIELDS, text
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner, top=False)
    elif isinstance(value, str):
        yield False, value


def search(store: Store, text: str) -> list[Hit]:
    """Facts and entities holding any of the words, most words matched first, then most hits.

    A word matches a search term when it starts with it, ignoring case and accents; hits in an
    id, name, alias, title or topic count three times.
    """
    terms = _terms_or_fail(text)
    hits = [
        hit
        for collection, item in store.all_facts()
        if (hit := _score(collection, item, terms)) is not None
    ]
    hits.sort(key=lambda hit: (-hit.terms_matched, -hit.score))
    return hits


def search_best(store: Store, text: str, *, limit: int) -> tuple[int, list[Hit]]:
    """How many facts match, and the best ``limit`` of them (all for 0).

    A store opened from its search index asks the index for the matching facts and loads only
    those (with many matches, only the best thousand or so by BM25, names weighing three times);
    otherwise every fact is scored. Either way hits are ordered by words matched, then hits.
    """
    terms = _terms_or_fail(text)
    if store.index is None:
        hits = search(store, text)
        return len(hits), hits[:limit] if limit else hits
    # Score every match exactly when there are few; else the index's best few hundred.
    total, ids = store.index.search(terms, limit=None if not limit else max(limit * 20, 1000))
    found = []
    for fact_id in ids:
        collection, item = store.by_id[fact_id]
        hit = _score(collection, item, terms)
        if hit is not None:
            found.append(hit)
    found.sort(key=lambda hit: (-hit.terms_matched, -hit.score))
    return total, found[:limit] if limit else found


def _terms_or_fail(text: str) -> list[str]:
    terms = search_terms(text)
    if not terms:
        raise UsageError(f"search {text!r} has no words to look for")
    return terms


def _score(collection: str, item: Any, terms: list[str]) -> Hit | None:
    """How well one fact matches: terms matched, weighted hits, and its best-matching text."""
    matched: set[str] = set()
    score = 0
    best, best_count = "", 0
    for named, field_text in _texts(item.to_json()):
        count = 0
        for word in _words(field_text):
            for term in terms:
                if word.startswith(term):
                    matched.add(term)
                    count += 1
        score += count * (_NAME_WEIGHT if named else 1)
        if count > best_count:
            best, best_count = field_text, count
    if not matched:
        return None
    return Hit(collection, item, len(matched), score, best)


# Summary


class Summary(NamedTuple):
    """The visit at a glance: the visit facts, who, where, meetings, measures, figures, counts."""

    visits: list[Event]
    people: list[Any]
    places: list[Any]
    meetings: list[Event]
    measures: list[Measure]
    figures: list[Statement]
    conflicts: list[Conflict]
    counts: dict[str, int]


def summary(store: Store) -> Summary:
    """Gather the visit, its meetings and participants, the measures, the figures and the counts."""
    visits = [e for e in store.facts.events if e.category is EventCategory.VISIT]
    visit_ids = {visit.id for visit in visits}
    all_meetings = [e for e in store.facts.events if e.category is EventCategory.MEETING]
    # Without part_of links to a visit, every meeting is shown rather than none.
    meetings_of_visit = [e for e in all_meetings if e.part_of in visit_ids] or all_meetings
    people: list[Any] = []
    places: list[Any] = []
    for event in [*visits, *meetings_of_visit]:
        for ref in event.participants:
            entity = store.by_id[ref][1]
            if entity not in people:
                people.append(entity)
        if event.place is not None:
            place = store.by_id[event.place][1]
            if place not in places:
                places.append(place)
    figures = [s for s in store.facts.statements if s.kind is StatementKind.FIGURE]
    measures = sorted(
        store.facts.tariffs,
        key=lambda m: -(m.rate_percent if m.rate_percent is not None else -1.0),
    )
    return Summary(
        visits=visits,
        people=people,
        places=places,
        meetings=sorted(meetings_of_visit, key=lambda e: _date_key(e.date)),
        measures=measures,
        figures=figures,
        conflicts=list(store.facts.conflicts),
        counts=summary_counts(store),
    )


# Provenance: one source at a time, what applied when, and where sources disagree


def restrict_to_source(store: Store, source_id: str) -> Store:
    """The store as one source tells it: only facts whose evidence cites ``source_id``.

    Names and titles of other facts stay available for labels; listings and searches see only
    the facts the source supports.
    """
    found = store.by_id.get(source_id)
    if found is None or found[0] != "sources":
        known = [source.id for source in store.facts.sources]
        close = difflib.get_close_matches(source_id, known, n=5, cutoff=0.5)
        raise NotFoundError(
            f"no source has the id {source_id!r}",
            hint=f"did you mean {', '.join(close)}?" if close else "list them: tradecli sources",
        )
    kept: dict[str, list[Any]] = {"sources": [found[1]]}
    for collection in COLLECTIONS:
        if collection in ("sources", "conflicts"):
            continue
        kept[collection] = [
            item
            for item in getattr(store.facts, collection)
            if any(target == source_id for name, target in references(item) if name == "source")
        ]
    claims = {item.id for items in kept.values() for item in items}
    kept["conflicts"] = [c for c in store.facts.conflicts if claims & set(c.claims)]
    restricted = Store(path=store.path, facts=store.facts.replace(**kept))
    restricted.by_id.update(store.by_id)
    return restricted


def superseded_by(store: Store, fact_id: str) -> list[str]:
    """Ids of the facts that declare they supersede this one."""
    return [
        item.id
        for _collection, item in store.all_facts()
        if getattr(item, "supersedes", None) == fact_id
    ]


def tariffs_as_of(store: Store, found: Selection[Measure], day: date) -> Selection[MeasureState]:
    """The measures among ``found`` as they stood on ``day``; the rest are named in notes."""
    sources = {source.id: source for source in store.facts.sources}
    states: list[MeasureState] = []
    absent: list[str] = []
    for measure in found.items:
        state = state_on(measure, day, sources)
        if state is None:
            absent.append(measure.id)
        else:
            states.append(state)
    notes = list(found.notes)
    if absent:
        notes.append(f"note: not yet in place or not yet reported on {day}: {', '.join(absent)}")
    return Selection(states, notes)


class Claim(NamedTuple):
    """One side of a conflict: the fact, what it says, and the sources that say it."""

    collection: str
    fact: Any
    says: str
    sources: list[Source]


class ConflictView(NamedTuple):
    """A conflict with each claim resolved to its fact and sources."""

    conflict: Conflict
    claims: list[Claim]


def claim_text(item: Any) -> str:
    """What a fact asserts, in a line: a statement's text, a measure's rate, an event's date."""
    if isinstance(item, Statement):
        return item.text
    if isinstance(item, Measure):
        rate = f"{item.rate_percent:g}%" if item.rate_percent is not None else "no rate given"
        return f"{item.title}: {rate} on {', '.join(item.products)}"
    if isinstance(item, Event):
        when = span_text(item.date, item.end_date) if item.date is not None else "undated"
        return f"{item.title}: {when}"
    if isinstance(item, Quote):
        return item.text
    return str(getattr(item, "name", None) or getattr(item, "title", None) or item.id)


def conflicts(store: Store, *, topic: str | None = None) -> list[ConflictView]:
    """Every known conflict with its claims side by side, optionally those about some words."""
    terms = search_terms(topic) if topic else []
    views = []
    for conflict in store.facts.conflicts:
        if terms and not holds_every(
            " ".join([conflict.id, conflict.topic, conflict.note or ""]), terms
        ):
            continue
        claims = []
        for claim_id in conflict.claims:
            collection, item = store.by_id[claim_id]
            claims.append(Claim(collection, item, claim_text(item), cited_sources(store, item)))
        views.append(ConflictView(conflict, claims))
    return views
