"""The visit at a glance: the visit, who, where, the meetings, measures, figures and counts."""

from __future__ import annotations

from typing import Any, NamedTuple

from tradecli.facts.kinds import COLLECTIONS, Conflict, Event, Measure, Statement
from tradecli.facts.vocab import EventCategory, StatementKind
from tradecli.query.dates import date_key
from tradecli.store import Store


def summary_counts(store: Store) -> dict[str, int]:
    """How many facts of each kind the store holds."""
    return {name: len(getattr(store.facts, name)) for name in COLLECTIONS}


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
        meetings=sorted(meetings_of_visit, key=lambda e: date_key(e.date)),
        measures=measures,
        figures=figures,
        conflicts=list(store.facts.conflicts),
        counts=summary_counts(store),
    )
