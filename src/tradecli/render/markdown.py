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


def render(listing: Listing, stream: TextIO) -> None:
    """Write the listing as a Markdown table; an empty listing writes nothing."""
    if not listing.rows:
        return
    stream.write("| " + " | ".join(_cell(name) for name in listing.columns) + " |\n")
    stream.write("|" + "|".join("---" for _ in listing.columns) + "|\n")
    for row in listing.rows:
        stream.write("| " + " | ".join(_cell(cell) for cell in row) + " |\n")
