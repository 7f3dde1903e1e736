"""Turn query results into listings: the columns and cells every format shows, and JSON records.

JSON record shape (stable): ``{"id", "kind", "fields", "evidence", "sources"}`` where ``kind`` is
the fact's collection, ``fields`` is every other field of the fact as the fact file writes it,
``evidence`` its evidence list and ``sources`` the sources it cites (``id``, ``title``, ``outlet``,
``url``). Some commands add keys: ``links`` (show, people NAME, companies NAME), ``cited_by``
(sources), ``score`` and ``terms_matched`` (search). Timeline and summary rows are their own
objects, described on those functions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Record, Shape
from tradecli.facts.kinds import Event, Evidence, LifecycleStep, Measure, Quote, Source, Statement
from tradecli.facts.vocab import Certainty, EventStatus, MeasureStatus
from tradecli.present.listing import Cell, Listing
from tradecli.query.dates import span_text
from tradecli.query.links import Link, cited_sources, links, superseded_by

if TYPE_CHECKING:
    from tradecli.query import Selection
    from tradecli.query.events import TimelineEntry
    from tradecli.query.lifecycle import MeasureState
    from tradecli.query.search import Hit
    from tradecli.query.sources import ConflictView
    from tradecli.query.summary import Summary
    from tradecli.store import Store
    from tradecli.words import Term

NOT_GIVEN = "not given"


def qualified(what: str, certainty: Certainty) -> str:
    """A status or happening with its certainty beside it, unless the source simply states it."""
    if certainty is Certainty.STATED or certainty.value == what:
        return what
    return f"{what} ({certainty.label})"


def happening(entry: TimelineEntry) -> str:
    """What a timeline entry says happened: "held", "in force at 100%: note", "announced"."""
    if entry.step is not None:
        step = entry.step
        rate = f" at {step.rate_percent:g}%" if step.rate_percent is not None else ""
        on = f" for {', '.join(step.products)}" if step.products else ""
        until = f" until {step.until}" if step.until is not None else ""
        note = f": {step.note}" if step.note else ""
        return qualified(f"{step.status.label}{on}{rate}{until}", step.certainty) + note
    if entry.field is not None:
        return qualified(entry.field.label, entry.fact.certainty)
    return qualified(entry.fact.status.label, entry.fact.certainty)


def label(store: Store, ref: str | None) -> str | None:
    """What to call a referenced fact: its name or title, else its id."""
    if ref is None:
        return None
    found = store.by_id.get(ref)
    if found is None:
        return ref
    item = found[1]
    return str(getattr(item, "name", None) or getattr(item, "title", None) or ref)


def labels(store: Store, refs: list[str]) -> list[str]:
    """Names or titles of several referenced facts."""
    return [label(store, ref) or ref for ref in refs]


def rate(value: float | None) -> str:
    """A rate in percent, or 'not given': a missing rate is never invented."""
    return NOT_GIVEN if value is None else f"{value:g}%"


def when(first: PartialDate | None, last: PartialDate | None = None) -> str:
    """A date or range at its own precision, or 'not given'."""
    return NOT_GIVEN if first is None else span_text(first, last)


def source_brief(source: Source) -> dict[str, Any]:
    """The part of a source that a record names."""
    return {"id": source.id, "title": source.title, "outlet": source.outlet, "url": source.url}


def record(store: Store, collection: str, item: Any) -> dict[str, Any]:
    """A fact in the documented JSON shape."""
    fields = item.to_json()
    fields.pop("id", None)
    evidence = fields.pop("evidence", [])
    return {
        "id": item.id,
        "kind": collection,
        "fields": fields,
        "evidence": evidence,
        "sources": [source_brief(source) for source in cited_sources(store, item)],
    }


def evidence_line(store: Store, evidence: Evidence) -> str:
    """One piece of evidence: the source, then the excerpt in quotes or the paraphrase."""
    source = store.by_id[evidence.source][1]
    where = ", ".join(str(part) for part in (source.outlet, source.published) if part)
    cited = f"{source.title} ({where})" if where else source.title
    said = f'"{evidence.excerpt}"' if evidence.excerpt else f"paraphrase: {evidence.paraphrase}"
    return f"[{source.id}] {cited}: {said}"


def _sources_cell(store: Store, item: Any) -> list[str]:
    return [source.id for source in cited_sources(store, item)]


_MEASURE_DATES = Measure.fields_of(Shape.DATE)


def tariff_listing(store: Store, found: Selection[Measure]) -> Listing:
    """Measures: imposer and target, products, rate, purpose, what they answer, status, dates."""
    rows: list[tuple[Cell, ...]] = []
    for m in found.items:
        dates = [
            f"{field.label} {value}"
            for field in _MEASURE_DATES
            if (value := getattr(m, field.name)) is not None
        ]
        history = [
            f"{when(step.date)} {step.status.label}"
            + (f" at {rate(step.rate_percent)}" if step.rate_percent is not None else "")
            + (f": {step.note}" if step.note else "")
            for step in m.lifecycle
        ]
        rows.append(
            (
                m.id,
                m.title,
                f"{label(store, m.imposed_by)} -> {label(store, m.target)}",
                m.products,
                rate(m.rate_percent) + (f" ({m.rate_basis})" if m.rate_basis else ""),
                m.purpose or NOT_GIVEN,
                labels(store, m.responds_to),
                m.status.label,
                dates or NOT_GIVEN,
                history,
                _sources_cell(store, m),
            )
        )
    columns = (
        "id", "measure", "imposed by -> on", "products", "rate", "purpose", "responds to",
        "status", "dates", "history", "sources",
    )  # fmt: skip
    return Listing(columns, rows, [record(store, "tariffs", m) for m in found.items])


def meeting_listing(store: Store, found: Selection[Event]) -> Listing:
    """Meetings: date, title, participants, place, status, topics, outcome."""
    rows: list[tuple[Cell, ...]] = [
        (
            e.id,
            when(e.date, e.end_date),
            e.title,
            labels(store, e.participants),
            label(store, e.place) or NOT_GIVEN,
            _status_with_supersession(store, e),
            e.topics,
            e.outcome,
            _sources_cell(store, e),
        )
        for e in found.items
    ]
    columns = (
        "id", "date", "meeting", "participants", "place", "status", "topics", "outcome", "sources",
    )  # fmt: skip
    return Listing(columns, rows, [record(store, "events", e) for e in found.items])


def _status_with_supersession(store: Store, event: Event) -> list[str]:
    """An event's status, with the facts it replaces and the facts that replace it."""
    lines = [qualified(event.status.label, event.certainty)]
    if event.supersedes:
        lines.append(f"supersedes {event.supersedes}")
    lines.extend(f"superseded by {later}" for later in superseded_by(store, event.id))
    return lines


