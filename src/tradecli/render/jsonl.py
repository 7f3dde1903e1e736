"""JSON Lines output: each record a JSON object on a line of its own, written as it is made.

For ``jq -c``, ``grep`` and line tools: ``tradecli tariffs -f jsonl | head -1`` is one whole
record. Each line is what ``json.dumps(record)`` writes, with characters a terminal obeys (or a
line reader splits at) escaped (``textsafe.json_safe``). A listing cut by ``--limit`` writes its
records alone, as every other listing does; the note that says so goes to stderr.
"""

from __future__ import annotations

import json
from typing import TextIO

from tradecli.present.listing import Listing
from tradecli.textsafe import json_safe


def render(listing: Listing, stream: TextIO) -> int:
    """Write each record as one line of JSON; return the count."""
    count = 0
    for record in listing.records:
        stream.write(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")
        count += 1
    return count
