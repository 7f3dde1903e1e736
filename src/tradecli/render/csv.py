"""CSV output: a header row and one row per listing row, lists joined with "; "."""

from __future__ import annotations

import csv
from typing import TextIO

from tradecli.present.listing import Listing, flat
from tradecli.textsafe import visible


def render(listing: Listing, stream: TextIO) -> None:
    """Write the listing as CSV; an empty listing is the header alone."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(listing.columns)
    for row in listing.rows:
        writer.writerow([visible(flat(cell)) for cell in row])
