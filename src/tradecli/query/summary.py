"""The visit at a glance: the visit, who, where, the meetings, measures, figures and counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from tradecli.facts.dates import PartialDate, Precision
from tradecli.facts.kinds import COLLECTIONS, Conflict, Event, Source, Statement
from tradecli.facts.vocab import (
    Certainty,
    EventCategory,
    EventStatus,
    MeasureStatus,
    StatementKind,
)
from tradecli.query.dates import DateWindow, date_key
from tradecli.query.events import TimelineEntry, timeline
from tradecli.query.sources import newest_source
from tradecli.store import Store


def summary_counts(store: Store) -> dict[str, int]:
    """How many facts of each kind the store holds."""
    counted = store.counts()
    return {name: counted.get(name, 0) for name in COLLECTIONS}


class Summary(NamedTuple):
    """The visit at a glance: what it was, what was agreed and expected, what happened since,
    what the sources dispute, and the date they end."""

    visits: list[Event]
    visit_end: PartialDate | None
    people: list[Any]
    places: list[Any]
    meetings: list[Event]
    agreed: list[Statement]
    announced: list[TimelineEntry]
    expected: list[Statement]
    since: list[TimelineEntry]
    figures: list[Statement]
    conflicts: list[Conflict]
    newest: Source | None
    counts: dict[str, int]


def _unique(items: list[Any]) -> list[Any]:
    """Facts once each, in order, by id (linear, whatever the number of facts)."""
    return list({item.id: item for item in reversed(items)}.values())[::-1]


_TOOK_PLACE = (EventStatus.HELD, EventStatus.HAPPENED, EventStatus.ONGOING)


def summary(store: Store) -> Summary:
    """Gather the visit, its meetings and participants, what was agreed and what followed."""
    events = store.items("events")
    visits = [e for e in events if e.category is EventCategory.VISIT]
    visit_ids = {visit.id for visit in visits}
    parts = [e for e in events if e.part_of in visit_ids]
    meetings = [e for e in parts if e.category is EventCategory.MEETING] or [
        e for e in events if e.category is EventCategory.MEETING
    ]  # without part_of links to a visit, every meeting is shown rather than none
    shown = [*visits, *meetings]
    # Who took part: the people of what was held, not of what was only scheduled or cancelled.
    held = [e for e in shown if e.status in _TOOK_PLACE]
    people = _unique([f for _c, f in store.many([r for e in held for r in e.participants])])
    places = _unique([f for _c, f in store.many([e.place for e in shown if e.place is not None])])
    dated = [d for e in [*visits, *parts] for d in (e.date, e.end_date) if d is not None]
    # A part known only to the month (meetings "on the agenda") does not stretch the visit.
    dated = [d for d in dated if d.precision is Precision.DAY] or dated
    start = min((d.first_day() for d in dated), default=None)
    end = max(dated, key=PartialDate.last_day, default=None)

    def during(when: PartialDate | None) -> bool:
        return (
            when is not None
            and start is not None
            and end is not None
            and start <= when.first_day()
            and when.last_day() <= end.last_day()
        )

    kinds = (StatementKind.AGREEMENT, StatementKind.EXPECTATION, StatementKind.FIGURE)
    statements = store.where("statements", "kind", {kind.value for kind in kinds})
    visit_window = DateWindow(start, end.last_day(), "the visit") if start and end else None
    during_visit = (
        list(timeline(store, window=visit_window, collections=("tariffs",)).items)
        if visit_window
        else []
    )
    after = DateWindow(end.last_day() + timedelta(days=1), None, "since the visit") if end else None
    since_visit = list(timeline(store, window=after).items) if after else []
    return Summary(
        visits=visits,
        visit_end=end,
        people=people,
        places=places,
        meetings=sorted(meetings, key=lambda e: date_key(e.date)),
        agreed=[s for s in statements if s.kind is StatementKind.AGREEMENT and during(s.date)],
        announced=[
            entry
            for entry in during_visit
            if entry.step is not None
            and entry.step.status is MeasureStatus.ANNOUNCED
            and during(entry.date)
        ],
        expected=[s for s in statements if s.kind is StatementKind.EXPECTATION and during(s.date)],
        since=[
            entry
            for entry in since_visit
            if end is not None
            and entry.date.first_day() > end.last_day()
            and (entry.step is None or entry.step.certainty is not Certainty.EXPECTED)
        ],
        figures=[s for s in statements if s.kind is StatementKind.FIGURE],
        conflicts=list(store.items("conflicts")),
        newest=newest_source(store),
        counts=summary_counts(store),
    )
