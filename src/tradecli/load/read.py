"""Read a fact file strictly: bytes up to a limit, UTF-8, and JSON with no duplicate keys, NaN,
infinities, giant integers or lone surrogates, each refused with its line, column and JSON path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecli.errors import DataError, Problem

if TYPE_CHECKING:
    from tradecli.load.jsonlocate import PathPart

MAX_BYTES = 256 * 1024 * 1024
MAX_INT_DIGITS = 30
MAX_DEPTH_SHOWN = 100

_CHUNK = 1024 * 1024
# A \uD800-\uDFFF escape, preceded by an even number of backslashes (so not itself escaped).
_SURROGATE_PREFILTER = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")
_JSON_ERRORS = {
    "Expecting value": "expected a value (a string, number, object, array, true, false or null)",
    "Expecting property name enclosed in double quotes": (
        "expected a key in double quotes; remove a trailing comma or quote the key"
    ),
    "Expecting ':' delimiter": "expected ':' after a key",
    "Expecting ',' delimiter": "expected ',' between items, or a closing bracket",
    "Unterminated string starting at": (
        "a string starts here and never ends; add the closing quote (is the file cut short?)"
    ),
    "Invalid control character": (
        "a control character inside a string; remove it or write it as an escape like \\u001b"
    ),
    "Invalid \\escape": "an invalid backslash escape; write a backslash itself as \\\\",
    "Invalid \\uXXXX escape": "an invalid \\uXXXX escape; it needs four hexadecimal digits",
    "Extra data": "more text after the top-level object ends; remove it",
}


def read_bytes(path: Path) -> bytes:
    """Read at most MAX_BYTES from a file, a pipe or a device; refuse before reading more."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataError(
                name, [Problem("", "is a directory; give the path of a fact file (a .json file)")]
            )
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(name, [_too_big(size)])
        # Read in chunks, not all at once: a pipe or a device such as /dev/zero has no size.
        chunks: list[bytes] = []
        total = 0
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > MAX_BYTES:
                    raise DataError(name, [_too_big(None)])
                chunks.append(chunk)
        return b"".join(chunks)
    except FileNotFoundError:
        raise DataError(
            name,
            [Problem("", "no such file; check the path")],
            hint="give a fact file with --data, $TRADECLI_DATA or tradecli validate PATH",
        ) from None
    except PermissionError:
        raise DataError(name, [Problem("", "permission denied; make the file readable")]) from None
    except OSError as error:
        raise DataError(
            name, [Problem("", f"cannot be read: {error.strerror or error}; check the path")]
        ) from None


def _too_big(size: int | None) -> Problem:
    what = f"is {size:,} bytes, over" if size is not None else "holds more than"
    return Problem("", f"{what} the {MAX_BYTES:,}-byte limit of a fact file; split or trim it")


def decode(name: str, raw: bytes) -> str:
    """Decode UTF-8 (a leading BOM is accepted and dropped); refuse UTF-16/32 and bad bytes."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and b"\x00" in raw[:4]):
        raise DataError(name, [Problem("", "is UTF-16 or UTF-32 encoded; save it as UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        from tradecli.load.jsonlocate import line_column

        good = raw[: error.start].decode("utf-8")
        line, column = line_column(good, len(good))
        raise DataError(
            name,
            [
                Problem(
                    "",
                    f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8",
                    line,
                    column,
                )
            ],
        ) from None


class _DuplicateKeyError(ValueError):
    pass


class _BadNumberError(ValueError):
    """A number JSON should not hold, with the text it was written as, to find it again."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.token = token


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


def _reject_constant(name: str) -> Any:
    raise _BadNumberError(f"{name} is not a number JSON allows; use a finite number or null", name)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise _BadNumberError(f"the number {shown} is too large; use a finite number", text)
    return value


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _BadNumberError(
            f"an integer of {digits:,} digits is too long; use at most {MAX_INT_DIGITS}", text
        )
    return int(text)


