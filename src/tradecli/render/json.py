"""JSON output: the listing's records as a JSON array, control characters escaped."""

from __future__ import annotations

import json
from typing import TextIO

from tradecli.present.listing import Listing
from tradecli.textsafe import json_safe


def render(listing: Listing, stream: TextIO) -> None:
    """Write the records as an indented JSON array (``[]`` when empty)."""
    document = json.dumps(listing.records, ensure_ascii=False, indent=2)
    stream.write(json_safe(document) + "\n")
