"""What applied when: a measure's state on a given day, from its dated lifecycle.

Rules, applied to every measure alike:
- A step has happened on a day when the day is on or after the last day its date can mean; a
  step known only to the month (or year) that spans the day may or may not have happened yet,
  so it does not set the state until that month (or year) is over.
- Only steps that are neither ``expected`` (certainty) nor ``threatened`` (status) set the
  state: a threatened measure is never in force. An expected step stays expected, shown beside
  the state with its source, until a confirmed step of the same status confirms it.
- A step on some of the measure's products (``products``) is shown beside the state, which it
  does not change, until a later step for the whole measure replaces it, or its end passes:
  then what came next for those products is not known (``lapsed``).
- A step that ends (``until``) holds to its last day; after it the store does not know the
  state, and says so rather than guess what came next.
- A measure with no dated step falls back to its ``announced`` and ``in_force`` dates; a measure
  with no date at all is known only as its sources report it, from the day they were published.
- No claim outlives its source. A state that rests on a report (a measure with no date at all)
  or on a claim (a step or measure claimed, reported, alleged or widely seen as so) holds as of
  its newest source's date: on a later day it is given with that source (``last_said``), as
  what was said then and not since, never as what still holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import LifecycleStep, Measure, Source
from tradecli.facts.vocab import Certainty, MeasureStatus


class MeasureState(NamedTuple):
    """A measure as it stood on one day.

    ``status`` is None when the day is after the known end (``ended``) of the measure's last
    step: the store does not know what came next. ``until`` is the known end of the state that
    holds. ``partial`` are steps on some of its products that apply beside it; ``expected`` the
    changes only expected by then. ``last_said`` is the newest source of a state that rests on a
    report or a claim, when the day is after it: the state is what that source said, then.
    ``lapsed`` are steps on some products that ended before the day: after their end, the
    store does not know what applied to those products.
    """

    measure: Measure
    status: MeasureStatus | None
    rate_percent: float | None
    since: PartialDate | None
    basis: str
    expected: list[LifecycleStep]
    until: PartialDate | None = None
    ended: PartialDate | None = None
    partial: tuple[LifecycleStep, ...] = ()
    last_said: Source | None = None
    lapsed: tuple[LifecycleStep, ...] = ()


def happened(when: PartialDate, day: date) -> bool:
    """True when every day ``when`` can mean is on or before ``day``."""
    return when.last_day() <= day


def holds(step: LifecycleStep, day: date) -> bool:
    """True when a step that has happened is still known to hold on ``day``."""
    return step.until is None or step.until.last_day() >= day


def sets_state(step: LifecycleStep) -> bool:
    """True for a step that changes what applies: neither expected nor a threat."""
    return step.certainty is not Certainty.EXPECTED and step.status is not MeasureStatus.THREATENED


def state_on(measure: Measure, day: date, sources: Mapping[str, Source]) -> MeasureState | None:
    """The measure's state on ``day``, or None when nothing shows it existed by then."""
    dated = [step for step in measure.lifecycle if step.date is not None]
    if dated:
        return _from_lifecycle(measure, dated, day, sources)
    return _from_fields(measure, day, sources)


def _date(step: LifecycleStep) -> PartialDate:
    assert step.date is not None
    return step.date


