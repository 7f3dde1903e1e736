"""Tables for people: Rich tables that wrap long text at the terminal's width and cut nothing.

A listing of up to five columns whose ids, dates and numbers fit whole is one grid; any other is a
field/value card per row, which reads better at 80 columns. Colour and styles appear only on a
terminal without NO_COLOR.
``show`` draws a listing or a view (render/views.py) and can save that drawing as SVG and HTML.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tradecli.errors import UsageError
from tradecli.files import staged
from tradecli.present.listing import Cell, Listing
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from rich.console import RenderableType

    from tradecli.words import Term

GRID_COLUMNS = 5
MIN_TEXT_WIDTH = 16
HIGHLIGHT = "bold reverse"
_WORD = re.compile(r"\w+")


MIN_CONSOLE_WIDTH = 40


def make_console(stream: TextIO, *, record: bool = False) -> Console:
    """A console that treats every string as plain text and styles nothing off a terminal.

    A width under MIN_CONSOLE_WIDTH (``COLUMNS=0``, ``COLUMNS=5``) is taken as that minimum: the
    answer's lines wrap on such a terminal, where narrower columns would hold nothing at all.
    With ``record``, it also keeps what it draws, for ``save_recording``.
    """
    console = Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if os.environ.get("NO_COLOR") else "auto",
        record=record,
    )
    if console.width < MIN_CONSOLE_WIDTH:
        console.width = MIN_CONSOLE_WIDTH
    return console


def cell_text(cell: Cell, *, terms: Sequence[Term] = ()) -> Text:
    """A cell as Rich Text: control characters made visible, list items on their own lines."""
    from tradecli.words import matches_term

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


def _grid(listing: Listing, widths: list[int | None]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, expand=False)
    for name, token_width in zip(listing.columns, widths, strict=True):
        if token_width is None:
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


def _fits_as_grid(widths: list[int | None], width: int) -> bool:
    """A grid reads well with few columns, its ids, dates and numbers whole beside a readable
    share for each text column. Where they cannot stay whole, cards keep them so: an id broken
    over two lines in a grid cannot be copied into ``tradecli show``.
    """
    fixed = sum(w for w in widths if w is not None)
    text_columns = sum(1 for w in widths if w is None)
    fits = fixed + MIN_TEXT_WIDTH * text_columns + 3 * len(widths) <= width
    return len(widths) <= GRID_COLUMNS and fits


# A card's frame: three vertical rules and a space either side of each of its two cells.
_CARD_FRAME = 7


def _record(listing: Listing, row: tuple[Cell, ...], width: int) -> Card | Table:
    shown = [
        (Text(name), cell_text(cell, terms=listing.terms))
        for name, cell in zip(listing.columns, row, strict=True)
        if not (cell is None or cell == [] or cell == "")
    ]
    widths = card_widths(shown, width)
    return Card(shown, widths) if widths is not None else card_table(shown)


def card_table(rows: list[tuple[Text, Text]]) -> Table:
    """A card as a Rich Table, which sizes its columns itself (for narrow terminals)."""
    table = Table(box=box.SQUARE, show_header=False, show_lines=True, expand=False)
    table.add_column(overflow="fold", no_wrap=False, style="bold")
    table.add_column(overflow="fold", no_wrap=False)
    for name, value in rows:
        table.add_row(name, value)
    return table


class Card:
    """A field/value table, drawn as Rich draws a two-column table of known widths, only faster.

    Rich's Table measures, pads and re-splits every cell through several layers; a card's
    layout is simple enough to draw directly: each cell wrapped to its column's width (folding
    words longer than it), a space either side, rules between rows. The text is the same,
    character for character, as ``card_table`` draws (tests/test_render.py compares them).
    """

    def __init__(self, rows: list[tuple[Text, Text]], widths: tuple[int, int]) -> None:
        self.rows = rows
        self.widths = widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        frame = box.SQUARE.substitute(options, safe=console.safe_box).get_plain_headed_box()
        border = console.get_style("")
        padded = [width + 2 for width in self.widths]
        styles = (console.get_style("bold"), Style.null())
        newline = Segment.line()
        yield Segment(frame.get_top(padded), border)
        yield newline
        for index, cells in enumerate(self.rows):
            if index:
                yield Segment(frame.get_row(padded, "row", edge=True), border)
                yield newline
            last = index == len(self.rows) - 1
            edges = (
                (frame.head_left, frame.head_vertical, frame.head_right)
                if index == 0
                else (frame.foot_left, frame.foot_vertical, frame.foot_right)
                if last
                else (frame.mid_left, frame.mid_vertical, frame.mid_right)
            )
            wrapped = [
                _wrap(console, text, width, style)
                for text, width, style in zip(cells, self.widths, styles, strict=True)
            ]
            for number in range(max(len(lines) for lines in wrapped)):
                yield Segment(edges[0], border)
                for column, lines in enumerate(wrapped):
                    if column:
                        yield Segment(edges[1], border)
                    style = styles[column]
                    yield Segment(" ", style)
                    if number < len(lines):
                        yield from lines[number]
                    else:
                        yield Segment(" " * self.widths[column], style)
                    yield Segment(" ", style)
                yield Segment(edges[2], border)
                yield newline
        yield Segment(frame.get_bottom(padded), border)
        yield newline


def _wrap(console: Console, text: Text, width: int, style: Style) -> list[list[Segment]]:
    """The text's lines at this width, each padded to it, as styled segments."""
    if all(cell_len(line) <= width for line in text.plain.split("\n")):
        # Nothing to wrap: what Text.wrap gives, without looking for where to break.
        lines = text.split("\n", allow_blank=True)
        for line in lines:
            line.rstrip()
            line.truncate(width, overflow="fold", pad=True)
    else:
        lines = text.wrap(
            console, width, justify="left", overflow="fold", tab_size=8, no_wrap=False
        )
    return [list(Segment.apply_style(line.render(console, end=""), style)) for line in lines]


