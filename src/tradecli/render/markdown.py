"""Markdown output: a pipe table, lists joined with "; ", every cell shown as plain text.

No text from a fact file can become a link, an image, HTML, emphasis or code, or break its row.
One rule, applied after control characters are made visible (``textsafe.visible``, which also
turns a newline into ``\\x0a``): Markdown's inline punctuation ``\\ ` * _ ~ [ ] ( ) ! # | $ @``
gets a backslash, and ``<``, ``>``, ``&`` become ``&lt;``, ``&gt;``, ``&amp;``. Autolinks are broken
the same way: the colon of ``://`` and the dot after ``www`` get a backslash, so ``https://x`` and
``www.x.org`` stay text in CommonMark and GitHub's renderer alike. An e-mail address is the one
thing GitHub's renderer still links (no escape stops it there); such a link shows its address.
"""

from __future__ import annotations

import re
from typing import TextIO

from tradecli.present.listing import Cell, Listing, flat
from tradecli.textsafe import visible

# One pass: punctuation that Markdown reads, "://" and "www." as autolinks would start.
_SPECIAL = re.compile(r"[\\`*_~\[\]()!#|$@<>&]|:(?=//)|(?<=[wW][wW][wW])\.")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char) or "\\" + char


def escape(text: str) -> str:
    """Text as a Markdown table cell that shows it literally: nothing in it is read as Markdown."""
    return _SPECIAL.sub(_escape, visible(text))


def _cell(cell: Cell) -> str:
    return escape(flat(cell))


def _heading(name: str) -> str:
    return name[:1] + name[1:].lower()


def render(listing: Listing, stream: TextIO) -> int:
    """Write the listing as a Markdown table (a fact in full as a record); return the count.

    An empty listing writes nothing.
    """
    if listing.whole:
        return _details(listing, stream)
    count = 0
    for row in listing.rows:
        if not count:
            stream.write("| " + " | ".join(escape(_heading(n)) for n in listing.names) + " |\n")
            stream.write("|" + "|".join("---" for _ in listing.columns) + "|\n")
        stream.write("| " + " | ".join(_cell(cell) for cell in row) + " |\n")
        count += 1
    return count


def _details(listing: Listing, stream: TextIO) -> int:
    """Each fact as a heading, a list of its labelled fields, and a list per section."""
    count = 0
    for full in listing.details or []:
        if count:
            stream.write("\n")
        stream.write(f"## {escape(full.title)}\n\n{escape(full.subtitle)}\n\n")
        for label, values in full.fields:
            stream.write(f"- **{escape(label)}**: {escape('; '.join(values))}\n")
        for section in full.sections:
            stream.write(f"\n### {escape(section.heading.capitalize())}\n\n")
            for line in section.lines:
                stream.write(f"- {escape(line.text)}\n")
        count += 1
    return count
