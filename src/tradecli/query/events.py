"""Meetings and the timeline of every dated event and measure step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple, TypeVar

from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Field, Shape
from tradecli.facts.kinds import COLLECTIONS, Event, LifecycleStep, Measure
from tradecli.facts.vocab import EventCategory, EventStatus
from tradecli.query import Selection
from tradecli.query.dates import DateWindow, date_key, select_dated
from tradecli.query.sources import beyond_sources
from tradecli.store import Store

T = TypeVar("T")


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
    events = store.facts.events if window is None else store.events_within(window.start, window.end)
    chosen = [
        event
        for event in events
        if event.category is EventCategory.MEETING
        and (participant is None or participant in event.participants)
        and (status is None or event.status is status)
    ]
    chosen.sort(key=lambda event: date_key(event.date))
    found = select_dated(chosen, window, _event_dates, lambda event: event.id)
    return _noting_the_end(store, window, found)


def _noting_the_end(store: Store, window: DateWindow | None, found: Selection[T]) -> Selection[T]:
    """The selection, with a note when the window reaches past the newest source."""
    last = window.end or window.start if window is not None else None
    beyond = beyond_sources(store, last) if last is not None else None
    return found if beyond is None else Selection(found.items, [*found.notes, beyond])


class TimelineEntry(NamedTuple):
    """One dated happening: an event, a step in a measure's life, or one of a measure's dates.

    ``step`` is the lifecycle step, and ``field`` the date field of a measure without dated
    steps, that the entry stands for.
    """

    date: PartialDate
    end: PartialDate | None
    collection: str
    fact: Any
    step: LifecycleStep | None = None
    field: Field | None = None


_MEASURE_DATES = Measure.fields_of(Shape.DATE)


def _timeline_entries(store: Store) -> Iterator[TimelineEntry]:
    for event in store.facts.events:
        if event.date is not None:
            yield TimelineEntry(event.date, event.end_date, "events", event)
    for measure in store.facts.tariffs:
        if measure.lifecycle:
            for step in measure.lifecycle:
                if step.date is not None:
                    yield TimelineEntry(step.date, None, "tariffs", measure, step=step)
            continue
        for field in _MEASURE_DATES:
            when = getattr(measure, field.name)
            if when is not None:
                yield TimelineEntry(when, None, "tariffs", measure, field=field)


def timeline(store: Store, *, window: DateWindow | None = None) -> Selection[TimelineEntry]:
    """Every dated event and measure step, by the first then the last day its date can mean."""
    order = {name: index for index, name in enumerate(COLLECTIONS)}
    entries = sorted(
        _timeline_entries(store),
        key=lambda entry: (date_key(entry.date), order[entry.collection], entry.fact.id),
    )
    found = select_dated(
        entries,
        window,
        lambda entry: (entry.date, entry.end),
        lambda entry: entry.fact.id,
    )
    return _noting_the_end(store, window, found)
