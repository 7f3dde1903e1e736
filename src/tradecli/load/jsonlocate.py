"""Map JSON paths in a document to line and column numbers, for error messages.

Only called after something went wrong, so it favours clarity over speed. It walks the text with
the standard library's own string and number scanners and never recurses, so deep nesting is safe.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"?'
_BRACKETS = re.compile(_STRING + r"|[\[\]{}]")
_SCALARS = re.compile(_STRING + r"|-?Infinity|NaN|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")

PathPart = str | int
MAX_DEPTH = 200
MAX_KEY_SHOWN = 60


@functools.lru_cache(maxsize=1)
def _newlines(text: str) -> list[int]:
    """The offsets of a text's newlines, found once for the text last asked about: a file with
    thousands of problems or warnings is scanned once, not once a message."""
    return [match.start() for match in re.finditer("\n", text)]


def line_column(text: str, position: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    newlines = _newlines(text)
    line = bisect.bisect_left(newlines, position)  # newlines before the position
    start = newlines[line - 1] + 1 if line else 0
    return line + 1, position - start + 1


def format_path(parts: tuple[PathPart, ...] | list[PathPart]) -> str:
    """Format a path as ``tariffs[1].rate_percent``; a key is cut short after 60 characters."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif len(part) <= MAX_KEY_SHOWN and re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{quote_key(part)}]"
    return out


def quote_key(key: str) -> str:
    """A key as a JSON string for a message: escaped, and cut short if it is long."""
    if len(key) <= MAX_KEY_SHOWN:
        return json.dumps(key)
    return json.dumps(key[: MAX_KEY_SHOWN - 3])[:-1] + '..."'


def nesting_position(text: str, limit: int) -> int | None:
    """The offset of the first bracket nested more than ``limit`` deep, outside strings."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()[0]
        if char == '"':
            continue
        if char in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        else:
            depth -= 1
    return None


def token_position(text: str, token: str) -> int | None:
    """The offset of the first number or literal written exactly as ``token``, outside strings."""
    for match in _SCALARS.finditer(text):
        if match.group() == token:
            return match.start()
    return None


def path_at(located: Located, position: int) -> tuple[PathPart, ...] | None:
    """The path of the value that starts at ``position``, if one was located there."""
    for path, start in located.positions.items():
        if start == position:
            return path
    return None


@dataclass
class Located:
    """Positions of every value, and any duplicate keys, in a JSON document."""

    positions: dict[tuple[PathPart, ...], int] = field(default_factory=dict)
    duplicates: list[tuple[tuple[PathPart, ...], int]] = field(default_factory=list)


@dataclass
class _Frame:
    path: tuple[PathPart, ...]
    is_object: bool
    first: bool = True
    index: int = 0
    keys: set[str] = field(default_factory=set)


def locate(text: str) -> Located:
    """Record where each value starts; stops quietly at the first syntax error."""
    found = Located()
    stack: list[_Frame] = []
    try:
        pos = _value(text, _skip(text, 0), (), stack, found)
        while stack:
            pos = _skip(text, pos)
            frame = stack[-1]
            char = text[pos]
            if char in "]}":
                stack.pop()
                pos += 1
                continue
            if frame.first:
                frame.first = False
            elif char == ",":
                pos = _skip(text, pos + 1)
                frame.index += 1
            else:
                break
            if frame.is_object:
                pos = _member(text, pos, frame, stack, found)
            else:
                pos = _value(text, pos, (*frame.path, frame.index), stack, found)
    except (IndexError, ValueError):
        pass
    return found


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _member(text: str, pos: int, frame: _Frame, stack: list[_Frame], found: Located) -> int:
    if text[pos] != '"':
        raise ValueError("expected a key")
    key_start = pos
    key, pos = scanstring(text, pos + 1)
    path = (*frame.path, key)
    if key in frame.keys:
        found.duplicates.append((path, key_start))
    frame.keys.add(key)
    pos = _skip(text, pos)
    if text[pos] != ":":
        raise ValueError("expected ':'")
    return _value(text, _skip(text, pos + 1), path, stack, found)


def _value(
    text: str, pos: int, path: tuple[PathPart, ...], stack: list[_Frame], found: Located
) -> int:
    """Scan a scalar, or open a container and leave its contents to the caller's loop."""
    found.positions.setdefault(path, pos)
    char = text[pos]
    if char in "{[":
        if len(stack) >= MAX_DEPTH:
            raise ValueError("nested too deeply to locate")
        stack.append(_Frame(path, is_object=char == "{"))
        return pos + 1
    if char == '"':
        return int(scanstring(text, pos + 1)[1])
    number = _NUMBER.match(text, pos)
    if number:
        return number.end()
    for literal in _LITERALS:
        if text.startswith(literal, pos):
            return pos + len(literal)
    raise ValueError("unexpected character")
