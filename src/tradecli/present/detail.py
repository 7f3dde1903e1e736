"""One fact in full, as a record reads: labelled fields, its history, evidence, sources, links.

Built from the declarations, so a new field shows with its label. Expected, claimed and
threatened steps are marked as such, excerpts are quoted with their outlet and date, addresses
sit whole on lines of their own, and linked facts carry their dates and ids.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tradecli.facts.fields import Field, Shape
from tradecli.facts.kinds import Conflict, Event, Evidence, LifecycleStep, Measure, Role, Source
from tradecli.facts.vocab import Certainty, MeasureStatus
from tradecli.present.listing import Detail, Line, Section
from tradecli.present.words import (
    confirmation,
    label,
    labels,
    name_of,
    qualified,
    quoted,
    rate,
    record,
    said_then,
    source_brief,
    source_name,
    when,
)
from tradecli.query.links import Link, cited_sources, links, superseded_by
from tradecli.query.sources import support

if TYPE_CHECKING:
    from tradecli.query.lifecycle import MeasureState
    from tradecli.store import Store


def _value_lines(store: Store, spec: Field, value: Any) -> list[str]:
    """A field's value as lines for people: names for ids, words for vocabularies."""
    if spec.many:
        return [line for inner in value for line in _value_lines(store, _one(spec), inner)]
    if spec.shape is Shape.REF:
        return [label(store, value) or value]
    if spec.shape is Shape.VOCAB:
        return [value.label]
    if spec.shape is Shape.PERCENT:
        return [rate(value)]
    if spec.shape is Shape.NUMBER:
        return [f"{value:g}"]
    if spec.shape is Shape.PART and isinstance(value, Role):
        return [role_line(store, value)]
    return [str(value)]


def _one(spec: Field) -> Field:
    return Field(
        spec.shape, spec.description, vocab=spec.vocab, targets=spec.targets, part=spec.part
    )


def role_line(store: Store, role: Role) -> str:
    """A position as a line: "Prime Minister, Government of Canada (rank)"."""
    where = ", ".join(
        part for part in labels(store, [r for r in (role.organisation, role.country) if r])
    )
    text = f"{role.title}, {where}" if where else role.title
    return f"{text} ({role.rank})" if role.rank else text


def step_line(store: Store, step: LifecycleStep, *, with_sources: bool = True) -> str:
    """A lifecycle step: when, what, on which products, at what rate, until when, marked if
    only expected, claimed or threatened, with its sources."""
    on = f" for {', '.join(step.products)}" if step.products else ""
    at = f" at {rate(step.rate_percent)}" if step.rate_percent is not None else ""
    until = f" until {step.until}" if step.until is not None else ""
    what = qualified(f"{step.status.label}{on}{at}{until}", step.certainty)
    if step.status is MeasureStatus.THREATENED:
        what += " (a threat: never in force)"
    note = f": {step.note}" if step.note else ""
    said = "; ".join(source_name(s) for s in cited_sources(store, step)) if with_sources else ""
    return f"{when(step.date)}  {what}{note}" + (f" — {said}" if said else "")


def evidence_line(store: Store, evidence: Evidence) -> str:
    """A piece of evidence: the excerpt in quotes, or the paraphrase marked, and its source."""
    source = store.by_id[evidence.source][1]
    said = quoted(evidence.excerpt) if evidence.excerpt else f"{evidence.paraphrase} (paraphrase)"
    return f"{said} — {source_name(source)}"


def _dated(item: Any) -> str:
    when_ = getattr(item, "date", None) or getattr(item, "published", None)
    return f"{when_} " if when_ is not None else ""


# How a link reads from the fact it points at: "← answered by: <the measure responding>".
_POINTED_AT = {
    "responds_to": "answered by",
    "supersedes": "superseded by",
    "subjects": "about it",
    "claims": "disputed in",
    "participants": "took part in",
    "part_of": "includes",
    "speaker": "said",
    "claimed_by": "claimed",
    "place": "held here",
    "imposed_by": "imposed",
    "target": "aimed at it",
    "country": "in it",
    "organisation": "positions in it",
    "affected": "affects it",
}


# Vocabulary fields that say what kind of fact this is: shown beside its id, not again below.
_IN_THE_SUBTITLE = ("category", "kind")


def link_line(link: Link, shown: Any) -> str:
    """A link in words, with the other fact's date, name and id; a link to a claim says so, and
    a response that is the editors' reading (``responds_to_basis``) says that.

    ``shown`` is the fact whose link it is."""
    other = f"{_dated(link.fact)}{name_of(link.fact)} ({link.fact.id})"
    certainty = getattr(link.fact, "certainty", Certainty.STATED)
    if certainty in (Certainty.CLAIMED, Certainty.ALLEGED, Certainty.WIDELY_SEEN_AS):
        other += f" ({certainty.label})"
    if link.relation == "responds_to":
        responding = shown if link.outgoing else link.fact
        if getattr(responding, "responds_to_basis", None):
            other += " (the editors' reading)"
    if link.outgoing:
        return f"→ {link.relation.replace('_', ' ')}: {other}"
    relation = _POINTED_AT.get(link.relation) or f"{link.relation.replace('_', ' ')} of"
    return f"← {relation}: {other}"


