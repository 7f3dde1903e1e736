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

from rich.cells import cell_len, chop_cells, set_cell_size
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
TIGHTEST = 8
COMFORTABLE = 40
LONGEST_WORD = 20
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


def shorten(text: str, width: int, ellipsis: str) -> str:
    """Text in at most ``width`` cells: when too long, cut after a whole word with an ellipsis,
    at its end, never in its middle."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ellipsis)
    kept = ""
    for match in _TOKEN.finditer(text):
        if cell_len(text[: match.end()]) > room:
            break
        kept = text[: match.end()]
    if not kept:  # a first word longer than the column: the one case a word is cut
        kept = set_cell_size(text, room).rstrip()
    return kept.rstrip(" ,;:—-") + ellipsis


def _highlighted(text: Text, terms: Sequence[Term]) -> Text:
    for match in _WORD.finditer(text.plain):
        if matches_term(match.group(), terms):
            text.stylize(HIGHLIGHT, match.start(), match.end())
    return text


def plan(
    columns: Sequence[Column], cells: list[list[str]], width: int
) -> tuple[list[int | None], bool]:
    """Each column's width for a table whose rows may take several lines, None for a column
    left out, and whether the ids go beneath their rows.

    A column no row fills is left out. The columns a listing keeps (priority 0) are never left
    out: their free text wraps rather than being cut. While the rest cannot fit, the column of
    highest priority is left out. The ids, the handle for the next command, are never left
    out: they go last, or on a line of their own beneath each row when the columns the
    listing keeps need the room. The room left goes to free text, the most needed first.
    """
    count = len(columns)
    natural = [
        max([cell_len(column.name), *(cell_len(row[index]) for row in cells)])
        for index, column in enumerate(columns)
    ]
    shown = [index for index in range(count) if any(row[index] for row in cells)] or [0]
    handle = next((i for i in shown if columns[i].name == "ID"), None)

    # The longest word of each column (up to LONGEST_WORD): wrapped text breaks between words.
    words = [
        min(LONGEST_WORD, max((cell_len(w) for row in cells for w in row[i].split()), default=0))
        for i in range(count)
    ]

    def least(index: int) -> int:
        if not columns[index].flexible:
            return natural[index]
        named = max(columns[index].narrowest, cell_len(columns[index].name), words[index])
        return min(natural[index], named)

    def total(indexes: list[int]) -> int:
        return sum(least(i) for i in indexes) + GAP * (len(indexes) - 1)

    # What most rows need: the width that holds three in four of a column's cells whole.
    typical = [
        max(cell_len(column.name), _quartile([cell_len(row[index]) for row in cells]))
        for index, column in enumerate(columns)
    ]
    kept_text = [i for i in shown if columns[i].flexible and columns[i].priority == 0]
    wanted = sum(min(typical[i], COMFORTABLE) for i in kept_text)

    def squeezed() -> bool:
        """Whether the kept free text has less room than it needs to be read at a glance."""
        others = [i for i in shown if i not in kept_text]
        return width - total(others) - GAP * len(kept_text) < wanted

    # Room is made by leaving out, in turn: the least needed columns (priority 2 and up), the
    # ids' column (they go beneath their rows), and then the sources (priority 1).
    beneath = False
    while total(shown) > width or squeezed():
        optional = [i for i in shown if columns[i].priority > 0 and i != handle]
        least_needed = [i for i in optional if columns[i].priority > 1]
        if least_needed:
            shown.remove(max(reversed(least_needed), key=lambda i: columns[i].priority))
        elif handle is not None and handle in shown and len(shown) > 1:
            shown.remove(handle)
            beneath = True
        elif optional:
            shown.remove(max(reversed(optional), key=lambda i: columns[i].priority))
        else:
            break
    widths: list[int | None] = [None] * count
    for index in shown:
        widths[index] = least(index)
    # Still too wide: free text is narrowed further, the widest first, down to a word a line.
    over = total(shown) - width
    floors = {
        i: min(natural[i], max(cell_len(columns[i].name), TIGHTEST))
        for i in shown
        if columns[i].flexible
    }
    while over > 0:
        narrowed = [i for i in floors if (widths[i] or 0) > floors[i]]
        if not narrowed:
            break
        widest = max(narrowed, key=lambda i: widths[i] or 0)
        widths[widest] = (widths[widest] or 0) - 1
        over -= 1
    extra = width - GAP * (len(shown) - 1) - sum(w or 0 for w in widths)
    # Kept free text first, shared in proportion to what each needs: each takes what its
    # typical row needs before any takes more, so that one long cell does not starve the rest.
    for priority in sorted({columns[i].priority for i in shown}):
        group = [i for i in shown if columns[i].flexible and columns[i].priority == priority]
        for cap in (typical, natural):
            # Water-filling: a cell at a time to the column furthest short of its cap, in
            # proportion (a long quote grows before a date that is nearly whole).
            while extra > 0:
                short = [i for i in group if (widths[i] or 0) < cap[i]]
                if not short:
                    break
                furthest = min(short, key=lambda i: ((widths[i] or 0) / cap[i], group.index(i)))
                widths[furthest] = (widths[furthest] or 0) + 1
                extra -= 1
    return widths, beneath


def _quartile(sizes: list[int]) -> int:
    """The upper quartile of some sizes (0 for none)."""
    ordered = sorted(sizes)
    return ordered[(len(ordered) * 3) // 4] if ordered else 0


_PIECE = re.compile(r"\S+?-(?=\S)|\S+")


def wrap(text: str, width: int, *, hanging: int = 0) -> list[str]:
    """Text in lines of at most ``width`` cells, broken between words, or after a hyphen in a
    word too long for a line; a word longer still is folded. With ``hanging``, the lines after
    the first are indented by that many spaces, so that none can be taken for a row's start."""
    if cell_len(text) <= width:
        return [text]
    if hanging and width > hanging + 1:
        first, *rest = wrap(text, width)
        more = wrap(" ".join(rest), width - hanging) if rest else []
        return [first, *(" " * hanging + line for line in more)]
    # Each piece, and whether it continues the word before it (after a hyphen: no space).
    pieces: list[tuple[str, bool]] = []
    for word in _TOKEN.findall(text):
        parts = [word] if cell_len(word) <= width else _PIECE.findall(word)
        pieces += [(part, place > 0) for place, part in enumerate(parts)]
    lines: list[str] = []
    current = ""
    for piece, glued in pieces:
        joined = current + piece if glued else (f"{current} {piece}" if current else piece)
        if cell_len(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current)
        if cell_len(piece) <= width:
            current = piece
        else:
            *folded, current = chop_cells(piece, max(width, 1))
            lines.extend(folded)
    if current:
        lines.append(current)
    return lines or [""]