def _attribution(quote: Quote) -> list[str]:
    how = quote.channel.label
    if quote.platform:
        how += f" on {quote.platform}"
    return [part for part in (quote.attribution, how) if part]


def quote_listing(store: Store, found: Selection[Quote]) -> Listing:
    """Quotes: speaker, date, words, occasion, attribution, subjects, sources."""
    rows: list[tuple[Cell, ...]] = [
        (
            q.id,
            label(store, q.speaker) or q.speaker_description,
            when(q.date),
            f'"{q.text}"',
            q.occasion or label(store, q.event) or NOT_GIVEN,
            _attribution(q),
            q.about,
            _sources_cell(store, q),
        )
        for q in found.items
    ]
    columns = ("id", "speaker", "date", "quote", "occasion", "attribution", "about", "sources")
    return Listing(columns, rows, [record(store, "quotes", q) for q in found.items])


def _role(store: Store, role: Any) -> str:
    where = ", ".join(
        part for part in (label(store, role.organisation), label(store, role.country)) if part
    )
    text = f"{role.title}, {where}" if where else role.title
    return f"{text} ({role.rank})" if role.rank else text


def entity_listing(store: Store, collection: str, items: list[Any]) -> Listing:
    """People or organisations: names, aliases, roles or kind, country."""
    rows: list[tuple[Cell, ...]] = []
    for item in items:
        if collection == "people":
            about: Cell = [_role(store, role) for role in item.roles]
        else:
            about = [
                part
                for part in (
                    item.kind.label,
                    item.sector,
                    item.ownership.value.replace("_", " ") if item.ownership else None,
                )
                if part
            ]
        rows.append((item.id, item.name, item.aliases, about, label(store, item.country)))
    middle = "roles" if collection == "people" else "kind"
    columns = ("id", "name", "aliases", middle, "country")
    return Listing(columns, rows, [record(store, collection, item) for item in items])


def _value_cell(store: Store, value: Any) -> Cell:
    """A field value as text; nested records as 'key: value' parts."""
    if value is None:
        return None
    if isinstance(value, list):
        return [flat_value(store, inner) for inner in value]
    return flat_value(store, value)


