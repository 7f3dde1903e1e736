"""Trustworthy under hostile input: whatever a fact file, a path or a terminal throws at tradecli,
it shows text literally, makes control characters visible, refuses a malformed file with one clear
message and exit 3, ends quietly on a closed pipe or Ctrl-C, and changes no file.

Query commands that do not exist yet are skipped with the reason, so the suite tightens as they
land.
"""

from __future__ import annotations

import copy
import csv
import errno
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from typer.testing import CliRunner, Result

from conftest import BUNDLED, ROOT, env_without_tradecli
from tradecli import cli, store
from tradecli.cli import app
from tradecli.cli import root as cli_root
from tradecli.load import read
from tradecli.load import validate as validation
from tradecli.render.markdown import escape
from tradecli.textsafe import visible

# --- Hostile text ----------------------------------------------------------------------------

MARKER = "zqhostile"
MARKUP = (
    "[bold]x[/]",
    "[/]",
    "[link=https://evil.example/]click[/link]",
    ":warning:",
    "\\[bold]y\\[/]",
    "[red on black]z",
    "\\\\[i]w",
    "[@click=app.quit]q[/]",
)
CONTROL = (
    "\x1b[2J",  # CSI: clear the screen
    "\x1b]0;pwned\x07",  # OSC: set the window title
    "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: write the clipboard
    "\x1b[31mred\x1b[0m",
    "\x9b31m",  # C1 CSI
    "\x00",
    "\x7f",
    "\x08",
    "\r",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\u2028",  # line separator
    "\ufeff",
)
HOSTILE = " ".join((MARKER, *MARKUP, *CONTROL))

# Raw characters a terminal would obey; a newline is layout and allowed.
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
# A tab is the separator of piped table lines, of which no listing has more than nine cells; a
# tab in a fact's text is shown as "\x09", so it cannot add a cell.
MAX_TABS = 8
SGR = re.compile("\x1b\\[[0-9;]*m")

# Free-text fields of the schema; ids, references, dates and enums keep their strict formats.
TEXT_FIELDS = frozenset(
    (
        "title", "outlet", "url", "notes", "excerpt", "paraphrase", "rank", "name", "aliases",
        "sector", "description", "summary", "topics", "outcome", "note", "products", "rate_basis",
        "purpose", "affected", "speaker_description", "text", "occasion", "platform",
        "attribution", "about", "unit", "topic",
    )
)  # fmt: skip

QUERY_COMMANDS = (
    "tariffs", "meetings", "quote", "people", "companies", "timeline", "search", "show",
    "sources", "summary", "conflicts", "open", "changes", "statements",
)  # fmt: skip
FORMATS = ("table", "json", "csv", "markdown")
WIDE = {"COLUMNS": "1000"}  # no table column narrower than a hostile token


