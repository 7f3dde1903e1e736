"""Markdown output: a pipe table, lists joined with "; ", every cell shown as plain text.

No text from a fact file can become a link (but a source's address, below), an image, HTML,
emphasis or code, or break its row. One rule, applied after control characters are made visible
(``textsafe.visible``, which also turns a newline into ``\\x0a``): Markdown's inline punctuation
``\\ ` * _ ~ [ ] ( ) ! # | $ @`` gets a backslash, and ``<``, ``>``, ``&`` become ``&lt;``,
``&gt;``, ``&amp;``. Autolinks are broken the same way: the colon of ``://`` and the dot after
``www`` get a backslash, so ``https://x`` and ``www.x.org`` stay text in CommonMark and GitHub's
renderer alike. An e-mail address is the one thing GitHub's renderer still links (no escape
stops it there); such a link shows its address.

The one link is an address the data gives as one (a source's), on a line of its own in a record:
``[address](target)``, the address escaped as above for its text and the target written by
``textsafe.link_target`` (http and https only, else the line is the escaped address alone), with
``\\ ( ) < > &`` backslash-escaped so that it ends where it should and no entity is read in it.
"""

from __future__ import annotations

import re
from typing import TextIO

from tradecli.present.listing import Cell, Line, Listing, flat
from tradecli.textsafe import link_target, visible

# One pass: punctuation that Markdown reads, "://" and "www." as autolinks would start.
_SPECIAL = re.compile(r"[\\`*_~\[\]()!#|$@<>&]|:(?=//)|(?<=[wW][wW][wW])\.")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char) or "\\" + char


def escape(text: str) -> str:
    """Text as a Markdown table cell that shows it literally: nothing in it is read as Markdown."""
    return _SPECIAL.sub(_escape, visible(text))


_IN_DESTINATION = re.compile(r"[\\()<>&]")


def link(text: str, url: str) -> str:
    """A Markdown link to an http(s) address, showing ``text``; the escaped text for any other."""
    target = link_target(url)
    if target is None:
        return escape(text)
    destination = _IN_DESTINATION.sub(r"\\\g<0>", target)
    return f"[{escape(text)}]({destination})"


def _line(line: Line) -> str:
    return escape(line.text) if line.url is None else link(line.text, line.url)


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
                stream.write(f"- {_line(line)}\n")
        count += 1
    return count
