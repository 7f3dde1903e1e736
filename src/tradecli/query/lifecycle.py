"""What applied when: a measure's state on a given day, from its dated lifecycle.

Rules, applied to every measure alike:
- A step has happened on a day when the day is on or after the last day its date can mean; a
  step known only to the month (or year) that spans the day may or may not have happened yet,
  so it does not set the state until that month (or year) is over.
- Only steps whose certainty is not ``expected`` set the state. An expected step stays expected,
  shown beside the state with its source, until a source confirms it by a step of its own.
- A measure with no dated step falls back to its ``announced`` and ``in_force`` dates; a measure
  with no date at all is known only as its sources report it, from the day they were published.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import LifecycleStep, Measure, Source
from tradecli.facts.vocab import Certainty, MeasureStatus


class MeasureState(NamedTuple):
    """A measure as it stood on one day."""

    measure: Measure
    status: MeasureStatus
    rate_percent: float | None
    since: PartialDate | None
    basis: str
    expected: list[LifecycleStep]


def _happened(when: PartialDate, day: date) -> bool:
    return when.last_day() <= day


def _confirmed(step: LifecycleStep) -> bool:
    return step.certainty is not Certainty.EXPECTED


def state_on(measure: Measure, day: date, sources: dict[str, Source]) -> MeasureState | None:
    """The measure's state on ``day``, or None when nothing shows it existed by then."""
    dated = [step for step in measure.lifecycle if step.date is not None]
    if dated:
        return _from_lifecycle(measure, dated, day, sources)
    return _from_fields(measure, day, sources)


def _from_lifecycle(
    measure: Measure, steps: list[LifecycleStep], day: date, sources: dict[str, Source]
) -> MeasureState | None:
    current: LifecycleStep | None = None
    rate = None
    for step in steps:
        assert step.date is not None
        if not _happened(step.date, day) or not _confirmed(step):
            continue
        current = step
        if step.rate_percent is not None:
            rate = step.rate_percent
    expected = [
        step
        for step in steps
        if step.date is not None
        and not _confirmed(step)
        and (current is None or current.date is None or step.date > current.date)
        and _known_by(step, day, sources)
    ]
    if current is None:
        if not expected:
            return None
        return MeasureState(measure, MeasureStatus.EXPECTED, None, None, "expected only", expected)
    return MeasureState(
        measure,
        current.status,
        rate if rate is not None else measure.rate_percent,
        current.date,
        "lifecycle",
        expected,
    )


def _first_report(evidence_sources: list[str], sources: dict[str, Source]) -> PartialDate | None:
    dates = [sources[s].published for s in evidence_sources if s in sources]
    known = [d for d in dates if d is not None]
    return min(known, key=PartialDate.last_day) if known else None


def _known_by(step: LifecycleStep, day: date, sources: dict[str, Source]) -> bool:
    """An expected step shows from its first source's publication (else from its due date)."""
    first = _first_report([e.source for e in step.evidence], sources)
    if first is not None:
        return _happened(first, day)
    assert step.date is not None
    return step.date.first_day() <= day


def _from_fields(measure: Measure, day: date, sources: dict[str, Source]) -> MeasureState | None:
    if measure.in_force is not None and _happened(measure.in_force, day):
        return MeasureState(
            measure,
            MeasureStatus.IN_FORCE,
            measure.rate_percent,
            measure.in_force,
            "in_force date",
            [],
        )
    if measure.announced is not None and _happened(measure.announced, day):
        return MeasureState(
            measure,
            MeasureStatus.ANNOUNCED,
            measure.rate_percent,
            measure.announced,
            "announced date",
            [],
        )
    if measure.in_force is not None or measure.announced is not None:
        return None
    first_report = _first_report([e.source for e in measure.evidence], sources)
    if first_report is None or not _happened(first_report, day):
        return None
    return MeasureState(
        measure,
        measure.status,
        measure.rate_percent,
        first_report,
        f"as reported {first_report}",
        [],
    )
