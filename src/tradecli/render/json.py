"""JSON output: the listing's records as a JSON array, written one record at a time.

The document is what ``json.dumps(records, indent=2)`` would write, with characters a terminal
obeys escaped (``textsafe.json_safe``); each record is written as it is made, so the first
bytes of a large answer arrive at once and memory stays flat. The answer of one item
(``Listing.single``: ``show``) is that object alone. A listing that may show only the first
items of its answer (``Listing.total``: ``search --limit``) is an object that says how many
there are, ``{"total": 50, "limit": 20, "items": [...]}``, whether or not it was cut, so a
script reads one shape.
"""

from __future__ import annotations

import gc
import json
from typing import Any, TextIO

from tradecli.present.listing import Listing
from tradecli.textsafe import json_safe

_SWEEP = 256


def _dumps(value: Any, *, depth: int) -> str:
    """``value`` as indented JSON, to be written ``depth`` levels deep, terminal-safe."""
    document = json.dumps(value, ensure_ascii=False, indent=2)
    return json_safe(document.replace("\n", "\n" + "  " * depth) if depth else document)


def render(listing: Listing, stream: TextIO) -> int:
    """Write the records as JSON (see the module's docstring); return the count."""
    if listing.single:
        count = 0
        for record in listing.records:
            stream.write(_dumps(record, depth=0) + "\n")
            count += 1
        if count != 1:
            raise ValueError(f"a single listing holds {count} records")
        return count
    if listing.total is None:
        return _array(listing, stream, depth=0)
    head = _dumps({"total": listing.total, "limit": listing.limit}, depth=0)
    stream.write(head[:-2] + ',\n  "items": ')  # the object's braces close after the items
    count = _array(listing, stream, depth=1)
    stream.write("}\n")
    return count


def _array(listing: Listing, stream: TextIO, *, depth: int) -> int:
    """Write the records as an indented JSON array (``[]`` when empty); return the count."""
    indent = "  " * depth
    count = 0
    for record in listing.records:
        stream.write(("[\n  " if not count else ",\n  ") + indent + _dumps(record, depth=depth + 1))
        count += 1
        if not count % _SWEEP:
            # json.dumps with an indent leaves a reference cycle behind each call, and the
            # command runs with the cyclic collector off: sweep them, so memory stays flat.
            gc.collect(0)
    stream.write(f"\n{indent}]\n" if count else "[]\n")
    return count