def card_widths(shown: list[tuple[Text, Text]], width: int) -> tuple[int, int] | None:
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
        console.print(_grid(listing, widths))
        return
    cards: list[RenderableType] = []
    for row in listing.rows:
        if cards:
            cards.append(Text())  # a blank line between cards
        cards.append(_record(listing, row, console.width))
    console.print(Group(*cards))  # one pass through the console, not one per card


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


# What XML 1.0 (so an SVG) may not hold, whatever reached the drawing: C0 controls but tab,
# newline and carriage return, lone surrogates (which UTF-8 cannot write either), U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def save_recording(console: Console, recording: Recording) -> None:
    """Write what a recording console drew as SVG and HTML; text is escaped, never interpreted.

    Each file is staged beside its path and renamed onto it when complete (``files.staged``), so
    an existing file is replaced whole (the path is one the user named for this output) and a
    failure leaves none. Text is made visible before it is drawn; a character that XML may not
    hold and that reached the drawing all the same becomes U+FFFD, so the SVG is well-formed.
    """
    outputs: list[tuple[Path, str]] = []
    if recording.svg is not None:
        svg = console.export_svg(title=visible(recording.title), clear=False)
        outputs.append((recording.svg, svg))
    if recording.html is not None:
        outputs.append((recording.html, console.export_html(clear=False)))
    with contextlib.ExitStack() as stack:
        # Both files are complete before the first one is moved into place.
        for path, document in outputs:
            temporary = stack.enter_context(staged(path, force=True))
            try:
                temporary.write_text(_NOT_XML.sub("\ufffd", document), encoding="utf-8")
            except OSError as error:
                raise UsageError(
                    f"cannot write {path}: {error.strerror or error}",
                    hint="choose a path in a folder you can write to",
                ) from None
