"""Tables for people: Rich tables that wrap long text at the terminal's width and cut nothing.

A listing of up to five columns is one grid; a wider one is a field/value table per row, which
reads better at 80 columns. Colour and styles appear only on a terminal without NO_COLOR.
``show`` draws a listing or a view (render/views.py) and can save that drawing as SVG and HTML.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tradecli.errors import UsageError
from tradecli.render import Cell, Listing
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import RenderableType

GRID_COLUMNS = 5
MIN_TEXT_WIDTH = 16
HIGHLIGHT = "bold reverse"
_WORD = re.compile(r"\w+")


def make_console(stream: TextIO, *, record: bool = False) -> Console:
    """A console that treats every string as plain text and styles nothing off a terminal.

    With ``record``, it also keeps what it draws, for ``save_recording``.
    """
    return Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if os.environ.get("NO_COLOR") else "auto",
        record=record,
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


def _grid(listing: Listing, widths: list[int | None], *, keep_tokens_whole: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, expand=False)
    for name, token_width in zip(listing.columns, widths, strict=True):
        if token_width is None or not keep_tokens_whole:
            table.add_column(Text(name), overflow="fold", no_wrap=False, ratio=1)
        else:
            # Ids, dates and numbers are single tokens: never broken across lines.
            table.add_column(Text(name), overflow="fold", no_wrap=True, min_width=token_width)
    for row in listing.rows:
        table.add_row(*(cell_text(cell, terms=listing.terms) for cell in row))
    return table


def _lines(cell: Cell) -> list[str]:
    if cell is None:
        return []
    return [visible(part) for part in (cell if isinstance(cell, list) else [cell])]


def _token_widths(listing: Listing) -> list[int | None]:
    """For each column, its width if every line of it is one token (no spaces), else None."""
    widths: list[int | None] = []
    for index, name in enumerate(listing.columns):
        lines = [line for row in listing.rows for line in _lines(row[index])]
        if all(" " not in line for line in lines):
            widths.append(max([len(name), *(len(line) for line in lines)]))
        else:
            widths.append(None)
    return widths


def _tokens_fit(widths: list[int | None], width: int) -> bool:
    """True when token columns fit whole beside a readable share for each text column."""
    fixed = sum(w for w in widths if w is not None)
    text_columns = sum(1 for w in widths if w is None)
    return fixed + MIN_TEXT_WIDTH * text_columns + 3 * len(widths) <= width


def _fits_as_grid(widths: list[int | None], width: int) -> bool:
    """A grid reads well with few columns, and with three or more text columns only if they fit."""
    if len(widths) > GRID_COLUMNS:
        return False
    text_columns = sum(1 for w in widths if w is None)
    return text_columns < 3 or _tokens_fit(widths, width)


# A card's frame: three vertical rules and a space either side of each of its two cells.
_CARD_FRAME = 7


def _record(listing: Listing, row: tuple[Cell, ...], width: int) -> Table:
    shown = [
        (Text(name), cell_text(cell, terms=listing.terms))
        for name, cell in zip(listing.columns, row, strict=True)
        if not (cell is None or cell == [] or cell == "")
    ]
    names_width, values_width = _card_widths(shown, width) or (None, None)
    table = Table(box=box.SQUARE, show_header=False, show_lines=True, expand=False)
    table.add_column(overflow="fold", no_wrap=False, style="bold", width=names_width)
    table.add_column(overflow="fold", no_wrap=False, width=values_width)
    for name, value in shown:
        table.add_row(name, value)
    return table


def _card_widths(shown: list[tuple[Text, Text]], width: int) -> tuple[int, int] | None:
    """The widths Rich would give a card's two columns, where they are plain to work out.

    Rich measures every cell of a table to size its columns, which is most of the time a card
    takes to draw. Field names are short: when both columns fit, each is as wide as its longest
    line; when only the values wrap, they take the rest of the width. Otherwise (a terminal
    narrower than twice the longest name) Rich measures, as before.
    """
    if not shown:
        return None
    names = max(cell_len(line) for name, _value in shown for line in name.plain.split("\n"))
    values = max(cell_len(line) for _name, value in shown for line in value.plain.split("\n"))
    if names + values + _CARD_FRAME <= width:
        return names, values
    if width - _CARD_FRAME - names >= names:
        return names, width - _CARD_FRAME - names
    return None


def render(listing: Listing, stream: TextIO) -> None:
    """Draw the listing (a wide row as a table of its non-empty fields); empty draws nothing."""
    draw(listing, make_console(stream))


def draw(listing: Listing, console: Console) -> None:
    """Draw the listing on a console, as ``render`` describes."""
    if not listing.rows:
        return
    widths = _token_widths(listing)
    if _fits_as_grid(widths, console.width):
        whole = _tokens_fit(widths, console.width)
        console.print(_grid(listing, widths, keep_tokens_whole=whole))
        return
    for index, row in enumerate(listing.rows):
        if index:
            console.print()
        console.print(_record(listing, row, console.width))


@dataclass(frozen=True, slots=True)
class Recording:
    """Files to save a drawing in, besides the terminal: an SVG image, an HTML page, or both."""

    svg: Path | None = None
    html: Path | None = None
    title: str = "tradecli"


def show(
    drawing: Listing | RenderableType, stream: TextIO, *, recording: Recording | None = None
) -> None:
    """Draw a listing or a view on the stream and save the same drawing in ``recording``'s files."""
    console = make_console(stream, record=recording is not None)
    if isinstance(drawing, Listing):
        draw(drawing, console)
    else:
        console.print(drawing)
    if recording is not None:
        save_recording(console, recording)


def save_recording(console: Console, recording: Recording) -> None:
    """Write what a recording console drew as SVG and HTML; text is escaped, never interpreted.

    An existing file is replaced: the path is one the user named for this output.
    """
    outputs: list[tuple[Path, str]] = []
    if recording.svg is not None:
        svg = console.export_svg(title=visible(recording.title), clear=False)
        outputs.append((recording.svg, svg))
    if recording.html is not None:
        outputs.append((recording.html, console.export_html(clear=False)))
    for path, document in outputs:
        try:
            path.write_text(document, encoding="utf-8")
        except OSError as error:
            raise UsageError(
                f"cannot write {path}: {error.strerror or error}",
                hint="choose a path in a folder you can write to",
            ) from None