def flat_value(store: Store, value: Any) -> str:
    """One value as text: dates at their precision, enums by value, records as 'key: value'."""
    if isinstance(value, Record):
        parts: list[str] = []
        for field in value.FIELDS:
            name = field.name
            inner = getattr(value, name)
            if inner is None or inner == []:
                continue
            if name == "evidence":
                parts.extend(f"evidence: {evidence_line(store, e)}" for e in inner)
            else:
                shown = _value_cell(store, inner)
                parts.append(f"{name}: {'; '.join(shown) if isinstance(shown, list) else shown}")
        return "; ".join(parts)
    if hasattr(value, "value") and not isinstance(value, PartialDate):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _link_line(link: Link) -> str:
    what = getattr(link.fact, "name", None) or getattr(link.fact, "title", None)
    what = what or getattr(link.fact, "topic", None) or getattr(link.fact, "text", "")
    arrow = f"this {link.relation} -> " if link.outgoing else f"<- {link.relation} of "
    return f"{arrow}{link.fact.id} ({link.collection}): {what}"


def detail_listing(store: Store, fact_id: str) -> Listing:
    """One fact in full: every field, each piece of evidence, and the facts linked both ways."""
    collection, item = store.by_id[fact_id]
    found = links(store, fact_id)
    rows: list[tuple[Cell, ...]] = [("collection", collection)]
    for field in item.FIELDS:
        if field.name == "evidence":
            continue
        value = getattr(item, field.name)
        if value is None or value == []:
            continue
        rows.append((field.label, _value_cell(store, value)))
    evidence = getattr(item, "evidence", [])
    if evidence:
        rows.append(("evidence", [evidence_line(store, e) for e in evidence]))
    cited = cited_sources(store, item)
    if cited:
        rows.append(
            ("sources", [f"{s.id}: {s.title}" + (f" <{s.url}>" if s.url else "") for s in cited])
        )
    if found:
        rows.append(("linked", [_link_line(link) for link in found]))
    data = record(store, collection, item)
    data["links"] = [
        {
            "direction": "to" if link.outgoing else "from",
            "relation": link.relation,
            "id": link.fact.id,
            "kind": link.collection,
        }
        for link in found
    ]
    return Listing(("field", "value"), rows, [data])


def search_listing(store: Store, hits: list[Hit], terms: list[Term]) -> Listing:
    """Search hits, best first, with the words matched highlighted in tables."""
    rows: list[tuple[Cell, ...]] = []
    records = []
    for hit in hits:
        title = getattr(hit.fact, "name", None) or getattr(hit.fact, "title", None)
        title = title or getattr(hit.fact, "topic", None) or hit.fact.id
        match = hit.text if hit.text != title else None
        rows.append((str(hit.score), hit.fact.id, hit.collection, title, match))
        data = record(store, hit.collection, hit.fact)
        data["score"] = hit.score
        data["terms_matched"] = hit.terms_matched
        records.append(data)
    return Listing(("score", "id", "kind", "name", "match"), rows, records, tuple(terms))


def timeline_listing(found: Selection[TimelineEntry]) -> Listing:
    """Timeline rows; JSON objects ``{"date", "end_date", "id", "kind", "title", "what"}``."""
    rows: list[tuple[Cell, ...]] = []
    records: list[dict[str, Any]] = []
    for entry in found.items:
        title = entry.fact.title
        rows.append(
            (when(entry.date, entry.end), entry.fact.id, entry.collection, title, happening(entry))
        )
        records.append(
            {
                "date": str(entry.date),
                "end_date": str(entry.end) if entry.end is not None else None,
                "id": entry.fact.id,
                "kind": entry.collection,
                "title": title,
                "what": happening(entry),
            }
        )
    return Listing(("date", "id", "kind", "title", "what"), rows, records)


def source_listing(store: Store, counted: list[tuple[Source, int]]) -> Listing:
    """Sources with how many facts cite each."""
    rows: list[tuple[Cell, ...]] = []
    records = []
    for source, count in counted:
        title: list[str] = [source.title, *([source.url] if source.url else [])]
        rows.append((source.id, title, source.outlet, when(source.published), str(count)))
        data = record(store, "sources", source)
        data["cited_by"] = count
        records.append(data)
    return Listing(("id", "title", "outlet", "published", "cited by"), rows, records)


def _cited(store: Store, item: Any) -> list[str]:
    return [source.id for source in cited_sources(store, item)]


