"""Dates that keep their precision: a year, a month, or a day, never padded to a false day.

A date is written exactly as the JSON Schema's pattern says: ASCII digits only (Python's ``\\d``
would take Arabic-Indic or full-width digits too), no space around it, no newline after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
PATTERN_TEXT = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"

_PARSED: dict[str, PartialDate] = {}
_PARSED_MAX = 100_000

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def days_in_month(year: int, month: int) -> int:
    """How many days a month of the Gregorian calendar has (``calendar.monthrange``'s answer,
    without importing calendar and locale on every run)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


class Precision(StrEnum):
    """How much of a date a source gives."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        known = _PARSED.get(text) if type(text) is str and cls is PartialDate else None
        if known is not None:
            return known
        parsed = cls._parse(text)
        if type(text) is str and cls is PartialDate and len(_PARSED) < _PARSED_MAX:
            _PARSED[text] = parsed  # dates are immutable: one object per text is shared
        return parsed

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        match = _PATTERN.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if year < 1:
            raise ValueError(f"year must be 1 or later, got {text!r}")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month must be 01 to 12, got {text!r}")
        if day is not None:
            assert month is not None
            last = days_in_month(year, month)
            if not 1 <= day <= last:
                raise ValueError(
                    f"day must be 01 to {last:02d} in {year}-{month:02d}, got {text!r}"
                )
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        """The finest unit this date is known to."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def first_day(self) -> date:
        """The earliest calendar day this date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest calendar day this date can mean."""
        if self.day is not None:
            assert self.month is not None
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, days_in_month(self.year, month))

    def weekday(self) -> str | None:
        """The weekday's English name, when the date is known to the day."""
        if self.day is None:
            return None
        return WEEKDAYS[self.first_day().weekday()]

    def human(self) -> str:
        """A reading such as ``15 January 2026``, ``December 2017`` or ``2025``."""
        if self.month is None:
            return str(self.year)
        month_name = MONTHS[self.month - 1]
        if self.day is None:
            return f"{month_name} {self.year}"
        return f"{self.day} {month_name} {self.year}"

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
