"""Make untrusted text from a fact file safe to show: control, bidirectional and invisible
characters become visible escapes, so no fact can move the cursor, retitle a window, write the
clipboard, reorder what a reader sees or hide text from them.

Joiners are the one exception: ZWNJ (U+200C) and ZWJ (U+200D) are how Persian, Hindi and emoji
sequences such as "👨‍👩‍👧" are written. One between two characters that are neither ASCII, a
space nor hidden themselves is kept; anywhere else (at the start or end of a text, beside a space
or an ASCII character) it can only hide something, and is shown. Likewise the tag characters of
the three subdivision flags (England, Scotland, Wales) are kept, and every other tag character,
which can carry a whole hidden text, is shown.

An address from a fact file is a link (a terminal's, an HTML page's, Markdown's) only as
``link_target`` gives it: an http or https address, so no fact can link to ``javascript:``.
"""

from __future__ import annotations

import re

# C0 controls but the newline (shown too unless kept as layout), DEL and C1 controls.
_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f"
_HIDDEN = (
    "\xad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200e\u200f"  # zero-width space, left-to-right and right-to-left marks
    "\u2028-\u202e"  # line and paragraph separators, bidirectional embeddings and overrides
    "\u2060-\u2069"  # word joiner, invisible operators, bidirectional isolates
    "\ud800-\udfff"  # lone surrogates: no character, and no encoding can write one
    "\ufeff"  # byte-order mark (zero-width no-break space)
    "\ufff9-\ufffb"  # interlinear annotation marks
    "\ufffe\uffff"  # noncharacters, which XML (so an SVG) may not hold
)
_JOINERS = "\u200c\u200d"
_TAGS = "\U000e0000-\U000e007f"  # tag characters: any text, spelt invisibly

# One pass finds every candidate; only a joiner or a tag needs a look at its neighbours. Text all
# in ASCII (``str.isascii`` costs nothing) is searched without joiners and tags: a range beyond
# the BMP costs a second test of every character, a third slower on 1 MB.
_UNSAFE = re.compile(f"[{_CONTROLS}\n{_HIDDEN}{_JOINERS}{_TAGS}]")
_UNSAFE_KEEP_LINES = re.compile(f"[{_CONTROLS}{_HIDDEN}{_JOINERS}{_TAGS}]")
_UNSAFE_ASCII = re.compile(f"[{_CONTROLS}\n{_HIDDEN}]")
_UNSAFE_ASCII_KEEP_LINES = re.compile(f"[{_CONTROLS}{_HIDDEN}]")
_NOT_JOINABLE = re.compile(f"[\\x00-\\x7f\\s{_CONTROLS}{_HIDDEN}{_JOINERS}{_TAGS}]")

_BLACK_FLAG = "\U0001f3f4"
_FLAGS = frozenset(
    _BLACK_FLAG + "".join(chr(0xE0000 + ord(letter)) for letter in code) + "\U000e007f"
    for code in ("gbeng", "gbsct", "gbwls")
)
_FLAG_LENGTH = 7

_JOINABLE: dict[str, bool] = {}  # whether a joiner beside this character may join; filled as met


def _joinable(char: str) -> bool:
    found = _JOINABLE.get(char)
    if found is None:
        found = _JOINABLE[char] = _NOT_JOINABLE.match(char) is None
    return found


def _kept(text: str, at: int) -> bool:
    """True for a joiner inside a word or emoji sequence, or a tag inside a subdivision flag."""
    if text[at] in _JOINERS:
        return 0 < at < len(text) - 1 and _joinable(text[at - 1]) and _joinable(text[at + 1])
    return any(
        text.startswith(_BLACK_FLAG, start) and text[start : start + _FLAG_LENGTH] in _FLAGS
        for start in range(max(at - _FLAG_LENGTH + 1, 0), at)
    )


def _shown(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _json_shown(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


# The escapes of characters shown wherever they are, filled as they are met.
_SHOWN: dict[str, str] = {}
_JSON_SHOWN: dict[str, str] = {}
_FIRST_TAG = "\U000e0000"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    shown = _SHOWN.get(char)
    if shown is not None:
        return shown
    if char in _JOINERS or char >= _FIRST_TAG:
        return char if _kept(match.string, match.start()) else _shown(char)
    shown = _SHOWN[char] = _shown(char)
    return shown


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    shown = _JSON_SHOWN.get(char)
    if shown is not None:
        return shown
    if char in _JOINERS or char >= _FIRST_TAG:
        return char if _kept(match.string, match.start()) else _json_shown(char)
    shown = _JSON_SHOWN[char] = _json_shown(char)
    return shown


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Replace every control or invisible-formatting character with a visible escape."""
    if text.isascii():
        pattern = _UNSAFE_ASCII_KEEP_LINES if keep_newlines else _UNSAFE_ASCII
    else:
        pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


def json_safe(document: str) -> str:
    """Escape, inside a JSON document, characters that JSON allows raw but a terminal obeys.

    The characters are those ``visible`` shows, by the same rule. ``json.dumps`` already escapes
    control characters inside strings, so a raw newline is layout (from ``indent``) and is kept.
    """
    pattern = _UNSAFE_ASCII_KEEP_LINES if document.isascii() else _UNSAFE_KEEP_LINES
    return pattern.sub(_json_escape, document)


# What a spreadsheet runs as a formula when a cell starts with it (OWASP, "CSV Injection"), and
# the guard's own quote, so that a text which starts with one is told from a guarded one.
_FORMULA_STARTS = frozenset("=+-@\t\r'")
_PLAIN_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV cell that no spreadsheet runs as a formula, as OWASP recommends.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``, which spreadsheets show as text and do not run. So does a text that starts with
    ``'`` itself: every guarded cell then starts with one ``'`` more than its text, and
    dropping one leading ``'`` from a cell that has one gives the text back. A plain negative
    number such as ``-5.9`` (a minus, ASCII digits, perhaps a decimal part) is left as it is: a
    spreadsheet reads it as that number, which runs nothing.
    """
    if text and text[0] in _FORMULA_STARTS and _PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


_WEB_ADDRESS = re.compile(r"https?://[\x21-\x7e]+")
# Characters a URL never holds as they are: a browser's URL parser percent-encodes them itself, so
# the address stays the same, and one that holds them cannot end an HTML attribute early.
_NOT_IN_URL = re.compile(r'["<>`]')


def link_target(url: str) -> str | None:
    """The address a hyperlink may point at: a plain http(s) address, else none.

    Any other scheme (``javascript:``, ``data:``) and any address with a space, a control or a
    non-ASCII character is no link. ``"``, ``<``, ``>`` and a backquote are percent-encoded.
    """
    if not _WEB_ADDRESS.fullmatch(url):
        return None
    return _NOT_IN_URL.sub(lambda match: f"%{ord(match.group()):02X}", url)