def _entry_line(store: Store, entry: TimelineEntry) -> tuple[str, list[str]]:
    """A dated happening in a line, and the sources that give it."""
    said = _cited(store, entry.step) if entry.step is not None else _cited(store, entry.fact)
    return f"{when(entry.date, entry.end)} {entry.fact.title}: {happening(entry)}", said


def summary_listing(store: Store, summary: Summary) -> Listing:
    """The visit at a glance, outcome first; JSON objects ``{"topic", "detail", "ids",
    "sources"}``: what was agreed and expected, what happened since, what is disputed, figures,
    and the date the sources end."""
    items: list[tuple[str, str, list[str], list[str]]] = []
    for visit in summary.visits:
        dates = when(visit.date, visit.end_date)
        status = "" if visit.status is EventStatus.HELD else f", {visit.status.label}"
        claim = f"; claimed by {label(store, visit.claimed_by)}" if visit.claimed_by else ""
        detail = f"{visit.title}: {dates}{status} ({visit.certainty.label}{claim})"
        items.append(("visit", detail, [visit.id], _cited(store, visit)))
    if summary.people:
        ids = [p.id for p in summary.people]
        items.append(("who", ", ".join(p.name for p in summary.people), ids, []))
    if summary.places:
        ids = [p.id for p in summary.places]
        items.append(("where", ", ".join(p.name for p in summary.places), ids, []))
    for meeting in summary.meetings:
        with_ = ", ".join(labels(store, meeting.participants))
        status = qualified(meeting.status.label, meeting.certainty)
        detail = f"{when(meeting.date, meeting.end_date)} {meeting.title} ({status}; {with_})"
        items.append(("meeting", detail, [meeting.id], _cited(store, meeting)))
    for statement in summary.agreed:
        items.append(("agreed", statement.text, [statement.id], _cited(store, statement)))
    for entry in summary.announced:
        line, said = _entry_line(store, entry)
        items.append(("agreed", line, [entry.fact.id], said))
    for statement in summary.expected:
        holder = label(store, statement.claimed_by)
        detail = f"{statement.text} (expected{f' by {holder}' if holder else ''}, not confirmed)"
        items.append(("expected", detail, [statement.id], _cited(store, statement)))
    for entry in summary.since:
        line, said = _entry_line(store, entry)
        items.append(("since", line, [entry.fact.id], said))
    for conflict in summary.conflicts:
        detail = conflict.topic
        if conflict.explanation is not None:
            detail += f"; explained: {conflict.explanation.text}"
        items.append(("disputed", detail, list(conflict.claims), _cited(store, conflict)))
    for figure in summary.figures:
        items.append(("figure", figure.text, [figure.id], _cited(store, figure)))
    newest = summary.newest
    if newest is not None:
        where = ", ".join(part for part in (newest.outlet, newest.title) if part)
        detail = f"{newest.published}, the newest source ({where}); later changes are unknown"
        items.append(("sources end", detail, [newest.id], [newest.id]))
    counts = ", ".join(f"{count} {name}" for name, count in summary.counts.items())
    items.append(("facts", counts, [], []))
    rows: list[tuple[Cell, ...]] = [
        (topic, detail + (f" [{', '.join(said)}]" if said else ""))
        for topic, detail, _ids, said in items
    ]
    records = [
        {"topic": topic, "detail": detail, "ids": ids, "sources": said}
        for topic, detail, ids, said in items
    ]
    return Listing(("topic", "detail"), rows, records)


def _step_line(store: Store, step: LifecycleStep) -> str:
    """An expected lifecycle step: what, when, at what rate, and who says so."""
    rate_text = f" to {rate(step.rate_percent)}" if step.rate_percent is not None else ""
    said = ", ".join(source.id for source in cited_sources(store, step))
    note = f": {step.note}" if step.note else ""
    on = f" for {', '.join(step.products)}" if step.products else ""
    return f"expected {step.status.label}{on}{rate_text} by {when(step.date)}{note} [{said}]"


def _expectation_line(store: Store, statement: Statement) -> str:
    """An expectation someone holds about a measure, with its sources: never a confirmed rate."""
    holder = label(store, statement.claimed_by) or "a source"
    said = ", ".join(source.id for source in cited_sources(store, statement))
    return f"expected by {holder}, not confirmed: {statement.text} [{said}]"