def bundled_data() -> dict[str, Any]:
    """The bundled fact file as plain JSON data."""
    return json.loads(BUNDLED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


BUNDLED_DATA = bundled_data()
TARIFF_ID = BUNDLED_DATA["tariffs"][0]["id"]
QUOTE_ID = BUNDLED_DATA["quotes"][0]["id"]
PERSON_ID = BUNDLED_DATA["people"][0]["id"]


def _append(value: Any, suffix: str) -> None:
    """Append ``suffix`` to every free-text field inside ``value``, in place."""
    if isinstance(value, list):
        for item in value:
            _append(item, suffix)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key in TEXT_FIELDS and isinstance(item, str):
            value[key] = item + " " + suffix
        elif (
            key in TEXT_FIELDS and isinstance(item, list) and all(isinstance(i, str) for i in item)
        ):
            value[key] = [i + " " + suffix for i in item]
        else:
            _append(item, suffix)


def hostile_data(suffix: str = HOSTILE) -> dict[str, Any]:
    """The bundled facts with hostile text appended to every free-text field, still valid."""
    data = copy.deepcopy(BUNDLED_DATA)
    _append(data, suffix)
    for quote in data["quotes"]:  # a quote's words must stay inside its verbatim excerpt
        for evidence in quote["evidence"]:
            if "excerpt" in evidence:
                evidence["excerpt"] += " " + quote["text"]
    return data


def write_json(path: Path, data: Any) -> Path:
    """Write data as indented UTF-8 JSON."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid fact file whose every free-text field carries markup and control characters."""
    return write_json(tmp_path_factory.mktemp("hostile") / "facts.json", hostile_data())


# --- Running commands, and proving they change nothing ---------------------------------------

Snapshot = dict[str, tuple[str, int, int] | None]


def snapshot(*paths: Path) -> Snapshot:
    """Hash, mtime and size of each file, and of every file in each directory given."""
    shot: Snapshot = {}
    for path in paths:
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                stat = file.stat()
                with open(file, "rb") as stream:  # noqa: PTH123 (tests patch Path.open)
                    digest = hashlib.sha256(stream.read()).hexdigest()
                shot[str(file)] = (digest, stat.st_mtime_ns, stat.st_size)
            else:
                shot[str(file)] = None
    return shot


@pytest.fixture(autouse=True, scope="module")
def bundled_data_untouched() -> Iterator[None]:
    """No test of this suite changes the bundled data or adds a file beside it."""
    before = snapshot(BUNDLED.parent)
    yield
    assert snapshot(BUNDLED.parent) == before


def invoke(
    runner: CliRunner,
    args: list[str],
    *,
    watch: tuple[Path, ...] = (),
    env: Mapping[str, str | None] | None = None,
) -> Result:
    """Run tradecli in-process; check it changed no watched file and raised nothing unexpected."""
    before = snapshot(*watch)
    result = runner.invoke(app, args, env=env)
    assert snapshot(*watch) == before, "a command changed an input file"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def commands() -> dict[str, Any]:
    """The commands tradecli has now."""
    return typer.main.get_command(app).commands  # type: ignore[attr-defined,no-any-return]


def require(command: str, fmt: str = "table") -> None:
    """Skip, with the reason, a case whose command or format option does not exist yet."""
    found = commands().get(command)
    if found is None:
        pytest.skip(f"'tradecli {command}' does not exist yet; this case runs once it lands")
    if fmt != "table" and not any("--format" in getattr(p, "opts", ()) for p in found.params):
        pytest.skip(f"'tradecli {command}' has no --format option yet")


def no_raw_control(*outputs: str) -> None:
    """No character a terminal would obey reaches the output raw."""
    for output in outputs:
        found = RAW_CONTROL.search(output)
        assert found is None, f"raw {found.group()!r} in output" if found else ""
        tabs = max((line.count("\t") for line in output.splitlines()), default=0)
        assert tabs <= MAX_TABS, f"a line with {tabs} tabs: a fact's tab split a cell"


def markdown_cell(text: str) -> str:
    """How a Markdown table writes text (the rule itself is held to its cases, and to what
    Markdown renders, in tests/test_safety_output.py)."""
    return escape(text)


def strings_in(value: Any) -> Iterator[str]:
    """Every string in parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


COMMAND_CASES = [
    ("tariffs", []),
    ("meetings", []),
    ("quote", []),
    ("people", []),
    ("people", [PERSON_ID]),
    ("companies", []),
    ("timeline", []),
    ("search", [MARKER]),
    ("show", [TARIFF_ID]),
    ("show", [QUOTE_ID]),
    ("sources", []),
    ("summary", []),
    ("conflicts", []),
    ("open", []),
    ("changes", ["--since", "2000", "--until", "2030"]),
    ("statements", []),
]


# --- Text from the data is shown literally, control characters only as escapes ---------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("command", "args"), COMMAND_CASES, ids=[" ".join([c, *a]) for c, a in COMMAND_CASES]
)
def test_hostile_text_is_shown_literally_and_escaped(
    runner: CliRunner, hostile_file: Path, command: str, args: list[str], fmt: str
) -> None:
    """Markup shows byte for byte, control characters only as visible escapes, in every format."""
    require(command, fmt)
    result = invoke(
        runner,
        ["--data", str(hostile_file), command, *args, "--format", fmt],
        watch=(hostile_file.parent,),
        env=WIDE,
    )
    assert result.exit_code == 0, result.stderr
    assert "MarkupError" not in result.stderr
    no_raw_control(result.stdout, result.stderr)
    out = result.stdout
    if fmt == "json":
        texts = list(strings_in(json.loads(out)))
        assert any(HOSTILE in text for text in texts), "hostile text missing from the JSON"
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert any(visible(HOSTILE) in cell for row in rows for cell in row)
    elif fmt == "markdown":
        assert markdown_cell(HOSTILE) in out
    else:
        for token in (MARKER, *MARKUP, *CONTROL):
            assert visible(token) in out, f"{token!r} not shown as {visible(token)!r}"


@pytest.mark.parametrize(
    ("command", "args"), COMMAND_CASES, ids=[" ".join([c, *a]) for c, a in COMMAND_CASES]
)
def test_tables_on_a_colour_terminal_do_not_restyle_data(
    runner: CliRunner, hostile_file: Path, command: str, args: list[str]
) -> None:
    """With colour on, the table's own styles never reach inside a fact's text."""
    require(command)
    colour = {**WIDE, "NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    result = invoke(runner, ["--data", str(hostile_file), command, *args], env=colour)
    assert result.exit_code == 0, result.stderr
    assert SGR.search(result.stdout), "no colour at all; the test would prove nothing"
    for token in (*MARKUP, *CONTROL):
        assert visible(token) in result.stdout, f"{token!r} restyled or lost"
    no_raw_control(SGR.sub("", result.stdout), result.stderr)


def test_validate_shows_conflict_topics_literally(runner: CliRunner, tmp_path: Path) -> None:
    """validate's notes on stderr show markup literally and control characters as escapes."""
    path = write_json(tmp_path / "facts.json", hostile_data())
    result = invoke(runner, ["validate", str(path)], watch=(tmp_path,))
    assert result.exit_code == 0, result.stderr
    assert visible(HOSTILE) in result.stderr
    no_raw_control(result.stdout, result.stderr)


@pytest.mark.parametrize(
    "name",
    [
        "\x1b]0;pwned\x07.json",
        "\x1b[2J\u202e.json",
        "[bold]x[not bold].json",
        "\x9b31m:warning:.json",
    ],
)
def test_a_hostile_file_name_is_shown_escaped(runner: CliRunner, tmp_path: Path, name: str) -> None:
    """A fact-file path with control characters or markup is echoed escaped, found or not."""
    path = tmp_path / name
    path.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    found = invoke(runner, ["--data", str(path), "validate"], watch=(tmp_path,))
    assert found.exit_code == 0, found.stderr
    assert visible(str(path)) in found.stdout
    missing = invoke(runner, ["--data", str(tmp_path / ("no-" + name)), "validate"])
    assert missing.exit_code == 3
    assert visible(str(tmp_path / ("no-" + name))) in missing.stderr
    no_raw_control(found.stdout, found.stderr, missing.stdout, missing.stderr)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["\x1b]0;pwned\x07"], 2),
        (["--\x1b[2J"], 2),
        (["validate", "--\x9b31m"], 2),
        (["show", "\x1b]52;c;cHduZWQ=\x07"], 1),
        (["search", "\x1b[2J\u202e", "-f", "csv"], 0),
        (["people", "\u202ecarney\x1b[2J"], 1),
        (["tariffs", "--format", "\x1b]0;pwned\x07"], 2),
        (["meetings", "--date", "\x1b[2J"], 2),
        (["tariffs", "--by", "[bold]x[/]\x1b[2J"], 1),
    ],
)
def test_hostile_arguments_are_echoed_escaped(
    runner: CliRunner, args: list[str], code: int
) -> None:
    """An argument with control characters, echoed in an error, reaches stderr escaped."""
    if args[0] in QUERY_COMMANDS:
        require(args[0])
    result = invoke(runner, args)
    assert result.exit_code == code, result.stderr
    no_raw_control(result.stdout, result.stderr)


