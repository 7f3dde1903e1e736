"""The table format: one line per item, drawn for people on a terminal, plain lines when piped.

On a terminal (``console.is_terminal``) a listing is a table as ``gh pr list`` draws one:
headers, columns two spaces apart, one line per item, then a count and a hint. It fits the
terminal's width: the columns a listing marks least needed are left out first, then free text
(a title, a quote) is shortened at a word with "…". Ids, dates, rates and other tokens are
never cut, and no line ends with spaces.

Piped, it is lines for ``grep``, ``cut`` and ``awk``: one item per line, cells separated by a tab,
no header, no padding, nothing shortened; a list cell joins its items with "; ". Control
characters, tabs and newlines in fact text are shown as escapes (``textsafe.visible``), so a cell
never spills into the next or onto a line of its own.

``render`` draws a listing's details instead (see ``render.detail``) when the listing is one fact
in full (``show``) or ``--long`` asked for every item in full.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, TextIO

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from tradecli.present.listing import Cell, Column, Listing, flat
from tradecli.render.console import (
    Recording,
    make_console,
    prepare,
    print_view,
    save_recording,
    say,
    utf8,
)
from tradecli.textsafe import visible
from tradecli.words import matches_term

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console, RenderableType

    from tradecli.words import Term

GAP = 2
TIGHTEST = 10
HEADER = "bold"
ID = "cyan"
NOTE = "dim"
HIGHLIGHT = "bold reverse"
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")


def render(listing: Listing, stream: TextIO) -> int:
    """Write the listing for people on a terminal, as plain lines otherwise; return the count."""
    console = make_console(stream)
    if listing.whole:
        from tradecli.render import detail

        return detail.render(listing, console)
    if console.is_terminal:
        return draw(listing, console)
    return plain(listing, stream)


def plain(listing: Listing, stream: TextIO) -> int:
    """One tab-separated line per row, nothing shortened or padded; return the count."""
    count = 0
    for row in listing.rows:
        stream.write("\t".join(visible(flat(cell)) for cell in row).rstrip() + "\n")
        count += 1
    return count


def _one_line(cell: Cell) -> str:
    return flat(cell)


def layout(columns: Sequence[Column], cells: list[list[str]], width: int) -> list[int | None]:
    """Each column's width on a terminal this wide, None for a column left out.

    A column no row fills is left out. Then, while the columns cannot fit with each free-text
    column at its ``narrowest`` (or less, where its text is shorter), the column of highest
    priority is left out. The room left is shared among the free-text columns, the narrowest
    need first.
    """
    count = len(columns)
    natural = [
        max([cell_len(column.name), *(cell_len(row[index]) for row in cells)])
        for index, column in enumerate(columns)
    ]
    shown = [index for index in range(count) if any(row[index] for row in cells)] or [0]

    def least(index: int) -> int:
        if not columns[index].flexible:
            return natural[index]
        return min(natural[index], max(columns[index].narrowest, cell_len(columns[index].name)))

    while sum(least(i) for i in shown) + GAP * (len(shown) - 1) > width:
        droppable = [index for index in shown if columns[index].priority > 0]
        if not droppable:
            break
        shown.remove(max(reversed(droppable), key=lambda index: columns[index].priority))
    widths: list[int | None] = [None] * count
    for index in shown:
        widths[index] = least(index)
    # Still too wide with every column left out that may be: free text is shortened further,
    # down to a few words, the least needed column first.
    over = sum(least(i) for i in shown) + GAP * (len(shown) - 1) - width
    for index in sorted(shown, key=lambda i: -columns[i].priority):
        if over <= 0:
            break
        if columns[index].flexible:
            floor = min(natural[index], max(cell_len(columns[index].name), TIGHTEST))
            cut = min(over, least(index) - floor)
            widths[index] = least(index) - cut
            over -= cut
    # The room beyond each column's least goes to the free-text columns, the most needed first
    # (lowest priority); columns of one priority share it, each taking no more than it needs.
    extra = width - GAP * (len(shown) - 1) - sum(w or 0 for w in widths)
    for priority in sorted({columns[i].priority for i in shown}):
        group = sorted(
            (i for i in shown if columns[i].flexible and columns[i].priority == priority),
            key=lambda i: natural[i] - least(i),
        )
        for place, index in enumerate(group):
            share = max(extra, 0) // (len(group) - place)
            grown = min(natural[index] - (widths[index] or 0), share)
            widths[index] = (widths[index] or 0) + grown
            extra -= grown
    return widths


def shorten(text: str, width: int, ellipsis: str, *, keep_end: bool = False) -> str:
    """Text in at most ``width`` cells: when too long, cut after a whole word with an ellipsis,
    or with ``keep_end`` words left out in the middle ("China's 100% … Canadian canola oil")."""
    if cell_len(text) <= width:
        return text
    if keep_end:
        middle = _middle(text, width, ellipsis)
        if middle is not None:
            return middle
    room = width - cell_len(ellipsis)
    kept = ""
    for match in _TOKEN.finditer(text):
        if cell_len(text[: match.end()]) > room:
            break
        kept = text[: match.end()]
    if not kept:  # a first word longer than the column: the one case a word is cut
        kept = set_cell_size(text, room).rstrip()
    return kept.rstrip(" ,;:—-") + ellipsis


def _middle(text: str, width: int, ellipsis: str) -> str | None:
    """First words up to about half the width, an ellipsis, then as many last words as fit
    (then more first words, if room is left); None when no last word fits."""
    words = text.split()
    first, last = 0, len(words)

    def size(head: int, tail: int) -> int:
        return cell_len(" ".join([*words[:head], ellipsis, *words[tail:]]))

    while first < last - 1 and size(first + 1, last) - cell_len(ellipsis) <= width // 2:
        first += 1
    while last - 1 > first and size(first, last - 1) <= width:
        last -= 1
    while first < last - 1 and size(first + 1, last) <= width:
        first += 1
    if first == 0 or last == len(words) or size(first, last) > width:
        return None
    return " ".join([*words[:first], ellipsis, *words[last:]])


def _highlighted(text: Text, terms: Sequence[Term]) -> Text:
    for match in _WORD.finditer(text.plain):
        if matches_term(match.group(), terms):
            text.stylize(HIGHLIGHT, match.start(), match.end())
    return text


def table_lines(listing: Listing, console: Console) -> tuple[list[Text], int, list[str]]:
    """The table's lines (a header, then a line per row) at the console's width, the count, and
    the names of columns left out for want of room."""
    ascii_only = not utf8(console)
    ellipsis = "..." if ascii_only else "…"
    cells = [
        [prepare(_one_line(cell), ascii_only=ascii_only) for cell in row] for row in listing.rows
    ]
    columns = listing.columns
    widths = layout(columns, cells, console.width)
    shown = [(index, width) for index, width in enumerate(widths) if width is not None]
    filled = {index for index in range(len(columns)) if any(row[index] for row in cells)}
    left_out = [columns[i].name for i in sorted(filled) if widths[i] is None]
    lines: list[Text] = []
    header = Text()
    for place, (index, width) in enumerate(shown):
        name = prepare(columns[index].name, ascii_only=ascii_only)
        header.append(name, HEADER)
        if place < len(shown) - 1:
            header.append(" " * (width - cell_len(name) + GAP))
    lines.append(header)
    for row in cells:
        line = Text()
        for place, (index, width) in enumerate(shown):
            column = columns[index]
            value = row[index]
            if column.flexible:
                value = shorten(value, width, ellipsis, keep_end=column.keep_end)
            piece = Text(value, ID if column.name == "ID" else "")
            if listing.terms and column.flexible:
                _highlighted(piece, listing.terms)
            line.append_text(piece)
            if place < len(shown) - 1:
                line.append(" " * (width - cell_len(value) + GAP))
        line.rstrip()
        lines.append(line)
    return lines, len(cells), left_out


LARGE = 5000


def _say_large() -> None:
    """Say on stderr that a table this long is laid out whole before its first line shows."""
    import sys

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(
            f"note: laying out a table of more than {LARGE:,} lines before drawing it; piped "
            "output or -f json starts at once\n"
        )


def counted(listing: Listing, count: int) -> str:
    """ "16 measures", "1 measure"."""
    singular, plural = listing.noun
    return f"{count} {singular if count == 1 else plural}"


def draw(listing: Listing, console: Console) -> int:
    """Draw the table, a count and the listing's notes; an empty listing draws nothing."""
    lines, count, left_out = table_lines(listing, console)
    if not count:
        return 0
    ascii_only = not utf8(console)
    for line in lines:
        console.print(line, soft_wrap=True)
    console.print()
    notes = [counted(listing, count), *listing.footer]
    if left_out:
        notes.append(f"not shown at this width: {', '.join(left_out)} (--long shows every field)")
    for note in notes:
        say(console, Text(prepare(note, ascii_only=ascii_only), NOTE))
    return count


def show(
    drawing: Listing | RenderableType, stream: TextIO, *, recording: Recording | None = None
) -> int:
    """Draw a listing (as on a terminal) or a view, save the drawing in ``recording``'s files,
    and return how many items were drawn (a view counts as one)."""
    from tradecli.render import detail

    console = make_console(stream, record=recording is not None)
    if isinstance(drawing, Listing):
        count = (
            detail.draw(drawing.details or [], console) if drawing.whole else draw(drawing, console)
        )
    else:
        print_view(drawing, console)
        count = 1
    if recording is not None:
        save_recording(console, recording)
    return count
