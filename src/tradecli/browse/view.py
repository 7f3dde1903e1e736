"""How the browser draws facts, with Rich alone: a kind's lines at a width, a page as ``show``
draws it, references and search hits as prompts.

Every string from a fact file becomes a ``rich.text.Text`` of its visible form
(``textsafe.visible``): Textual reads a plain ``str`` as markup, so one never reaches a widget,
and a control character is shown as an escape, never sent to the terminal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tradecli.present.listing import flat
from tradecli.render.console import link_target
from tradecli.render.table import GAP, HEADER, plan, shorten
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from tradecli.browse.model import Found, KindList, Reference
    from tradecli.present.listing import Detail

TITLE = "bold"
SUBTITLE = "dim"
LABEL = "bold"
HEADING = "bold underline"
DIM = "dim"
ELLIPSIS = "…"
SAMPLE = 500
"""Rows whose widths set a long list's columns; a list this short or shorter is measured whole."""


def plain(text: str, style: str | Style = "") -> Text:
    """Text from a fact file, shown as it is written: never markup, no control characters."""
    return Text(visible(text), style=style)


class Lines:
    """A kind's list as lines of a width: each row's cells made when it is first shown, so a
    list of 100,000 facts costs what the screen shows.

    Columns are laid out as ``tradecli``'s tables are (``render.table.plan``), from the first
    ``SAMPLE`` rows of a long list; a cell wider than its column further down is shortened.
    """

    def __init__(self, kinds: KindList) -> None:
        self.kinds = kinds
        self.ids = kinds.ids
        self._rows = iter(kinds.rows)
        self._cells: list[list[str]] = []
        self._width: int | None = None
        self._widths: list[int | None] = []

    def __len__(self) -> int:
        return len(self.ids)

    def cells(self, index: int) -> list[str]:
        """The visible text of each cell of a row."""
        columns = len(self.kinds.columns)
        while len(self._cells) <= index:
            row = next(self._rows, None)
            cells = [visible(flat(cell)) for cell in row] if row is not None else []
            self._cells.append((cells + [""] * columns)[:columns])
        return self._cells[index]

    def fit(self, width: int) -> None:
        """Lay the columns out for this width (again only when it changes)."""
        if width == self._width:
            return
        self._width = width
        count = len(self)
        sample = [self.cells(index) for index in range(min(count, SAMPLE))]
        # No ID column: a row is opened by choosing it, so its id would only take room.
        kept = [i for i, column in enumerate(self.kinds.columns) if column.name != "ID"]
        widths, _beneath = plan(
            [self.kinds.columns[i] for i in kept], [[row[i] for i in kept] for row in sample], width
        )
        self._widths = [None] * len(self.kinds.columns)
        for index, column_width in zip(kept, widths if sample else [], strict=False):
            self._widths[index] = column_width

    def _shown(self) -> list[tuple[int, int]]:
        return [(index, width) for index, width in enumerate(self._widths) if width is not None]

    def header(self) -> Text:
        """The column names, laid out."""
        line = Text(end="")
        shown = self._shown()
        for place, (index, width) in enumerate(shown):
            name = self.kinds.columns[index].name
            line.append(name, HEADER)
            if place < len(shown) - 1:
                line.append(" " * (width - cell_len(name) + GAP))
        line.truncate(self._width or 0, overflow="ellipsis")  # columns kept at any width
        return line

    def line(self, index: int) -> Text:
        """One row, laid out: free text shortened at a word, anything else cut only when it is
        wider than every row measured."""
        cells = self.cells(index)
        line = Text(end="")
        shown = self._shown()
        for place, (column_index, width) in enumerate(shown):
            column = self.kinds.columns[column_index]
            value = cells[column_index]
            if column.flexible:
                value = shorten(value, width, ELLIPSIS)
            elif cell_len(value) > width:
                value = set_cell_size(value, max(width - 1, 0)) + ELLIPSIS
            line.append(value)
            if place < len(shown) - 1:
                line.append(" " * (width - cell_len(value) + GAP))
        line.truncate(self._width or 0, overflow="ellipsis")  # columns kept at any width
        return line

    def left_out(self) -> list[str]:
        """The names of columns left out for want of room."""
        return [
            column.name
            for column, width in zip(self.kinds.columns, self._widths, strict=False)
            if width is None and column.name != "ID"
        ]