# --- Malformed files: one clear message, exit 3, no traceback ---------------------------------

LINE_COLUMN = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): ")


def _nested(depth: int, inner: str = "", field: str = "title") -> bytes:
    return (
        '{"format_version": 1, "' + field + '": ' + "[" * depth + inner + "]" * depth + "}"
    ).encode()


def _with(mutate: Callable[[dict[str, Any]], None]) -> bytes:
    data = copy.deepcopy(BUNDLED_DATA)
    mutate(data)
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


_BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
_MINIMAL = json.dumps({"format_version": 1})

# name: (file bytes, words the message must hold, where it must point: "line" or a JSON path)
MALFORMED: dict[str, tuple[bytes, str, str]] = {
    "empty file": (b"", "is empty", ""),
    "only whitespace": (b" \n\t\n", "is empty", ""),
    "not JSON": (b"tariffs: canola", "is not valid JSON", "line"),
    "truncated JSON": (_BUNDLED_TEXT[: len(_BUNDLED_TEXT) // 2].encode(), "not valid JSON", "line"),
    "trailing comma": (b'{"format_version": 1,}', "trailing comma", "line"),
    "text after the object": (b'{"format_version": 1} {}', "after the top-level object", "line"),
    "raw control character in a string": (
        b'{"format_version": 1, "title": "a\x1b[2Jb"}',
        "control character",
        "line",
    ),
    "top level is an array": (b"[1, 2]", "top level is a JSON array", ""),
    "top level is a string": (b'"facts"', "top level is a JSON string", ""),
    "top level is null": (b"null", "top level is a JSON null", ""),
    "100,000 nested arrays": (b"[" * 100_000 + b"]" * 100_000, "nested more than", "line"),
    "100,000 nested objects": (
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "nested more than",
        "line",
    ),
    "100,000 nested arrays in a field": (_nested(100_000), "nested more than", "line"),
    "500 nested arrays in a field": (_nested(500), "title", "title"),
    "duplicate top-level key": (
        b'{"format_version": 1,\n "title": "a",\n "title": "b"}',
        "duplicate key 'title'",
        "title",
    ),
    "duplicate key in a fact": (
        _BUNDLED_TEXT.replace(
            '"id": "article-carney-beijing",', '"id": "article-carney-beijing", "id": "x",', 1
        ).encode(),
        "duplicate key 'id'",
        "sources[0].id",
    ),
    "NaN": (b'{"format_version": 1,\n "tariffs": [NaN]}', "NaN is not a number", "tariffs[0]"),
    "Infinity": (b'{"format_version": 1, "x": Infinity}', "Infinity is not a number", "x"),
    "-Infinity": (b'{"format_version": 1, "x": [-Infinity]}', "-Infinity is not", "x[0]"),
    "1e400": (b'{"format_version": 1,\n "x": 1e400}', "1e400 is too large", "x"),
    "-1e400": (b'{"format_version": 1,\n "x": -1e400}', "-1e400 is too large", "x"),
    "integer of 5,000 digits": (
        b'{"format_version": 1, "x": ' + b"9" * 5000 + b"}",
        "5,000 digits is too long",
        "x",
    ),
    "integer of 100,000 digits": (
        b'{"format_version": -' + b"1" * 100_000 + b"}",
        "100,000 digits is too long",
        "format_version",
    ),
    "invalid UTF-8": (
        b'{"format_version": 1,\n "title": "caf\xe9"}',
        "invalid UTF-8 byte 0xe9",
        "line",
    ),
    "UTF-16 with BOM": (_MINIMAL.encode("utf-16"), "UTF-16 or UTF-32", ""),
    "UTF-16 without BOM": (_MINIMAL.encode("utf-16-be"), "UTF-16 or UTF-32", ""),
    "UTF-32": (_MINIMAL.encode("utf-32"), "UTF-16 or UTF-32", ""),
    "lone high surrogate": (
        b'{"format_version": 1,\n "title": "a\\ud800b"}',
        "lone surrogate",
        "line",
    ),
    "lone low surrogate": (b'{"format_version": 1, "title": "\\udc00"}', "lone surrogate", "line"),
    "low surrogate before a valid pair": (
        b'{"format_version": 1, "title": "\\udc00\\ud83c\\udf41"}',
        "lone surrogate",
        "line",
    ),
    "lone surrogate in a key": (b'{"format_version": 1, "\\ud800": 1}', "lone surrogate", "line"),
    "unknown top-level field": (
        b'{"format_version": 1,\n "titel": "x"}',
        "unknown field 'titel'",
        "titel",
    ),
    "unknown field in a fact": (
        _with(_set(("tariffs", 0, "rate"), 5)),
        "unknown field 'rate'",
        "tariffs[0].rate",
    ),
    "unknown field named with control characters": (
        b'{"format_version": 1, "\\u001b]0;pwned\\u0007": 1}',
        "unknown field",
        "line",
    ),
    "unknown field with a 10 MB name": (
        b'{"format_version": 1, "' + b"k" * 10_000_000 + b'": 1}',
        "unknown field",
        "line",
    ),
    "format_version is a string": (
        b'{"format_version": "1"}',
        "input should be 1",
        "format_version",
    ),
    "unsupported format_version": (b'{"format_version": 2}', "input should be 1", "format_version"),
    "a collection is an object": (_with(_set(("sources",), {})), "valid list", "sources"),
    "a rate is text": (
        _with(_set(("tariffs", 0, "rate_percent"), "high")),
        "valid number",
        "tariffs[0].rate_percent",
    ),
    "a negative rate": (
        _with(_set(("tariffs", 0, "rate_percent"), -5)),
        "greater than or equal to 0",
        "tariffs[0].rate_percent",
    ),
    "evidence is a string": (
        _with(_set(("people", 0, "evidence"), "trust me")),
        "valid list",
        "people[0].evidence",
    ),
    "a fact is a number": (_with(_set(("people", 0), 7)), "people[0]", "people[0]"),
    "a name is an object": (
        _with(_set(("people", 0, "name"), {"a": 1})),
        "string",
        "people[0].name",
    ),
    "dangling reference": (
        _with(_set(("tariffs", 0, "imposed_by"), "atlantis")),
        "refers to 'atlantis', which no fact",
        "tariffs[0].imposed_by",
    ),
    "reference to the wrong kind": (
        _with(_set(("tariffs", 0, "imposed_by"), "article-carney-beijing")),
        "refers to 'article-carney-beijing' in sources",
        "tariffs[0].imposed_by",
    ),
    "id with upper case": (_with(_set(("people", 0, "id"), "Carney")), "pattern", "people[0].id"),
    "id with a slash": (
        _with(_set(("people", 0, "id"), "../../etc/passwd")),
        "pattern",
        "people[0].id",
    ),
    "id with an escape": (_with(_set(("people", 0, "id"), "\x1b[2J")), "pattern", "people[0].id"),
    "id with a bidi override": (
        _with(_set(("people", 0, "id"), "a\u202eb")),
        "pattern",
        "people[0].id",
    ),
    "id of 200 characters": (
        _with(_set(("people", 0, "id"), "a" * 200)),
        "at most 120",
        "people[0].id",
    ),
    "empty text": (
        _with(_set(("people", 0, "name"), "")),
        "at least 1 character",
        "people[0].name",
    ),
}


def _entry_points(path: Path) -> list[list[str]]:
    """Both ways to name a fact file: validate's argument, and --data before any command."""
    command = "summary" if "summary" in commands() else "validate"
    return [["validate", str(path)], ["--data", str(path), command]]


def assert_one_clear_message(result: Result, path: Path, words: str, where: str) -> None:
    """Exit 3; nothing on stdout; a short stderr naming the file, the place and the fix."""
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "no message"
    problems = [line for line in lines if not line.startswith("hint:")]
    assert len(problems) == 1, lines
    first = problems[0]
    assert first.startswith(visible(str(path)) + ":"), first
    assert words in first, first
    assert len(result.stderr) < 1000, "a message is cut short, not as long as the input"
    if where == "line":
        assert LINE_COLUMN.match(first), f"no line and column in {first!r}"
    elif where:
        assert LINE_COLUMN.match(first), f"no line and column in {first!r}"
        assert f": {where}: " in first, f"no JSON path {where!r} in {first!r}"
    no_raw_control(result.stderr)


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_ends_in_one_clear_message(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    """Each malformed file is refused with exit 3 and one line: file, place, what and the fix."""
    content, words, where = MALFORMED[case]
    path = tmp_path / "facts.json"
    path.write_bytes(content)
    for args in _entry_points(path):
        result = invoke(runner, args, watch=(tmp_path,))
        assert_one_clear_message(result, path, words, where)


def test_every_problem_of_a_file_is_listed(runner: CliRunner, tmp_path: Path) -> None:
    """A file with several problems lists each on its own line, in file order, then a hint."""
    data = copy.deepcopy(BUNDLED_DATA)
    data["tariffs"][0]["rate_percent"] = "high"
    data["people"][0]["nickname"] = "x"
    data["sources"][0]["kind"] = "\x1b[2Jrumour"
    path = write_json(tmp_path / "facts.json", data)
    result = invoke(runner, ["--data", str(path), "validate"], watch=(tmp_path,))
    assert result.exit_code == 3
    problems = [line for line in result.stderr.splitlines() if LINE_COLUMN.match(line)]
    assert len(problems) == 3, result.stderr
    numbers = [int(LINE_COLUMN.match(line)["line"]) for line in problems]  # type: ignore[index]
    assert numbers == sorted(numbers)
    no_raw_control(result.stderr)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\xef\xbb\xbf" + _BUNDLED_TEXT.encode(), id="UTF-8 with BOM"),
        pytest.param(
            b'{"format_version": 1, "title": "a\\\\ud800"}', id="escaped backslash before ud800"
        ),
        pytest.param(b'{"format_version": 1, "title": "\\ud83c\\udf41"}', id="surrogate pair"),
        pytest.param(b'{"format_version": 1, "title": "a\\u0000b\\u001b"}', id="escaped controls"),
        pytest.param(_MINIMAL.encode(), id="only the format version"),
    ],
)
def test_unusual_but_valid_files_are_accepted(
    runner: CliRunner, tmp_path: Path, content: bytes
) -> None:
    """A BOM, escaped backslashes, surrogate pairs and escaped control characters are fine."""
    path = tmp_path / "facts.json"
    path.write_bytes(content)
    result = invoke(runner, ["validate", str(path)], watch=(tmp_path,))
    assert result.exit_code == 0, result.stderr
    no_raw_control(result.stdout, result.stderr)


def test_a_directory_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """A directory given as the fact file is named as such, exit 3."""
    result = invoke(runner, ["--data", str(tmp_path), "validate"], watch=(tmp_path,))
    assert_one_clear_message(result, tmp_path, "is a directory", "")


def test_a_missing_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """A path that does not exist: exit 3, the path, and where the path came from."""
    path = tmp_path / "nope.json"
    for args in (["--data", str(path), "validate"], ["validate", str(path)]):
        result = invoke(runner, args, watch=(tmp_path,))
        assert_one_clear_message(result, path, "no such file", "")
    from_env = invoke(runner, ["validate"], env={"TRADECLI_DATA": str(path)})
    assert_one_clear_message(from_env, path, "no such file", "")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads a file whatever its mode; test_an_unreadable_file_simulated covers this",
)
def test_an_unreadable_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """A file without read permission: exit 3, 'permission denied'."""
    path = tmp_path / "facts.json"
    path.write_text(_MINIMAL, encoding="utf-8")
    path.chmod(0)
    try:
        result = invoke(runner, ["--data", str(path), "validate"])
    finally:
        path.chmod(0o644)
    assert_one_clear_message(result, path, "permission denied", "")


