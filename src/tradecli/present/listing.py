"""A listing: what a command shows, in the shapes the formats need, each made as it is read.

- ``columns`` and ``rows``: one line per item for people (a table on a terminal, tab-separated
  lines when piped, a Markdown table). A column has a priority (the higher, the sooner it is
  left out on a narrow terminal) and may be ``flexible``: free text that a terminal may shorten
  at a word; every other column is kept whole.
- ``records``: JSON objects, one per item. ``single`` says the answer is one item, not a list
  (``show``): JSON gives that object itself. ``total`` is how many items the answer holds where
  a listing may show only the first of them (``search --limit``): JSON gives an object that
  says so, ``{"total": ..., "limit": ..., "items": [...]}``.
- ``table``: a CSV table for spreadsheets: field names as headers, numbers as numbers, empty
  cells for what is unknown.
- ``details``: each item in full, for ``--long``; ``whole`` says they are the answer itself
  (``show``), so the table format draws them rather than the lines.

Rows, records, table rows and details are iterables, made as a renderer asks for them, so a
listing of any size streams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradecli.words import Term

Cell = str | list[str] | None
Value = str | int | float | None


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the one-line view."""

    name: str
    priority: int = 0
    flexible: bool = False
    narrowest: int = 20
    """How narrow a flexible column may be shortened to before columns are left out."""


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a section; ``url`` is an address shown whole, a link where the terminal can."""

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a record: its history, evidence, sources or links."""

    heading: str
    lines: list[Line]


@dataclass(frozen=True, slots=True)
class Detail:
    """A fact in full: a title, a line of what it is, labelled fields, and sections."""

    title: str
    subtitle: str
    fields: list[tuple[str, list[str]]]
    sections: list[Section] = field(default_factory=list)
    fact_id: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """Rows for a spreadsheet: field names and machine values."""

    columns: tuple[str, ...]
    rows: Iterable[tuple[Value, ...]]


@dataclass(frozen=True, slots=True)
class Listing:
    """What a command shows, in every shape; see the module's docstring."""

    columns: tuple[Column, ...]
    rows: Iterable[tuple[Cell, ...]]
    records: Iterable[dict[str, Any]]
    table: Table | None = None
    details: Iterable[Detail] | None = None
    noun: tuple[str, str] = ("item", "items")
    footer: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    whole: bool = False
    single: bool = False
    total: int | None = None
    limit: int | None = None
    """With ``total``: the most items the listing shows, None for all of them."""
    handles: Callable[[list[str]], dict[str, int]] | None = None
    """Numbers for ids (``Store.numbers``): a terminal shows an item's number, a handle short
    enough to leave the room to the answer, where the other formats give its id."""

    @property
    def names(self) -> tuple[str, ...]:
        """The column names."""
        return tuple(column.name for column in self.columns)


class Lazy:
    """Items made once, on first use, then shared by rows, records, table rows and details."""

    def __init__(self, make: Callable[[], Iterable[Any]]) -> None:
        self._make = make
        self._items: list[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        if self._items is not None:
            return iter(self._items)
        return self._first()

    def _first(self) -> Iterator[Any]:
        kept: list[Any] = []
        for item in self._make():
            kept.append(item)
            yield item
        self._items = kept


def each(items: Iterable[Any], make: Callable[[Any], Any]) -> Iterable[Any]:
    """``make`` of each item, made as it is read (a generator that can be read again)."""

    class Made:
        def __iter__(self) -> Iterator[Any]:
            return (make(item) for item in items)

    return Made()


def flat(cell: Cell) -> str:
    """A cell as one line of text: list items joined with "; ", nothing as an empty string."""
    if cell is None:
        return ""
    if isinstance(cell, list):
        return "; ".join(cell)
    return cell


HINT = "tradecli show # gives one in full (# is its number in the table); --long gives every one"
"""The line under a listing that says how to see its items in full."""


def footer(*lines: str) -> tuple[str, ...]:
    """The lines under a listing, the empty ones left out."""
    return tuple(line for line in lines if line)