def _from_lifecycle(
    measure: Measure, steps: list[LifecycleStep], day: date, sources: Mapping[str, Source]
) -> MeasureState | None:
    done = [step for step in steps if happened(_date(step), day)]
    whole = [step for step in done if sets_state(step) and not step.products]
    current = whole[-1] if whole else None
    rates = [step.rate_percent for step in whole if step.rate_percent is not None]
    since = _date(current).first_day() if current is not None else date.min
    on_products = [
        step
        for step in done
        if sets_state(step) and step.products and _date(step).first_day() >= since
    ]
    partial = tuple(step for step in on_products if holds(step, day))
    lapsed = tuple(step for step in on_products if not holds(step, day))
    expected = [
        step
        for step in steps
        if step.certainty is Certainty.EXPECTED
        and _date(step).last_day() >= since
        and _known_by(step, day, sources)
        and not _confirmed(step, done)
    ]
    if current is None:
        threats = [step for step in done if step.status is MeasureStatus.THREATENED]
        if threats:
            return MeasureState(
                measure, MeasureStatus.THREATENED, threats[-1].rate_percent,
                threats[-1].date, "threatened", expected,
            )  # fmt: skip
        if not expected and not partial:
            return None
        return MeasureState(
            measure, MeasureStatus.EXPECTED, None, None, "expected only", expected,
            partial=partial,
        )  # fmt: skip
    rate = rates[-1] if rates else measure.rate_percent
    if not holds(current, day):
        return MeasureState(
            measure, None, None, current.date, "lifecycle", expected,
            until=current.until, ended=current.until, partial=partial,
        )  # fmt: skip
    said = current.evidence or measure.evidence
    claimed = _AS_SAID & {current.certainty, measure.certainty}
    return MeasureState(
        measure, current.status, rate, current.date, "lifecycle", expected,
        until=current.until, partial=partial,
        last_said=_last_said([e.source for e in said], day, sources) if claimed else None,
        lapsed=lapsed,
    )  # fmt: skip


def _confirmed(expected: LifecycleStep, done: list[LifecycleStep]) -> bool:
    """True if a step that happened confirms an expected one: same status and products."""
    return any(
        sets_state(step)
        and step.status is expected.status
        and sorted(step.products) == sorted(expected.products)
        and _date(step).last_day() >= _date(expected).first_day()
        for step in done
    )


_AS_SAID = frozenset(
    {Certainty.CLAIMED, Certainty.REPORTED, Certainty.ALLEGED, Certainty.WIDELY_SEEN_AS}
)
"""The certainties of what holds only as its sources said it, as of their date."""


def _last_said(
    evidence_sources: list[str], day: date, sources: Mapping[str, Source]
) -> Source | None:
    """The newest of the sources, if ``day`` is after its date; else None."""
    said = [sources[s] for s in evidence_sources if s in sources]
    dated = [(source.as_of.last_day(), source) for source in said if source.as_of is not None]
    if not dated:
        return None
    newest, source = max(dated, key=lambda pair: pair[0])
    return source if newest < day else None


def _first_report(evidence_sources: list[str], sources: Mapping[str, Source]) -> PartialDate | None:
    dates = [sources[s].as_of for s in evidence_sources if s in sources]
    known = [d for d in dates if d is not None]
    return min(known, key=PartialDate.last_day) if known else None


def _known_by(step: LifecycleStep, day: date, sources: Mapping[str, Source]) -> bool:
    """An expected step shows from its first source's publication (else from its due date)."""
    first = _first_report([e.source for e in step.evidence], sources)
    if first is not None:
        return happened(first, day)
    return _date(step).first_day() <= day


def _from_fields(measure: Measure, day: date, sources: Mapping[str, Source]) -> MeasureState | None:
    for when, status, basis in (
        (measure.in_force, MeasureStatus.IN_FORCE, "in_force date"),
        (measure.announced, MeasureStatus.ANNOUNCED, "announced date"),
    ):
        if when is not None and happened(when, day):
            if measure.status is MeasureStatus.THREATENED:
                status = MeasureStatus.THREATENED
            claimed = measure.certainty in _AS_SAID
            said = [e.source for e in measure.evidence]
            return MeasureState(
                measure, status, measure.rate_percent, when, basis, [],
                last_said=_last_said(said, day, sources) if claimed else None,
            )  # fmt: skip
    if measure.in_force is not None or measure.announced is not None:
        return None
    first_report = _first_report([e.source for e in measure.evidence], sources)
    if first_report is None or not happened(first_report, day):
        return None
    # Known only from reports: the store does not know since when it holds (``since`` None).
    return MeasureState(
        measure,
        measure.status,
        measure.rate_percent,
        None,
        f"as reported {first_report}",
        [],
        last_said=_last_said([e.source for e in measure.evidence], day, sources),
    )