def test_an_unreadable_file_simulated(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the file fails with EACCES, as after chmod 000 when not root: exit 3, one line."""
    path = tmp_path / "facts.json"
    path.write_text(_MINIMAL, encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = invoke(runner, ["--data", str(path), "validate"], watch=(tmp_path,))
    assert_one_clear_message(result, path, "permission denied", "")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_read_error_is_refused(runner: CliRunner) -> None:
    """A file whose reading fails (EIO from /proc/self/mem): exit 3 and the system's reason."""
    path = Path("/proc/self/mem")
    result = invoke(runner, ["--data", str(path), "validate"])
    reason = "permission denied" if "permission denied" in result.stderr else "cannot be read"
    assert_one_clear_message(result, path, reason, "")


def test_a_file_over_the_size_cap_is_refused_before_parsing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over read.MAX_BYTES is refused from its size alone: it is never decoded or parsed."""
    monkeypatch.setattr(read, "MAX_BYTES", 4096)

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an oversized file was decoded or parsed")

    small = write_json(tmp_path / "small.json", {"format_version": 1, "title": "x" * 3000})
    accepted = invoke(runner, ["validate", str(small)], watch=(tmp_path,))
    assert accepted.exit_code == 0, accepted.stderr
    monkeypatch.setattr(read, "decode", never)
    monkeypatch.setattr(read, "parse_json", never)
    big = write_json(tmp_path / "big.json", {"format_version": 1, "title": "x" * 5000})
    result = invoke(runner, ["validate", str(big)], watch=(tmp_path,))
    assert_one_clear_message(result, big, "over the 4,096-byte limit", "")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_stream_is_cut_at_the_cap(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with no size (/dev/zero, a pipe) is read only up to the cap, then refused."""
    monkeypatch.setattr(read, "MAX_BYTES", 3 * 1024 * 1024)
    path = Path("/dev/zero")
    result = invoke(runner, ["--data", str(path), "validate"])
    assert_one_clear_message(result, path, "holds more than the 3,145,728-byte limit", "")


@pytest.mark.parametrize(
    ("size", "formats"), [(10_000_000, ("json",)), (1_000_000, ("csv", "markdown"))]
)
def test_a_huge_field_is_handled(
    runner: CliRunner, tmp_path: Path, size: int, formats: tuple[str, ...]
) -> None:
    """A 10 MB string validates and comes out whole in JSON; 1 MB in CSV and Markdown."""
    words = "word " * (size // 5)
    data = copy.deepcopy(BUNDLED_DATA)
    data["tariffs"][0]["title"] = words + "\x1b[2J"
    path = write_json(tmp_path / "facts.json", data)
    result = invoke(runner, ["validate", str(path)], watch=(tmp_path,))
    assert result.exit_code == 0, result.stderr
    if "tariffs" not in commands():
        return
    for fmt in formats:
        started = time.monotonic()
        shown = invoke(runner, ["--data", str(path), "tariffs", "-f", fmt], watch=(tmp_path,))
        assert shown.exit_code == 0, shown.stderr
        assert words.strip() in shown.stdout
        no_raw_control(shown.stdout)
        assert time.monotonic() - started < 30, f"{fmt} took too long"


@pytest.mark.slow
@pytest.mark.skipif(
    int(os.environ.get("TRADECLI_FUZZ_EXAMPLES", "0")) < 1000,
    reason="slow mode only (TRADECLI_FUZZ_EXAMPLES>=1000): a 10 MB table cell takes minutes",
)
def test_a_ten_megabyte_field_in_a_table(runner: CliRunner, tmp_path: Path) -> None:
    """A 10 MB string in a table ends, without error, in bounded time."""
    require("tariffs")
    data = copy.deepcopy(BUNDLED_DATA)
    data["tariffs"][0]["title"] = "word " * 2_000_000
    path = write_json(tmp_path / "facts.json", data)
    started = time.monotonic()
    shown = invoke(runner, ["--data", str(path), "tariffs"], watch=(tmp_path,))
    assert shown.exit_code == 0, shown.stderr
    assert time.monotonic() - started < 600


# --- Nothing changed --------------------------------------------------------------------------


def _every_invocation(path: Path, formats: tuple[str, ...]) -> Iterator[list[str]]:
    yield ["validate", str(path)]
    yield ["--data", str(path), "validate"]
    yield ["schema"]
    yield ["--help"]
    for command, args in COMMAND_CASES:
        if command not in commands():
            continue
        for fmt in formats:
            yield ["--data", str(path), command, *args, "--format", fmt]


@pytest.mark.parametrize("kind", ["bundled copy", "hostile", "invalid"])
def test_no_command_changes_the_fact_file(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    """Every command, in every format, leaves the fact file's bytes, mtime and folder unchanged."""
    if kind == "bundled copy":
        path = tmp_path / "facts.json"
        path.write_bytes(BUNDLED.read_bytes())
    elif kind == "hostile":
        path = write_json(tmp_path / "facts.json", hostile_data())
    else:
        path = tmp_path / "facts.json"
        path.write_bytes(b'{"format_version": 1, "sources": [{"id": "x"}]}')
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # an mtime a write could not keep by chance
    before = snapshot(tmp_path)
    count = 0
    formats = FORMATS if kind == "hostile" else ("table", "json")
    for args in _every_invocation(path, formats):
        result = invoke(runner, args, watch=(tmp_path,))
        assert result.exit_code in (0, 1, 3), (args, result.stderr)
        count += 1
    assert snapshot(tmp_path) == before
    assert count >= 4


def _has_option(command: Any, option: str) -> bool:
    return any(option in getattr(param, "opts", ()) for param in command.params)


def test_no_output_option_overwrites_the_fact_file(runner: CliRunner, tmp_path: Path) -> None:
    """Exports and table images aimed at the fact file, even by a symlink or with --force, fail."""
    path = tmp_path / "facts.json"
    path.write_bytes(BUNDLED.read_bytes())
    link = tmp_path / "link.db"
    link.symlink_to(path)
    named_like_a_table = tmp_path / "csv" / "tariffs.csv"
    named_like_a_table.parent.mkdir()
    named_like_a_table.write_bytes(BUNDLED.read_bytes())
    attempts: list[list[str]] = []
    export = commands().get("export")
    if export is not None and "sqlite" in getattr(export, "commands", {}):
        for target in (path, link):
            attempts.append(["--data", str(path), "export", "sqlite", str(target), "--force"])
    if export is not None and "csv" in getattr(export, "commands", {}):
        folder = named_like_a_table.parent
        attempts.append(
            ["--data", str(named_like_a_table), "export", "csv", str(folder), "--force"]
        )
    tariffs = commands().get("tariffs")
    for option in ("--export-html", "--export-svg"):
        if tariffs is not None and _has_option(tariffs, option):
            attempts.extend(
                ["--data", str(path), "tariffs", option, str(target)] for target in (path, link)
            )
    if not attempts:
        pytest.skip("no command writes files yet")
    for args in attempts:
        result = invoke(runner, args, watch=(tmp_path, named_like_a_table.parent))
        assert result.exit_code == 2, (args, result.exit_code, result.stderr)
        no_raw_control(result.stderr)


# --- Pipes and signals ------------------------------------------------------------------------


def _subprocess_env(**extra: str) -> dict[str, str]:
    env = env_without_tradecli()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


PIPE_CASES = [
    ["validate"],
    ["--help"],
    ["schema"],
    ["validate", "--help"],
    ["tariffs"],
    ["timeline", "--format", "json"],
    ["search", "canola", "--limit", "0", "--format", "csv"],
    ["summary", "--format", "markdown"],
]


@pytest.mark.parametrize("args", PIPE_CASES, ids=" ".join)
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    """Output into a pipe whose reader has gone: exit 0, nothing at all on stderr."""
    if args[0] in QUERY_COMMANDS:
        require(args[0])
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before tradecli writes a byte
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tradecli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_subprocess_env(),
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert stderr == "" or (args[0] == "validate" and "known conflict" in stderr), stderr
    assert done.returncode == 0, stderr


@pytest.mark.parametrize(
    "args", [["schema"], ["--help"], ["timeline"], ["tariffs", "-f", "json"]], ids=" ".join
)
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for a real pipeline")
def test_head_closing_the_pipe_early_is_quiet(args: list[str]) -> None:
    """`tradecli ... | head -1` through a real shell pipeline: one line, no noise, exit 0."""
    if args[0] in QUERY_COMMANDS:
        require(args[0])
    command = shlex.join([sys.executable, "-m", "tradecli", *args])
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -1"],
        capture_output=True,
        env=_subprocess_env(),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.stdout.count(b"\n") == 1
    assert done.stderr == b"", done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0


_SLOW_LOAD = """
import sys, time
import tradecli.load.validate as validation
import tradecli.store as store

def slow_load(*args, **kwargs):
    sys.stderr.write("ready\\n")
    sys.stderr.flush()
    time.sleep(60)

store.load = validation.reviewed = slow_load
from tradecli.cli import main
sys.argv = ["tradecli", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("args", [["validate"], ["tariffs", "-f", "json"]], ids=" ".join)
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130_quietly(args: list[str]) -> None:
    """SIGINT while a command runs: exit 130, no traceback, no 'Aborted'."""
    if args[0] in QUERY_COMMANDS:
        require(args[0])
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_LOAD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_subprocess_env(),
        cwd=ROOT,
    )
    assert process.stderr is not None
    try:
        assert process.stderr.readline() == b"ready\n"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert stdout == b""
    assert stderr == b"", stderr.decode("utf-8", "replace")


def test_keyboard_interrupt_in_process(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A KeyboardInterrupt anywhere in a command ends in exit 130 and no output."""

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "load", interrupted)
    monkeypatch.setattr(validation, "reviewed", interrupted)
    assert invoke(runner, ["validate"]).exit_code == 130
    monkeypatch.setattr(sys, "argv", ["tradecli", "validate"])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 130
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    asked: list[list[str]] = []

    def app_for(args: list[str]) -> Callable[..., Any]:
        asked.append(args)
        return interrupted

    monkeypatch.setattr(cli_root, "app_for", app_for)  # outside the command, in Typer's run
    with pytest.raises(SystemExit) as outside:
        cli.main()
    assert asked == [["validate"]]
    assert outside.value.code == 130


# --- Internal errors --------------------------------------------------------------------------


def _explode(*args: Any, **kwargs: Any) -> Any:
    secret_local = "hunter2-local-value"  # a traceback with locals would show this
    assert secret_local
    raise RuntimeError("boom \x1b]0;pwned\x07 " + "x" * 500)


def test_an_internal_error_is_one_line_naming_the_debug_switch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception: exit 4, one escaped line on stderr that names TRADECLI_DEBUG."""
    monkeypatch.setattr(store, "load", _explode)
    monkeypatch.setattr(validation, "reviewed", _explode)
    monkeypatch.setattr(sys, "argv", ["tradecli", "validate"])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "TRADECLI_DEBUG=1" in lines[0]
    assert "RuntimeError" in lines[0]
    assert "\\x1b]0;pwned\\x07" in lines[0]
    assert len(lines[0]) < 300
    assert "Traceback" not in captured.err
    assert "hunter2" not in captured.err
    no_raw_control(captured.err)


def test_debug_mode_shows_the_traceback_without_locals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With TRADECLI_DEBUG=1 the traceback is shown, escaped, with no local variables; exit 4."""
    monkeypatch.setattr(store, "load", _explode)
    monkeypatch.setattr(validation, "reviewed", _explode)
    monkeypatch.setattr(sys, "argv", ["tradecli", "validate"])
    monkeypatch.setenv("TRADECLI_DEBUG", "1")
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 4
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: boom" in err
    assert "_explode" in err
    assert "hunter2" not in err
    no_raw_control(err)


def test_an_internal_error_through_the_real_entry_point() -> None:
    """`python -m tradecli` with a failure injected: exit 4, one line, no traceback, no locals."""
    code = _SLOW_LOAD.replace(
        '    sys.stderr.write("ready\\n")\n    sys.stderr.flush()\n    time.sleep(60)',
        "    secret_local = 'hunter2'\n    assert secret_local\n    raise ValueError('boom')",
    )
    assert "raise ValueError" in code
    done = subprocess.run(
        [sys.executable, "-c", code, "validate"],
        capture_output=True,
        env=_subprocess_env(),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 4
    assert stderr.splitlines() == [
        "tradecli: internal error (ValueError: boom); run again with TRADECLI_DEBUG=1 to see the "
        "traceback, and please report it"
    ]
    assert "hunter2" not in stderr


def test_output_in_a_narrow_encoding_does_not_crash() -> None:
    """Redirected output in an ASCII locale is still written, as UTF-8, with exit 0."""
    done = subprocess.run(
        [sys.executable, "-m", "tradecli", "schema"],
        capture_output=True,
        env=_subprocess_env(PYTHONIOENCODING="ascii"),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    if "people" in commands():
        names = subprocess.run(
            [sys.executable, "-m", "tradecli", "people", "-f", "json"],
            capture_output=True,
            env=_subprocess_env(PYTHONIOENCODING="ascii"),
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert names.returncode == 0, names.stderr
        json.loads(names.stdout.decode("utf-8"))
