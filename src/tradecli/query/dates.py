"""The date rule of every date filter, and dates written at their own precision.

A fact's dates span the days from the first day its ``date`` can mean to the last day its
``end_date`` (or ``date``) can mean. A fact matches a date window when that whole span lies
inside the window, or when the days it certainly covers (from the last day its start can mean to
the first day its end can mean) overlap the window. A fact that only might fall in the window (it
is known too coarsely, e.g. only to the month) is not matched, and a note says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum
from typing import NamedTuple, TypeVar

from tradecli.errors import UsageError
from tradecli.facts.dates import PartialDate
from tradecli.query import Selection

T = TypeVar("T")


class Fit(Enum):
    """Whether a fact's dates fall in a date window."""

    IN = "in"
    MAYBE = "maybe"
    OUT = "out"


class DateWindow(NamedTuple):
    """The days a date filter asks for; ``None`` ends are open."""

    start: date | None
    end: date | None
    label: str

    def fit(self, first: PartialDate, last: PartialDate | None = None) -> Fit:
        """How a fact dated ``first`` (to ``last``) sits in this window, by the module's rule."""
        last = last or first
        low, high = first.first_day(), last.last_day()
        start, end = self.start or date.min, self.end or date.max
        if low >= start and high <= end:
            return Fit.IN
        sure_low, sure_high = first.last_day(), last.first_day()
        if sure_low <= sure_high and sure_low <= end and sure_high >= start:
            return Fit.IN
        if low <= end and high >= start:
            return Fit.MAYBE
        return Fit.OUT

    @classmethod
    def of_day(cls, day: PartialDate) -> DateWindow:
        """Every day a date can mean: ``2026-01`` is the whole month."""
        return cls(day.first_day(), day.last_day(), str(day))

    @classmethod
    def between(cls, first: PartialDate | None, last: PartialDate | None) -> DateWindow:
        """From the first day ``first`` can mean to the last day ``last`` can mean; None is open."""
        if first is not None and last is not None:
            label = f"{first} to {last}"
        else:
            label = f"{first} onwards" if first is not None else f"up to {last}"
        return cls(first.first_day() if first else None, last.last_day() if last else None, label)


def span_text(first: PartialDate, last: PartialDate | None = None) -> str:
    """A date or range at its own precision: ``2017-12`` or ``2026-01-13 to 2026-01-17``."""
    return f"{first} to {last}" if last is not None and last != first else str(first)


def select_dated(
    items: Iterable[T],
    window: DateWindow | None,
    dates: Callable[[T], tuple[PartialDate | None, PartialDate | None]],
    ident: Callable[[T], str],
) -> Selection[T]:
    """Keep items in the window; note the ones whose dates are too coarse to decide."""
    notes: list[str] = []
    return Selection(list(select_each(items, window, dates, ident, notes)), notes)


def select_each(
    items: Iterable[T],
    window: DateWindow | None,
    dates: Callable[[T], tuple[PartialDate | None, PartialDate | None]],
    ident: Callable[[T], str],
    notes: list[str],
) -> Iterator[T]:
    """The items in the window, as they come; a note for each too coarse to decide is added
    to ``notes`` as it is met."""
    for item in items:
        if window is None:
            yield item
            continue
        first, last = dates(item)
        if first is None:
            continue
        fit = window.fit(first, last)
        if fit is Fit.IN:
            yield item
        elif fit is Fit.MAYBE:
            notes.append(
                f"note: {ident(item)} is known only to {span_text(first, last)}; "
                f"not matched to {window.label}"
            )


def date_key(value: PartialDate | None) -> tuple[int, date, date]:
    if value is None:
        return (1, date.max, date.max)
    return (0, value.first_day(), value.last_day())


def parse_date(text: str, *, what: str) -> PartialDate:
    """The date ``text`` writes as YYYY, YYYY-MM or YYYY-MM-DD; raise UsageError otherwise, its
    message naming ``what`` asked for it (an option)."""
    try:
        return PartialDate.parse(text)
    except ValueError as error:
        raise UsageError(
            f"{what} {text!r}: {error}".lstrip(),
            hint="write a date as YYYY, YYYY-MM or YYYY-MM-DD",
        ) from None


def parse_day(text: str, *, what: str = "") -> date:
    """The day ``text`` names, YYYY-MM-DD or the word ``today``; raise UsageError otherwise."""
    wanted = text.strip()
    if wanted.lower() == "today":
        return date.today()
    hint = "give a day as YYYY-MM-DD, e.g. 2026-03-02"
    try:
        day = PartialDate.parse(wanted)
    except ValueError as error:
        raise UsageError(f"{what} {text!r}: {error}".lstrip(), hint=hint) from None
    if day.day is None:
        raise UsageError(f"{what} {text!r} is not a day".lstrip(), hint=hint)
    return day.first_day()