def _span(step: LifecycleStep, day: date) -> str:
    """A step's status with its dates: since when, until when, or that it ended."""
    if step.until is not None and step.until.last_day() < day:
        return (
            f"{step.status.label} from {when(step.date)} to {step.until}; "
            f"not known after {step.until}: no source says what came next"
        )
    until = f", until {step.until}" if step.until is not None else ""
    return f"{step.status.label} since {when(step.date)}{until}"


def _rate_on(state: MeasureState) -> str:
    """The rate on the day: not known after a known end, and marked while not charged."""
    if state.status is None:
        return "not known"
    if state.status in (MeasureStatus.SUSPENDED, MeasureStatus.LIFTED, MeasureStatus.THREATENED):
        return f"{rate(state.rate_percent)} ({state.status.label})"
    return rate(state.rate_percent)


def state_lines(state: MeasureState, day: date) -> list[str]:
    """What a measure was on a day: its status with dates, and steps on some of its products."""
    if state.status is None:
        first = (
            f"not known after {state.ended}: it was to end on {state.ended}, "
            "and no source says what came next"
        )
    elif state.basis.startswith("as reported"):
        first = f"{state.status.label} ({state.basis.replace('as reported', 'as reported on')})"
    elif state.since is not None:
        until = f", until {state.until}" if state.until is not None else ""
        first = f"{state.status.label} since {state.since}{until}"
        if state.status is MeasureStatus.THREATENED:
            first += " (a threat: never in force)"
    else:
        first = state.status.label
    if state.measure.certainty is not Certainty.STATED:
        first += f" ({state.measure.certainty.label})"
    return [
        first,
        *(f"for {', '.join(step.products)}: {_span(step, day)}" for step in state.partial),
    ]


def as_of_listing(
    store: Store,
    found: Selection[MeasureState],
    day: date,
    expected: dict[str, list[Statement]] | None = None,
) -> Listing:
    """Measures as they stood on one day: status since when, rate, and changes only expected.

    ``expected`` holds, by measure id, the expectations someone holds about each (statements).
    """
    rows: list[tuple[Cell, ...]] = []
    records: list[dict[str, Any]] = []
    for state in found.items:
        m = state.measure
        held = (expected or {}).get(m.id, [])
        lines = [_step_line(store, step) for step in state.expected]
        lines += [_expectation_line(store, statement) for statement in held]
        rows.append(
            (
                m.id,
                m.title,
                f"{label(store, m.imposed_by)} -> {label(store, m.target)}",
                m.products,
                _rate_on(state),
                state_lines(state, day),
                lines or None,
                _sources_cell(store, m),
            )
        )
        records.append(
            {
                **record(store, "tariffs", m),
                "as_of": {
                    "date": day.isoformat(),
                    "status": state.status.value if state.status is not None else None,
                    "rate_percent": state.rate_percent,
                    "since": str(state.since) if state.since is not None else None,
                    "until": str(state.until) if state.until is not None else None,
                    "ended": str(state.ended) if state.ended is not None else None,
                    "basis": state.basis,
                    "partial": [step.to_json() for step in state.partial],
                    "expected": [step.to_json() for step in state.expected],
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
                },
            }
        )
    columns = (
        "id", "measure", "imposed by -> on", "products", f"rate on {day}", f"status on {day}",
        "expected, not confirmed", "sources",
    )  # fmt: skip
    return Listing(columns, rows, records)


def conflict_listing(store: Store, views: list[ConflictView]) -> Listing:
    """Conflicts side by side: one row per claim, with what it says and who says it when."""
    rows: list[tuple[Cell, ...]] = []
    records: list[dict[str, Any]] = []
    for view in views:
        conflict = view.conflict
        for claim in view.claims:
            rows.append(
                (
                    conflict.id,
                    conflict.topic,
                    claim.fact.id,
                    claim.says,
                    [_source_line(source) for source in claim.sources],
                )
            )
        explained = conflict.explanation
        explaining = cited_sources(store, explained) if explained is not None else []
        if explained is not None:
            lines = [_source_line(source) for source in explaining]
            rows.append((conflict.id, conflict.topic, "explained", explained.text, lines))
        records.append(
            {
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
                    "sources": [source_brief(source) for source in explaining],
                },
            }
        )
    columns = ("conflict", "topic", "claim", "says", "sources")
    return Listing(columns, rows, records)


def _source_line(source: Source) -> str:
    published = f", {source.published}" if source.published is not None else ""
    outlet = source.outlet or "outlet not given"
    return f"{source.id} ({outlet}{published})"