def page_view(detail: Detail) -> RenderableType:
    """A fact in full, as ``tradecli show`` draws it: its name, what it is, labelled fields,
    then each section under its heading; addresses whole (folded, never shortened)."""
    parts: list[RenderableType] = [plain(detail.title, TITLE), plain(detail.subtitle, SUBTITLE)]
    if detail.fields:
        fields = Table.grid(padding=(0, 2))
        fields.add_column(no_wrap=True, max_width=28)
        fields.add_column(overflow="fold")
        for name, values in detail.fields:
            for number, value in enumerate(values):
                fields.add_row(plain(name, LABEL) if number == 0 else Text(), plain(value))
        parts += [Text(), fields]
    for section in detail.sections:
        parts += [Text(), plain(section.heading[:1].upper() + section.heading[1:], HEADING)]
        for line in section.lines:
            if line.url is not None:
                parts.append(Padding(Address(line.url), (0, 0, 0, 2)))
            else:
                parts.append(Padding(plain(line.text), (0, 0, 0, 2)))
    return Group(*parts)


_PIECE = re.compile(r"[^/?&=#.\-_]*[/?&=#.\-_]*")
"""A piece of an address, up to and with the separators after it: where a line may end."""


class Address:
    """A web address, whole: over as many lines as the width needs, each ending after a
    separator (``/ ? & = # . - _``), never mid-word unless a piece is wider than a line; one
    hyperlink throughout, if it is a plain one (a single style, so a single link id)."""

    def __init__(self, url: str) -> None:
        self.shown = visible(url)
        target = link_target(url)
        self.style = Style(link=target) if target else Style()

    def lines(self, width: int) -> list[str]:
        """The address in lines of at most ``width`` cells (at least one)."""
        width = max(width, 1)
        lines: list[str] = []
        current = ""
        for piece in _PIECE.findall(self.shown):
            if cell_len(current + piece) <= width:
                current += piece
                continue
            if current:
                lines.append(current)
            current = piece
            while cell_len(current) > width:
                head = set_cell_size(current, width)
                lines.append(head)
                current = current[len(head) :]
        return [*lines, current] if current or not lines else lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Segments of the one style: a Text per line would give each line a link of its own.
        for line in self.lines(options.max_width):
            yield Segment(line, self.style)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(piece) for piece in _PIECE.findall(self.shown)), default=1)
        return Measurement(min(longest, options.max_width), cell_len(self.shown))


def heading(text: str) -> Text:
    """A heading among the references."""
    return plain(text, HEADING)


def reference_prompt(reference: Reference) -> RenderableType:
    """A reference as a line to choose: a source by outlet, date and title, with its address
    beneath; a linked fact as ``show`` words it."""
    shown = plain(reference.text)
    if reference.url:
        return Group(shown, Address(reference.url))
    return shown


def found_prompt(found: Found) -> RenderableType:
    """A search hit: its kind, then its text, with its date, id and sources dimmed beneath."""
    shown = plain(found.text)
    extra = "  ".join(part for part in (found.date, found.fact_id, found.sources) if part)
    if extra:
        shown.append("\n")
        shown.append_text(plain(extra, DIM))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=10, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(plain(found.kind, "bold"), shown)
    return grid


def kind_prompt(label: str, count: int, width: int = 20) -> Text:
    """A kind with its count, right-aligned."""
    number = f"{count:,}"
    room = max(width - cell_len(label) - cell_len(number), 1)
    shown = Text(label, end="")
    shown.append(" " * room)
    shown.append(number, DIM)
    return shown
