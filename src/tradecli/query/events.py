"""Meetings and the timeline of every dated event and measure step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple, TypeVar

from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Field, Shape
from tradecli.facts.kinds import Event, LifecycleStep, Measure
from tradecli.facts.vocab import EventCategory, EventStatus
from tradecli.query import Selection
from tradecli.query.dates import DateWindow, date_key, select_dated, select_each
from tradecli.query.sources import beyond_sources
from tradecli.store import Store

T = TypeVar("T")


def _event_dates(event: Event) -> tuple[PartialDate | None, PartialDate | None]:
    return event.date, event.end_date


_MET = (EventCategory.MEETING, EventCategory.CEREMONY, EventCategory.CONSULTATION)
"""The kinds of event where people meet: what ``meetings`` lists."""


def meetings(
    store: Store,
    *,
    window: DateWindow | None = None,
    participant: str | None = None,
    status: EventStatus | None = None,
) -> Selection[Event]:
    """Meetings, and the ceremonies and consultations where people met, in date order,
    filtered by date window, a participant's id and status."""
    events = (
        store.items("events") if window is None else store.events_within(window.start, window.end)
    )
    chosen = [
        event
        for event in events
        if event.category in _MET
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


def _entry(collection: str, fact: Any, seq: int) -> TimelineEntry:
    """The entry the store's (collection, fact, seq) stands for (``store.index.timeline_keys``)."""
    if collection == "events":
        return TimelineEntry(fact.date, fact.end_date, "events", fact)
    if fact.lifecycle:
        step = fact.lifecycle[seq]
        return TimelineEntry(step.date, None, "tariffs", fact, step=step)
    field = _MEASURE_DATES[seq]
    return TimelineEntry(getattr(fact, field.name), None, "tariffs", fact, field=field)


class _Timeline:
    """Timeline entries, made as they are read (each reading asks the store again), with the
    notes of the last reading: what the window could not decide is known only once read."""

    def __init__(
        self,
        store: Store,
        window: DateWindow | None,
        notes: list[str],
        collections: tuple[str, ...],
    ) -> None:
        self._store = store
        self._collections = collections
        self._window = window
        self._notes = notes
        self._fixed = len(notes)

    def __iter__(self) -> Iterator[TimelineEntry]:
        window = self._window
        del self._notes[self._fixed :]
        start, end = (window.start, window.end) if window is not None else (None, None)
        found = self._store.timeline(start, end, self._collections)
        entries = (_entry(*entry) for entry in found)
        yield from select_each(
            entries, window, lambda e: (e.date, e.end), lambda e: e.fact.id, self._notes
        )


def timeline(
    store: Store,
    *,
    window: DateWindow | None = None,
    collections: tuple[str, ...] = ("events", "tariffs"),
) -> Selection[TimelineEntry]:
    """Every dated event and measure step, by the first then the last day its date can mean.

    The entries are made as they are read, in order, straight from the index where there is
    one: the first arrives at once whatever the size of the store. Notes on what the window
    could not decide fill in as the entries are read. ``collections`` keeps only events, or
    only measures.
    """
    last = window.end or window.start if window is not None else None
    beyond = beyond_sources(store, last) if last is not None else None
    notes = [beyond] if beyond is not None else []
    return Selection(_Timeline(store, window, notes, collections), notes)  # type: ignore[arg-type]
