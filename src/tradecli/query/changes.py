"""What changed: each measure whose state on one day differs from its state the day before,
within a window, with the step that changed it.

A day is looked at when something can change on it: a dated step (on the last day its date can
mean, when ``lifecycle`` counts it as happened), the day after a step's known end, and a
measure's announced and in-force dates. The state before and after comes from
``lifecycle.state_on``, so a change here is what ``tariffs --as-of`` shows on the two days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import LifecycleStep, Measure
from tradecli.query import Selection
from tradecli.query.lifecycle import MeasureState, state_on
from tradecli.query.links import source_lookup
from tradecli.query.sources import beyond_sources
from tradecli.store import Store


class Change(NamedTuple):
    """A measure's state on ``day`` against the day before. ``when`` is the date as the
    sources give it (a month, for a step known to the month); ``step`` the step that made the
    change, None for a measure's own dates; ``ended`` whether the change is a step's end."""

    day: date
    when: PartialDate
    measure: Measure
    before: MeasureState | None
    after: MeasureState | None
    step: LifecycleStep | None
    ended: bool = False


def _shown(state: MeasureState | None) -> tuple[object, ...]:
    """What of a state a reader sees: a change is a difference in this."""
    if state is None:
        return (None,)
    return (
        state.status,
        state.rate_percent,
        state.until,
        tuple(id(step) for step in state.partial),
        tuple(id(step) for step in state.lapsed),
        state.last_said is not None,
    )


def _moments(measure: Measure) -> list[tuple[date, PartialDate, LifecycleStep | None, bool]]:
    """Each day the measure's state can change on: (day, its date as given, step, ended)."""
    found: list[tuple[date, PartialDate, LifecycleStep | None, bool]] = []
    for step in measure.lifecycle:
        if step.date is not None:
            found.append((step.date.last_day(), step.date, step, False))
        if step.until is not None:
            after = step.until.last_day() + timedelta(days=1)
            found.append((after, PartialDate.parse(after.isoformat()), step, True))
    if not any(step.date is not None for step in measure.lifecycle):
        for when in (measure.announced, measure.in_force):
            if when is not None:
                found.append((when.last_day(), when, None, False))
    return sorted(found, key=lambda moment: moment[0])


def changes(store: Store, start: date, end: date) -> Selection[Change]:
    """Every change of a measure's state on a day from ``start`` to ``end``, earliest first;
    a note when the window reaches past the newest source."""
    sources = source_lookup(store)
    found: list[Change] = []
    for measure in store.items("tariffs"):
        seen: set[date] = set()
        for day, when, step, ended in _moments(measure):
            if not start <= day <= end or day in seen:
                continue
            seen.add(day)
            before = state_on(measure, day - timedelta(days=1), sources)
            after = state_on(measure, day, sources)
            if _shown(before) != _shown(after):
                found.append(Change(day, when, measure, before, after, step, ended))
    found.sort(key=lambda change: change.day)
    beyond = beyond_sources(store, end)
    return Selection(found, [beyond] if beyond is not None else [])
