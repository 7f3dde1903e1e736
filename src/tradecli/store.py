"""Read a fact file, refuse what is malformed with a precise message, validate it, and index it."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
from collections.abc import Iterator, Mapping
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradecli.index import Index
    from tradecli.jsonlocate import PathPart
    from tradecli.records import FactFile

from tradecli.errors import DataError, Problem
from tradecli.kinds import COLLECTIONS

MAX_BYTES = 256 * 1024 * 1024
MAX_INT_DIGITS = 30
MAX_DEPTH_SHOWN = 100
DATA_ENV = "TRADECLI_DATA"

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


def bundled_path() -> Path:
    """The fact file shipped with tradecli: inside the installed package, else the source tree's."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "facts.json"  # tradecli is always installed as files, not zipped
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / "facts.json"


def resolve_path(option: str | None) -> Path:
    """The fact file to use: ``--data``, then ``$TRADECLI_DATA``, then the bundled file."""
    if option:
        return Path(option)
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env)
    return bundled_path()


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
        from tradecli.jsonlocate import line_column

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
        from tradecli.jsonlocate import format_path, line_column, locate

        located = locate(text)
        problems = [
            Problem(
                format_path(path),
                f"duplicate key {_quoted(str(path[-1]))}; each key may appear once in an object",
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


def _quoted(key: str) -> str:
    """A key quoted for a message, as Python's repr escapes it, cut short if it is long."""
    from tradecli.jsonlocate import MAX_KEY_SHOWN

    if len(key) <= MAX_KEY_SHOWN:
        return repr(key)
    shown = repr(key[: MAX_KEY_SHOWN - 3])
    return shown[:-1] + "..." + shown[-1]


def _too_deep(text: str) -> Problem:
    from tradecli.jsonlocate import line_column, nesting_position

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
    from tradecli.jsonlocate import format_path, line_column, locate, path_at, token_position

    position = token_position(text, token)
    if position is None:
        return Problem("", message)
    path = path_at(locate(text), position)
    return Problem(format_path(path) if path else "", message, *line_column(text, position))


def _check_surrogates(name: str, text: str) -> None:
    """Refuse ``\\uD800``-style escapes that do not form a valid pair."""
    if _SURROGATE_PREFILTER.search(text) is None:  # cheap: a fixed prefix, no look-behind
        return
    from tradecli.jsonlocate import line_column

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
    if not items:
        return []
    from tradecli.jsonlocate import format_path, line_column, locate

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


class Store:
    """A validated fact file, as records, indexed by id.

    A store opened from a search index loads each collection when a command first needs it, and
    until then looks single facts up in the index.
    """

    def __init__(
        self,
        path: Path,
        facts: FactFile | None = None,
        *,
        index: Index | None = None,
        validated: bool | None = None,
    ) -> None:
        if facts is None and index is None:
            raise ValueError("a store needs its facts or the index to load them from")
        self.path = path
        self.index = index
        self._facts = facts
        self._from_index = facts is None
        self._validated = not self._from_index if validated is None else validated
        self._by_id: dict[str, tuple[str, Any]] | None = None
        self._lookups: _IndexedIds | None = None

    @property
    def validated(self) -> bool:
        """True if this process validated the file; False if it was opened from an earlier index."""
        return self._validated

    @property
    def facts(self) -> FactFile:
        """The whole fact file; from the index, each collection is read on first use."""
        if self._facts is None:
            from tradecli.records import FactFile

            assert self.index is not None
            self._facts = FactFile(load=self.index.collection)
        return self._facts

    @property
    def by_id(self) -> dict[str, tuple[str, Any]]:
        """(collection, fact) by id; from the index, one fact at a time, until all are loaded."""
        if self._by_id is None:
            if self._from_index and self.index is not None:
                if self._lookups is None:
                    self._lookups = _IndexedIds(self, self.index)
                return self._lookups  # type: ignore[return-value]
            self._by_id = {item.id: (collection, item) for collection, item in self.all_facts()}
        return self._by_id

    def items(self, collection: str) -> list[Any]:
        """Every fact of one collection, in file order."""
        return list(getattr(self.facts, collection))

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every fact with the name of its collection, in file order."""
        return self.facts.all_facts()


class _IndexedIds(Mapping[str, tuple[str, Any]]):
    """Facts by id, read one at a time from the index; anything needing them all loads them."""

    def __init__(self, store: Store, index: Index) -> None:
        self._store = store
        self._index = index
        self._seen: dict[str, tuple[str, Any]] = {}

    def __getitem__(self, fact_id: str) -> tuple[str, Any]:
        found = self._seen.get(fact_id)
        if found is None:
            found = self._index.fact(fact_id)
            if found is None:
                raise KeyError(fact_id)
            self._seen[fact_id] = found
        return found

    def __contains__(self, fact_id: object) -> bool:
        return isinstance(fact_id, str) and (
            fact_id in self._seen or self._index.fact(fact_id) is not None
        )

    def __iter__(self) -> Iterator[str]:
        for _collection, item in self._store.all_facts():
            yield item.id

    def __len__(self) -> int:
        return self._index.count()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    Loading frees nothing, so the collector would only rescan the new objects again and again:
    three quarters of the time on a large file.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _pydantic_problems(error: Any) -> list[tuple[tuple[PathPart, ...], str]]:
    items: list[tuple[tuple[PathPart, ...], str]] = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = f"unknown field {_quoted(str(location[-1]))}; remove it or check its spelling"
        elif kind == "missing":
            message = f"required field {_quoted(str(location[-1]))} is missing"
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


def validate(name: str, text: str) -> tuple[FactFile | None, list[Problem]]:
    """Parse and validate fact-file text; return its records and every problem found."""
    from pydantic import ValidationError

    from tradecli import records, schema
    from tradecli.checks import check

    data = parse_json(name, text)
    try:
        model = schema.FactFile.model_validate(data)
    except ValidationError as error:
        return None, problems_at(text, _pydantic_problems(error))
    del data
    facts = records.FactFile.from_model(model)
    del model
    return facts, problems_at(text, check(facts))


def load(path: Path, *, hint: bool = True, cache: bool = True) -> Store:
    """Read, validate and index a fact file; raise DataError listing every problem.

    With ``cache``, a file that validated before is opened from its search index (see
    ``tradecli.index``) without validating it again, and a newly valid file gets an index.
    """
    from tradecli import index

    name = str(path)
    raw = read_bytes(path)
    key = index.content_key(raw) if cache else None
    built = index.open_index(key) if key is not None else None
    if built is not None:
        return Store(path, index=built)  # these very bytes validated before
    text = decode(name, raw)
    del raw
    with _collector_paused():
        store = _load_valid(path, text, key)
        if store is not None:
            return store
        facts, problems = validate(name, text)  # to say what is wrong, and where
    if problems or facts is None:
        problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        advice = f"fix these, then run 'tradecli validate {name}'" if hint else None
        raise DataError(name, problems, hint=advice)
    del text
    store = Store(path, facts)
    if key is not None and index.build_index(key, facts.all_facts(), total=len(store.by_id)):
        store.index = index.open_index(key)
    return store


def _load_valid(path: Path, text: str, key: str | None) -> Store | None:
    """The store of a valid file, or None at the first sign of a problem (``validate`` words it).

    The quick way for a large file: each fact is parsed, validated, checked (``checks.Checker``)
    and indexed on its own, so the parsed file is never held whole. With a key and a writable
    cache the facts go only into the new index, and the store reads them from there; otherwise
    the records stay in memory.
    """
    from pydantic import ValidationError

    from tradecli import index, records, schema
    from tradecli.checks import Checker

    if _SURROGATE_PREFILTER.search(text) is not None:
        return None  # perhaps a lone surrogate
    writer = None
    if key is not None:
        writer = index.IndexWriter.create(key, total=text.count('"id"'))  # about one per fact
    kept: dict[str, list[Any]] = {collection: [] for collection in COLLECTIONS}
    checker = Checker()
    top: dict[str, Any] = {}
    try:
        for collection, position, item in _each_fact(text, top):
            fact = schema.COLLECTION_MODELS[collection].model_validate(item)
            checker.add(collection, position, fact)  # a model has the fields of its record
            if writer is not None:
                writer.add(collection, fact, fact.model_dump_json())
            else:
                kept[collection].append(records.record_of(fact))
        schema.FactFile.model_validate(top)  # the top level, without its collections
        valid = not checker.finish()
    except (ValidationError, _IrregularError, ValueError, RecursionError):
        valid = False  # ValueError: the decoder's, as in parse_json
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    if writer is None:
        return Store(path, records.FactFile(kept)) if valid else None
    if not valid or not writer.finish():
        writer.discard()
        return None  # without an index the records are gone: validate() starts again
    built = index.open_index(key) if key is not None else None
    return Store(path, index=built, validated=True) if built is not None else None


class _IrregularError(Exception):
    """Text the quick reading does not take on; ``validate`` reads it again, precisely."""


_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, at: int) -> int:
    """The offset of the first character at or after ``at`` that is not JSON whitespace."""
    match = _SPACE.match(text, at)
    return match.end() if match is not None else at


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs,
    parse_constant=_reject_constant,
    parse_float=_parse_float,
    parse_int=_parse_int,
)


def _each_fact(text: str, top: dict[str, Any]) -> Iterator[tuple[str, int, Any]]:
    """(collection, position, parsed fact) for each fact of a fact file, one at a time, in order.

    The other top-level values go into ``top``. The JSON rules are those of ``parse_json``, with
    the same decoder hooks; what is not plainly a JSON object of arrays raises _IrregularError.
    """
    scan = _DECODER.scan_once  # type: ignore[attr-defined]
    space = _skip_space
    at = space(text, 0)
    if text[at : at + 1] != "{":
        raise _IrregularError
    at = space(text, at + 1)
    if text[at : at + 1] == "}":
        at += 1
    else:
        seen: set[str] = set()
        while True:
            if text[at : at + 1] != '"':
                raise _IrregularError
            key, at = scanstring(text, at + 1, True)
            if key in seen:
                raise _IrregularError  # a duplicate key
            seen.add(key)
            at = space(text, at)
            if text[at : at + 1] != ":":
                raise _IrregularError
            at = space(text, at + 1)
            try:
                if key in COLLECTIONS:
                    if text[at : at + 1] != "[":
                        raise _IrregularError
                    at = space(text, at + 1)
                    position = 0
                    while text[at : at + 1] != "]":
                        item, at = scan(text, at)
                        yield key, position, item
                        position += 1
                        at = space(text, at)
                        if text[at : at + 1] == ",":
                            at = space(text, at + 1)
                            if text[at : at + 1] == "]":
                                raise _IrregularError  # a trailing comma
                        elif text[at : at + 1] != "]":
                            raise _IrregularError
                    at += 1
                else:
                    top[key], at = scan(text, at)
            except StopIteration:  # no value where one belongs
                raise _IrregularError from None
            at = space(text, at)
            if text[at : at + 1] == "}":
                at += 1
                break
            if text[at : at + 1] != ",":
                raise _IrregularError
            at = space(text, at + 1)
    if space(text, at) != len(text):
        raise _IrregularError
