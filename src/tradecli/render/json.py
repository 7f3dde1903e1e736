"""JSON output: the listing's records as a JSON array, written one record at a time.

The document is what ``json.dumps(records, indent=2)`` would write, with characters a terminal
obeys escaped (``textsafe.json_safe``); each record is written as it is made, so the first
bytes of a large answer arrive at once and memory stays flat.
"""

from __future__ import annotations

import gc
import json
from typing import TextIO

from tradecli.present.listing import Listing
from tradecli.textsafe import json_safe

_SWEEP = 256


def render(listing: Listing, stream: TextIO) -> int:
    """Write the records as an indented JSON array (``[]`` when empty); return the count."""
    count = 0
    for record in listing.records:
        document = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        stream.write(("[\n  " if not count else ",\n  ") + json_safe(document))
        count += 1
        if not count % _SWEEP:
            # json.dumps with an indent leaves a reference cycle behind each call, and the
            # command runs with the cyclic collector off: sweep them, so memory stays flat.
            gc.collect(0)
    stream.write("\n]\n" if count else "[]\n")
    return count
