"""CSV output: a header row and one row per listing row, lists joined with "; ".

Cells are text made visible (``textsafe.visible``) and guarded against formula injection as OWASP
recommends: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'``, so a spreadsheet shows it instead of running it. A cell that is a plain negative
number, such as ``-5.9``, is left as it is (``textsafe.spreadsheet_safe``).
"""

from __future__ import annotations

import csv
from typing import TextIO

from tradecli.present.listing import Listing, flat
from tradecli.textsafe import spreadsheet_safe, visible


def render(listing: Listing, stream: TextIO) -> None:
    """Write the listing as CSV; an empty listing is the header alone."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(listing.columns)
    for row in listing.rows:
        writer.writerow([spreadsheet_safe(visible(flat(cell))) for cell in row])
