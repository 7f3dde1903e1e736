"""Make untrusted text from a fact file safe to show: control and bidirectional characters become
visible escapes, so no fact can move the cursor, retitle a window, write the clipboard or reorder
what a reader sees."""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, bidirectional embeddings, overrides, isolates and marks,
# zero-width and line/paragraph separators, and the byte-order mark.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
_UNSAFE_KEEP_LINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Replace every control or invisible-formatting character with a visible escape."""
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


def json_safe(document: str) -> str:
    """Escape, inside a JSON document, characters that JSON allows raw but a terminal obeys.

    ``json.dumps`` already escapes control characters inside strings, so a raw newline is layout
    (from ``indent``) and is kept.
    """
    return _UNSAFE_KEEP_LINES.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
