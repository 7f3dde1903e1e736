"""CSV output for spreadsheets: field names as headers, numbers as numbers, unknown as empty.

The columns are the listing's ``table``: the fields of the facts listed, named as in the fact
file, and what the command adds (``as_of_status``, ``sources``); they do not change with the
options given. A number is written as a number (``100``, ``5.9``), a list as its items joined
with "; ", and nothing at all as an empty cell. No display text: no "not given", no arrows.

Text cells are made visible (``textsafe.visible``) and guarded against formula injection as OWASP
recommends: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'``, so a spreadsheet shows it instead of running it. A cell that is a plain negative
number, such as ``-5.9``, is left as it is (``textsafe.spreadsheet_safe``).
"""

from __future__ import annotations

import csv
from typing import TextIO

from tradecli.present.listing import Listing, Table, Value, flat
from tradecli.textsafe import spreadsheet_safe, visible


def _cell(value: Value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int):
        return value
    return spreadsheet_safe(visible(value))


def _table(listing: Listing) -> Table:
    if listing.table is not None:
        return listing.table
    rows = (tuple(flat(cell) or None for cell in row) for row in listing.rows)
    return Table(tuple(name.lower() for name in listing.names), rows)


def render(listing: Listing, stream: TextIO) -> int:
    """Write the listing's table as CSV; an empty listing is the header alone. Return the count."""
    table = _table(listing)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.columns)
    count = 0
    for row in table.rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
    return count
