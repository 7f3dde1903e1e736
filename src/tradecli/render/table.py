"""Tables for people: Rich tables that wrap long text at the terminal's width and cut nothing.

A listing of up to five columns is one grid; a wider one is a field/value table per row, which
reads better at 80 columns. Colour and styles appear only on a terminal without NO_COLOR.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tradecli.render import Cell, Listing
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from collections.abc import Sequence

GRID_COLUMNS = 5
HIGHLIGHT = "bold reverse"
_WORD = re.compile(r"\w+")


def make_console(stream: TextIO) -> Console:
    """A console that treats every string as plain text and styles nothing off a terminal."""
    return Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if os.environ.get("NO_COLOR") else "auto",
    )


def cell_text(cell: Cell, *, terms: Sequence[str] = ()) -> Text:
    """A cell as Rich Text: control characters made visible, list items on their own lines."""
    from tradecli.query import matches_term

    if cell is None:
        parts: list[str] = []
    elif isinstance(cell, list):
        parts = cell
    else:
        parts = [cell]
    text = Text("\n".join(visible(part) for part in parts))
    if terms:
        for match in _WORD.finditer(text.plain):
            if matches_term(match.group(), terms):
                text.stylize(HIGHLIGHT, match.start(), match.end())
    return text


def _grid(listing: Listing) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, expand=False)
    for name in listing.columns:
        table.add_column(Text(name), overflow="fold", no_wrap=False)
    for row in listing.rows:
        table.add_row(*(cell_text(cell, terms=listing.terms) for cell in row))
    return table


def _record(listing: Listing, row: tuple[Cell, ...]) -> Table:
    table = Table(box=box.SQUARE, show_header=False, show_lines=True, expand=False)
    table.add_column(overflow="fold", no_wrap=False, style="bold")
    table.add_column(overflow="fold", no_wrap=False)
    for name, cell in zip(listing.columns, row, strict=True):
        if cell is None or cell == [] or cell == "":
            continue
        table.add_row(Text(name), cell_text(cell, terms=listing.terms))
    return table


def render(listing: Listing, stream: TextIO) -> None:
    """Draw the listing (a wide row as a table of its non-empty fields); empty draws nothing."""
    console = make_console(stream)
    if not listing.rows:
        return
    if len(listing.columns) <= GRID_COLUMNS:
        console.print(_grid(listing))
        return
    for index, row in enumerate(listing.rows):
        if index:
            console.print()
        console.print(_record(listing, row))