def _span(step: LifecycleStep, day: date) -> str:
    """A step's status with its dates: since when, until when, or that it ended."""
    if step.until is not None and step.until.last_day() < day:
        return (
            f"{step.status.label} from {when(step.date)} to {step.until}; "
            f"not known after {step.until}: no source says what came next"
        )
    until = f", until {step.until}" if step.until is not None else ""
    return f"{step.status.label} since {when(step.date)}{until}"


def state_lines(state: MeasureState, day: date) -> list[str]:
    """What a measure was on a day: its status with dates, and steps on some of its products."""
    if state.status is None:
        first = (
            f"not known after {state.ended}: it was to end on {state.ended}, "
            "and no source says what came next"
        )
    elif state.last_said is not None:
        first = said_then(state.status.label, state.measure.certainty, state.last_said)
    elif state.basis.startswith("as reported"):
        first = f"{state.status.label} ({state.basis.replace('as reported', 'as reported on')})"
    elif state.since is not None:
        until = f", until {state.until}" if state.until is not None else ""
        first = f"{state.status.label} since {state.since}{until}"
        if state.status is MeasureStatus.THREATENED:
            first += " (a threat: never in force)"
    else:
        first = state.status.label
    if state.measure.certainty is not Certainty.STATED and state.last_said is None:
        first += f" ({state.measure.certainty.label})"
    partial = [
        f"for {', '.join(step.products)}: {_span(step, day)}"
        for step in (*state.partial, *state.lapsed)
    ]
    return [first, *partial]


def detail(
    store: Store, fact_id: str, *, state: MeasureState | None = None, today: date | None = None
) -> tuple[Detail, dict[str, Any]]:
    """One fact in full, for people, and as a JSON record with its links.

    ``state`` is a measure's state on ``today`` (the newest source's date), shown beside its
    fields.
    """
    collection, item = store.by_id[fact_id]
    kind = type(item)
    fields: list[tuple[str, list[str]]] = []
    for spec in kind.FIELDS:
        value = getattr(item, spec.name)
        if spec.name in ("id", "evidence", "lifecycle", "explanation") or value in (None, []):
            continue
        if spec.name == "certainty" and value is Certainty.STATED:
            continue
        if spec.name == "url":
            continue  # on a line of its own, under sources
        if value == name_of(item):
            continue  # the record's heading
        if spec.name in _IN_THE_SUBTITLE and hasattr(value, "label"):
            continue  # a word of its kind, beside its id under the heading
        fields.append((spec.label, _value_lines(store, spec, value)))
    if state is not None and today is not None:
        fields.append((f"on {today}", state_lines(state, today)))
    if hasattr(item, "evidence"):
        fields.append(("confirmed by", [confirmation(support(store, item))]))
    if isinstance(item, Event):
        later = superseded_by(store, item.id)
        if later:
            fields.append(("superseded by", [label(store, other) or other for other in later]))
    sections: list[Section] = []
    if isinstance(item, Measure) and item.lifecycle:
        sections.append(Section("history", [Line(step_line(store, s)) for s in item.lifecycle]))
    if isinstance(item, Conflict):
        sections.append(
            Section("claims", [Line(claim_line(store, claim, item)) for claim in item.claims])
        )
        if item.explanation is not None:
            said = "; ".join(source_name(s) for s in cited_sources(store, item.explanation))
            sections.append(Section("explanation", [Line(f"{item.explanation.text} — {said}")]))
    evidence = getattr(item, "evidence", [])
    if evidence:
        sections.append(Section("evidence", [Line(evidence_line(store, e)) for e in evidence]))
    if isinstance(item, Source):  # its outlet, date and title are the fields and heading above
        where = Line(item.url, url=item.url) if item.url else Line("none given by the source")
        sections.append(Section("address", [where]))
    elif cited := cited_sources(store, item):
        sources: list[Line] = []
        for source in cited:
            sources.append(Line(f"{source_name(source)}: {source.title}"))
            if source.url:
                sources.append(Line(source.url, url=source.url))
        sections.append(Section("sources", sources))
    found = links(store, fact_id)
    if found:
        sections.append(Section("linked", [Line(link_line(link, item)) for link in found]))
    data = record(store, collection, item)
    data["links"] = [
        {
            "direction": "to" if link.outgoing else "from",
            "relation": link.relation,
            "id": link.fact.id,
            "kind": link.collection,
            "date": str(d) if (d := getattr(link.fact, "date", None)) is not None else None,
            "name": name_of(link.fact),
        }
        for link in found
    ]
    what = [kind.NOUN]
    for extra in _IN_THE_SUBTITLE:
        value = getattr(item, extra, None)
        if value is not None and hasattr(value, "label"):
            what.append(value.label)
    kind_words = " · ".join(dict.fromkeys(what))
    subtitle = f"{item.id} · {kind_words}"
    return Detail(name_of(item), subtitle, fields, sections, item.id, kind_words), data


def claim_line(store: Store, fact_id: str, conflict: Conflict) -> str:
    """One side of a conflict: what the fact says, and who says it."""
    from tradecli.query.sources import claim_text

    _collection, item = store.by_id[fact_id]
    said = "; ".join(source_name(s) for s in cited_sources(store, item))
    return f"{claim_text(store, item, conflict)} ({fact_id}) — {said}"


__all__ = ["detail", "source_brief"]
