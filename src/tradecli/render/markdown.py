"""Markdown output: a pipe table, lists joined with "; ", pipes escaped."""

from __future__ import annotations

from typing import TextIO

from tradecli.present.listing import Cell, Listing, flat
from tradecli.textsafe import visible


def _cell(cell: Cell) -> str:
    return visible(flat(cell)).replace("\\", "\\\\").replace("|", "\\|")


def render(listing: Listing, stream: TextIO) -> None:
    """Write the listing as a Markdown table; an empty listing writes nothing."""
    if not listing.rows:
        return
    stream.write("| " + " | ".join(_cell(name) for name in listing.columns) + " |\n")
    stream.write("|" + "|".join("---" for _ in listing.columns) + "|\n")
    for row in listing.rows:
        stream.write("| " + " | ".join(_cell(cell) for cell in row) + " |\n")