def parse_json(name: str, text: str) -> dict[str, Any]:
    """Parse JSON strictly: no duplicate keys, NaN, infinity, giant integers or lone surrogates."""
    if not text.strip():
        raise DataError(name, [Problem("", "is empty; a fact file is a JSON object")])
    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_reject_constant,
            parse_float=_parse_float,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as error:
        message = next(
            (text for start, text in _JSON_ERRORS.items() if error.msg.startswith(start)),
            error.msg,
        )
        raise DataError(
            name,
            [Problem("", f"is not valid JSON: {message}", error.lineno, error.colno)],
        ) from None
    except RecursionError:
        raise DataError(name, [_too_deep(text)]) from None
    except _DuplicateKeyError:
        from tradecli.load.jsonlocate import format_path, line_column, locate

        located = locate(text)
        problems = [
            Problem(
                format_path(path),
                f"duplicate key {quoted(str(path[-1]))}; each key may appear once in an object",
                *line_column(text, position),
            )
            for path, position in located.duplicates
        ] or [Problem("", "has a duplicate key in an object; each key may appear once")]
        raise DataError(name, problems) from None
    except _BadNumberError as error:
        raise DataError(name, [_at_token(text, error.token, str(error))]) from None
    except ValueError as error:
        raise DataError(name, [Problem("", str(error))]) from None
    if not isinstance(data, dict):
        raise DataError(
            name,
            [Problem("", f"top level is a JSON {_json_type(data)}; a fact file is an object")],
        )
    _check_surrogates(name, text)
    return data


def quoted(key: str) -> str:
    """A key quoted for a message, as Python's repr escapes it, cut short if it is long."""
    from tradecli.load.jsonlocate import MAX_KEY_SHOWN

    if len(key) <= MAX_KEY_SHOWN:
        return repr(key)
    shown = repr(key[: MAX_KEY_SHOWN - 3])
    return shown[:-1] + "..." + shown[-1]


def _too_deep(text: str) -> Problem:
    from tradecli.load.jsonlocate import line_column, nesting_position

    position = nesting_position(text, MAX_DEPTH_SHOWN)
    line, column = line_column(text, position) if position is not None else (None, None)
    return Problem(
        "",
        f"arrays or objects are nested more than {MAX_DEPTH_SHOWN} deep from here; "
        "a fact file nests only a few levels",
        line,
        column,
    )


def _at_token(text: str, token: str, message: str) -> Problem:
    """A problem placed at the first place ``token`` is written, with its JSON path if known."""
    from tradecli.load.jsonlocate import format_path, line_column, locate, path_at, token_position

    position = token_position(text, token)
    if position is None:
        return Problem("", message)
    path = path_at(locate(text), position)
    return Problem(format_path(path) if path else "", message, *line_column(text, position))


def _check_surrogates(name: str, text: str) -> None:
    """Refuse ``\\uD800``-style escapes that do not form a valid pair."""
    if _SURROGATE_PREFILTER.search(text) is None:  # cheap: a fixed prefix, no look-behind
        return
    from tradecli.load.jsonlocate import line_column

    escapes = [
        (match.start(1), match.end(1), match.group(1)) for match in _SURROGATE_ESCAPE.finditer(text)
    ]
    problems = []
    index = 0
    while index < len(escapes):
        start, end, escape = escapes[index]
        is_high = int(escape[2:], 16) <= 0xDBFF
        if is_high and index + 1 < len(escapes):
            next_start, _end, next_escape = escapes[index + 1]
            if next_start == end and int(next_escape[2:], 16) >= 0xDC00:
                index += 2
                continue
        problems.append(
            Problem(
                "",
                f"lone surrogate {escape}; write the character itself or a valid pair",
                *line_column(text, start),
            )
        )
        index += 1
    if problems:
        raise DataError(name, problems)


def _json_type(value: object) -> str:
    names = {list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def problems_at(text: str, items: list[tuple[tuple[PathPart, ...], str]]) -> list[Problem]:
    """Attach line and column to problems found at JSON paths of ``text``."""
    if not items:
        return []
    from tradecli.load.jsonlocate import format_path, line_column, locate

    located = locate(text)
    problems = []
    for path, message in items:
        position = None
        for cut in range(len(path), -1, -1):
            position = located.positions.get(tuple(path[:cut]))
            if position is not None:
                break
        line, column = line_column(text, position) if position is not None else (None, None)
        problems.append(Problem(format_path(path), message, line, column))
    return problems
