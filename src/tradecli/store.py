"""Read a fact file, refuse what is malformed with a precise message, validate it, and index it."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tradecli.errors import DataError, Problem
from tradecli.jsonlocate import PathPart, format_path, line_column, locate

MAX_BYTES = 256 * 1024 * 1024
MAX_INT_DIGITS = 30
DATA_ENV = "TRADECLI_DATA"

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def bundled_path() -> Path:
    """The fact file shipped with tradecli: inside the installed package, else the source tree's."""
    packaged = resources.files("tradecli") / "data" / "facts.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / "facts.json"


def resolve_path(option: str | None) -> Path:
    """The fact file to use: ``--data``, then ``$TRADECLI_DATA``, then the bundled file."""
    if option:
        return Path(option)
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env)
    return bundled_path()


def read_text(path: Path) -> str:
    """Read a fact file as text, refusing what is not a readable UTF-8 file of sane size."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataError(name, [Problem("", "is a directory, not a fact file")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(
                name,
                [Problem("", f"is {size:,} bytes, over the {MAX_BYTES:,}-byte limit; split it")],
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(
            name, [Problem("", "no such file")], hint="check the path given to --data"
        ) from None
    except PermissionError:
        raise DataError(name, [Problem("", "permission denied; make the file readable")]) from None
    except OSError as error:
        raise DataError(name, [Problem("", f"cannot be read: {error.strerror}")]) from None
    return decode(name, raw)


def decode(name: str, raw: bytes) -> str:
    """Decode UTF-8 (a leading BOM is accepted and dropped); refuse UTF-16/32 and bad bytes."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and b"\x00" in raw[:4]):
        raise DataError(
            name, [Problem("", "is UTF-16 or UTF-32 encoded; save it as UTF-8")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
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


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; use a finite number or null")


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is too large; use a finite number")
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(
            f"an integer of {len(text)} digits is too long; use at most {MAX_INT_DIGITS}"
        )
    return int(text)


def parse_json(name: str, text: str) -> dict[str, Any]:
    """Parse JSON strictly: no duplicate keys, NaN, infinities, giant integers or lone surrogates."""
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
        raise DataError(
            name,
            [Problem("", f"is not valid JSON: {error.msg}", error.lineno, error.colno)],
        ) from None
    except RecursionError:
        raise DataError(
            name, [Problem("", "is nested too deeply to be a fact file")]
        ) from None
    except _DuplicateKeyError:
        located = locate(text)
        problems = [
            Problem(
                format_path(path),
                f"duplicate key {path[-1]!r}; each key may appear once in an object",
                *line_column(text, position),
            )
            for path, position in located.duplicates
        ] or [Problem("", "has a duplicate key in an object; each key may appear once")]
        raise DataError(name, problems) from None
    except ValueError as error:
        raise DataError(name, [Problem("", str(error))]) from None
    if not isinstance(data, dict):
        raise DataError(
            name,
            [Problem("", f"top level is a JSON {_json_type(data)}; a fact file is an object")],
        )
    _check_surrogates(name, text)
    return data


def _check_surrogates(name: str, text: str) -> None:
    """Refuse ``\\uD800``-style escapes that do not form a valid pair."""
    if _SURROGATE_ESCAPE.search(text) is None:
        return
    problems = []
    for match in _SURROGATE_ESCAPE.finditer(text):
        value = int(match.group()[2:], 16)
        if 0xD800 <= value <= 0xDBFF:
            after = text[match.end() : match.end() + 6]
            if re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", after):
                continue
        else:
            before = text[max(0, match.start() - 6) : match.start()]
            if re.fullmatch(r"\\u[dD][89abAB][0-9a-fA-F]{2}", before):
                continue
        problems.append(
            Problem(
                "",
                f"lone surrogate {match.group()}; write the character itself or a valid pair",
                *line_column(text, match.start()),
            )
        )
    if problems:
        raise DataError(name, problems)


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def problems_at(text: str, items: list[tuple[tuple[PathPart, ...], str]]) -> list[Problem]:
    """Attach line and column to problems found at JSON paths of ``text``."""
    located = locate(text) if items else None
    problems = []
    for path, message in items:
        position = None
        if located is not None:
            for cut in range(len(path), -1, -1):
                position = located.positions.get(tuple(path[:cut]))
                if position is not None:
                    break
        line, column = line_column(text, position) if position is not None else (None, None)
        problems.append(Problem(format_path(path), message, line, column))
    return problems


@dataclass
class Store:
    """A validated fact file, indexed by id."""

    path: Path
    facts: Any
    by_id: dict[str, tuple[str, Any]] = field(default_factory=dict)

    def items(self, collection: str) -> list[Any]:
        """Every fact of one collection, in file order."""
        return list(getattr(self.facts, collection))

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every fact with the name of its collection."""
        yield from self.by_id.values()


def _pydantic_problems(error: Any) -> list[tuple[tuple[PathPart, ...], str]]:
    items: list[tuple[tuple[PathPart, ...], str]] = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = f"unknown field {location[-1]!r}; remove it or check its spelling"
        elif kind == "missing":
            message = f"required field {location[-1]!r} is missing"
        else:
            message = str(detail["msg"])
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            message = message[0].lower() + message[1:] if message else message
            if kind not in ("value_error", "assertion_error"):
                shown = _short_repr(detail.get("input"))
                if shown is not None:
                    message += f" (got {shown})"
        items.append((location, message))
    return items


def _short_repr(value: Any) -> str | None:
    if isinstance(value, dict | list):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(name: str, text: str) -> tuple[Any, list[Problem]]:
    """Parse and validate fact-file text; return the facts and every problem found."""
    from pydantic import ValidationError

    from tradecli.checks import check
    from tradecli.schema import FactFile

    data = parse_json(name, text)
    try:
        facts = FactFile.model_validate(data)
    except ValidationError as error:
        return None, problems_at(text, _pydantic_problems(error))
    return facts, problems_at(text, check(facts))


def load(path: Path, *, hint: bool = True) -> Store:
    """Read, validate and index a fact file; raise DataError listing every problem."""
    name = str(path)
    text = read_text(path)
    facts, problems = validate(name, text)
    if problems:
        problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        advice = f"fix these, then run 'tradecli validate {name}'" if hint else None
        raise DataError(name, problems, hint=advice)
    store = Store(path=path, facts=facts)
    from tradecli.schema import COLLECTIONS

    for collection in COLLECTIONS:
        for item in getattr(facts, collection):
            store.by_id[item.id] = (collection, item)
    return store