def table_lines(listing: Listing, console: Console) -> tuple[list[Text], int, list[str]]:
    """The table's lines (a header, then each row: one line, or more where its kept text wraps)
    at the console's width, the count, and the names of columns left out for want of room.

    The ids come last, in their own column or beneath their row (``plan``)."""
    ascii_only = not utf8(console)
    ellipsis = "..." if ascii_only else "…"
    rows = list(listing.rows)
    handle_at = next((i for i, c in enumerate(listing.columns) if c.name == "ID"), None)
    numbers: dict[str, int] = {}
    if listing.handles is not None and handle_at is not None:
        numbers = listing.handles([str(row[handle_at]) for row in rows if row[handle_at]])
    if numbers and handle_at is not None:  # a number, short, in the ids' place
        at = handle_at
        rows = [
            (*row[:at], str(numbers.get(str(row[at]), row[at])), *row[at + 1 :]) for row in rows
        ]
        order = list(range(len(listing.columns)))
        columns = [Column("#") if column.name == "ID" else column for column in listing.columns]
    else:  # ids come last, beside their rows or beneath them
        order = sorted(range(len(listing.columns)), key=lambda i: listing.columns[i].name == "ID")
        columns = [listing.columns[i] for i in order]
    cells = [[prepare(_one_line(row[i]), ascii_only=ascii_only) for i in order] for row in rows]
    widths, beneath = plan(columns, cells, console.width)
    handle = next((i for i, column in enumerate(columns) if column.name in ("ID", "#")), None)
    shown = [(index, width) for index, width in enumerate(widths) if width is not None]
    filled = {index for index in range(len(columns)) if any(row[index] for row in cells)}
    left_out = [
        columns[i].name
        for i in sorted(filled)
        if widths[i] is None and not (beneath and i == handle)
    ]
    lines: list[Text] = []
    header = Text()
    for place, (index, width) in enumerate(shown):
        name = prepare(columns[index].name, ascii_only=ascii_only)
        header.append(name, HEADER)
        if place < len(shown) - 1:
            header.append(" " * (width - cell_len(name) + GAP))
    lines.append(header)
    for row in cells:
        pieces: list[list[str]] = []
        for place, (index, width) in enumerate(shown):
            column, value = columns[index], row[index]
            if column.flexible and column.priority == 0:
                pieces.append(wrap(value, width, hanging=2 if place == 0 else 0))
            elif column.flexible:
                pieces.append([shorten(value, width, ellipsis)])
            else:
                pieces.append([value])
        for depth in range(max(len(piece) for piece in pieces)):
            line = Text()
            for place, ((index, width), piece) in enumerate(zip(shown, pieces, strict=True)):
                value = piece[depth] if depth < len(piece) else ""
                text = Text(value, ID if index == handle else "")
                if listing.terms and columns[index].flexible:
                    _highlighted(text, listing.terms)
                line.append_text(text)
                if place < len(shown) - 1:
                    line.append(" " * (width - cell_len(value) + GAP))
            line.rstrip()
            lines.append(line)
        if beneath and handle is not None and row[handle]:
            lines.append(Text(f"  {row[handle]}", ID))
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
