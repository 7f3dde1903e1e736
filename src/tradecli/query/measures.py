"""Trade measures: filtered by who imposes them on whom, on what and at what rate, and as they
stood on a day."""

from __future__ import annotations

from datetime import date

from tradecli.facts.kinds import Measure, Statement
from tradecli.facts.vocab import StatementKind
from tradecli.query import Selection
from tradecli.query.lifecycle import MeasureState, state_on
from tradecli.query.links import belongs_to, source_lookup
from tradecli.query.sources import beyond_sources
from tradecli.store import Store
from tradecli.words import normalise_name


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
    for measure in store.items("tariffs"):
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
                    f"note: {measure.id} gives no rate; not matched to a rate of at least "
                    f"{min_rate:g}%"
                )
                continue
            if measure.rate_percent < min_rate:
                continue
        kept.append(measure)
    return Selection(kept, notes)


def tariffs_as_of(store: Store, found: Selection[Measure], day: date) -> Selection[MeasureState]:
    """The measures among ``found`` as they stood on ``day``; the rest are named in notes.

    An answer about a day after the newest source says that later changes are unknown.
    """
    sources = source_lookup(store)
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
    beyond = beyond_sources(store, day)
    if beyond is not None:
        notes.append(beyond)
    return Selection(states, notes)


def expectations(store: Store, day: date) -> dict[str, list[Statement]]:
    """Expectations about each measure known by ``day``: who expects what, by when."""
    found: dict[str, list[Statement]] = {}
    sources = source_lookup(store)
    for statement in store.items("statements"):
        if statement.kind is not StatementKind.EXPECTATION:
            continue
        said = [sources[e.source].as_of for e in statement.evidence]
        known = [when for when in said if when is not None]
        if known and not any(when.last_day() <= day for when in known):
            continue  # not yet said by that day
        for subject in statement.subjects:
            found.setdefault(subject, []).append(statement)
    return found
