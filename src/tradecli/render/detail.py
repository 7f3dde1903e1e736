"""Facts in full (``show``, ``--long``): a record with labelled fields, then its sections.

On a terminal: the fact's name, a line of what it is, the fields with their labels in a column,
and each section (history, evidence, sources, links) under its heading, every line wrapped at
the terminal's width beneath its own indent. An address is never wrapped: it stands whole on a
line of its own, a hyperlink where the terminal shows one.

Piped: every line is ``label: value``, the label repeated for each value and each line of a
section, so ``grep '^evidence:'`` finds them all; facts are separated by a blank line.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from tradecli.render.console import prepare, say, utf8
from tradecli.textsafe import link_target, visible

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console

    from tradecli.present.listing import Detail, Listing

TITLE = "bold"
SUBTITLE = "dim"
LABEL = "bold"
HEADING = "bold underline"
INDENT = 2


def render(listing: Listing, console: Console) -> int:
    """Write each of the listing's details; return how many."""
    details = listing.details if listing.details is not None else []
    if console.is_terminal:
        return draw(details, console)
    return plain(details, console.file)


def plain(details: Iterable[Detail], stream: IO[str]) -> int:
    """Each fact as ``label: value`` lines, a blank line between facts."""
    count = 0
    for full in details:
        if count:
            stream.write("\n")
        lines = [("name", full.title)]
        if full.fact_id is not None:
            lines += [("id", full.fact_id), ("kind", full.kind or "")]
        lines += [(label, value) for label, values in full.fields for value in values]
        lines += [(s.heading, line.text) for s in full.sections for line in s.lines]
        stream.write("".join(f"{visible(label)}: {visible(value)}\n" for label, value in lines))
        count += 1
    return count


def draw(details: Iterable[Detail], console: Console) -> int:
    """Draw each fact as a record for people; return how many."""
    ascii_only = not utf8(console)

    def text(value: str, style: str = "") -> Text:
        shown = Text()  # the style on a span: text appended after it does not take it on
        shown.append(prepare(value, ascii_only=ascii_only), style)
        return shown

    count = 0
    for full in details:
        if count:
            console.print()
        say(console, text(full.title, TITLE))
        say(console, text(full.subtitle, SUBTITLE))
        console.print()
        labels = [text(label, LABEL) for label, _values in full.fields]
        width = min(max((label.cell_len for label in labels), default=0), console.width // 3)
        for label, (_name, values) in zip(labels, full.fields, strict=True):
            for number, value in enumerate(values):
                first = label.copy() if number == 0 else Text()
                first.pad_right(max(width - first.cell_len, 0) + INDENT)
                if first.cell_len > width + INDENT:  # a label wider than its column
                    first.rstrip()
                    console.print(first, soft_wrap=True)
                    first = Text(" " * (width + INDENT))
                say(console, text(value), first=first, indent=width + INDENT)
        for section in full.sections:
            console.print()
            console.print(text(section.heading.capitalize(), HEADING), soft_wrap=True)
            for line in section.lines:
                if line.url is not None:
                    address = prepare(line.url, ascii_only=ascii_only)
                    target = link_target(line.url)
                    shown = Text(" " * INDENT)
                    shown.append(address, Style(link=target) if target else "")
                    console.print(shown, soft_wrap=True)  # never wrapped: one line to copy
                    continue
                say(console, text(line.text), first=Text(" " * INDENT), indent=INDENT * 2)
        count += 1
    return count
