"""Fuzzing: random damage to the bundled fact file never makes tradecli crash or obey the data.

Each example applies a few random mutations to the bundled facts: hostile strings (markup, control
characters, bidi overrides, lone surrogates, long text) in random fields, deleted, duplicated and
unknown keys, swapped types, cloned and dropped facts, and sometimes a cut or spliced byte stream.
It then runs ``validate`` and a real query command in a random format on the result. Every run
must end in exit 0, 1 or 3, with no traceback and no raw control character on stdout or stderr;
JSON output must parse; and a query command must refuse exactly the files that validate refuses.

CI runs ``TRADECLI_FUZZ_EXAMPLES`` examples (default 300, well under a minute on two cores).
Slow mode, for a deeper search before a release (about 12 minutes on two cores, five of them
for the 10 MB table of test_hostile.py)::

    TRADECLI_FUZZ_EXAMPLES=5000 PYTHONPATH=src:tests python -m pytest -p no:cacheprovider \\
        tests/test_fuzz.py tests/test_hostile.py

A failure prints the smallest mutation found and a ``@reproduce_failure`` blob to replay it;
``--hypothesis-seed=N`` repeats a whole run.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED, PINNED_ENV, ROOT, UNSET_ENV, env_without_tradecli
from tradecli.cli import app

EXAMPLES = int(os.environ.get("TRADECLI_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # write nothing into the working tree
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
LONG_TEXT = 10_000 if EXAMPLES < 1000 else 200_000

RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
# A tab is the separator of piped table lines, of which no listing has more than nine cells; a
# tab in a fact's text is shown as "\x09", so it cannot add a cell.
MAX_TABS = 8
TOKENS = (
    "[bold]x[/]", "[/]", "[link=https://evil.example/]click[/link]", ":warning:", "\\[b]", "\\",
    "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;cHduZWQ=\x07", "\x9b31m", "\x00", "\x7f", "\r\n",
    "\u202e", "\u2066", "\u200b", "\ufeff", "\ud800", "\udfff", "|", '"', ",", "\t", "Carney",
    "2026-01-15", "Thursday, January 15, 2026", "carney", "canola", "", " ",
)  # fmt: skip
SWAPS: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, 1e308, 10**40, float("nan"), float("inf"), "", [], {}, [[[]]],
    {"a": {}}, ["x"], "2026-13-45", "x" * 200,
)  # fmt: skip

BUNDLED_DATA: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
QUERIES = (
    ("tariffs", ()),
    ("meetings", ()),
    ("quote", ()),
    ("quote", ("carney",)),
    ("people", ()),
    ("people", ("carney",)),
    ("companies", ()),
    ("timeline", ()),
    ("search", ("canola tariff",)),
    ("show", (BUNDLED_DATA["tariffs"][0]["id"],)),
    ("show", (BUNDLED_DATA["quotes"][0]["id"],)),
    ("sources", ()),
    ("summary", ()),
    ("conflicts", ()),
    ("tariffs", ("--as-of", "2026-01-16")),
)
FORMATS = ("table", "json", "csv", "markdown")
# Free-text fields; ids, references, dates and enums have strict formats.
PROSE = frozenset(
    (
        "title", "outlet", "notes", "paraphrase", "rank", "sector", "description", "summary",
        "topics", "outcome", "note", "products", "rate_basis", "purpose", "affected", "occasion",
        "platform", "attribution", "about", "unit", "topic",
    )
)  # fmt: skip


def _available() -> list[tuple[str, tuple[str, ...]]]:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    return [(name, args) for name, args in QUERIES if name in commands]


AVAILABLE = _available()


hostile_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"])),
    st.lists(st.sampled_from(TOKENS), max_size=8).map("".join),
    st.builds(
        lambda unit, count: unit * count,
        st.sampled_from(["x", "word ", "\x1b[2J", "[b]", "\u202e", "词"]),
        st.integers(1, LONG_TEXT // 5),
    ),
)


@dataclass
class Document:
    """Fact-file data being damaged, with the duplicate keys plain dicts cannot hold."""

    data: dict[str, Any]
    duplicates: list[tuple[dict[str, Any], str, Any]] = field(default_factory=list)

    def nodes(self) -> list[tuple[Any, Any]]:
        """Every (container, key or index) in the document, depth first."""
        found: list[tuple[Any, Any]] = []
        stack: list[Any] = [self.data]
        while stack:
            node = stack.pop()
            pairs = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in pairs:
                found.append((node, key))
                if isinstance(value, dict | list):
                    stack.append(value)
        return found

    def prose(self) -> list[tuple[Any, Any]]:
        """Every free-text string, where any text keeps the file valid."""
        found: list[tuple[Any, Any]] = []
        for node in self.containers(dict):
            for key, value in node.items():
                if key in PROSE and isinstance(value, str):
                    found.append((node, key))
                elif key in PROSE and isinstance(value, list):
                    found.extend(
                        (value, i) for i, item in enumerate(value) if isinstance(item, str)
                    )
        return found

    def containers(self, kind: type) -> list[Any]:
        """Every dict or list in the document, the root included."""
        found = [self.data] if isinstance(self.data, kind) else []
        return found + [node[key] for node, key in self.nodes() if isinstance(node[key], kind)]

    def render(self, *, ensure_ascii: bool) -> bytes:
        """The document as JSON text, duplicate keys included, encoded as UTF-8."""
        text = self._dump(self.data, ensure_ascii)
        return text.encode("utf-8", "surrogatepass")

    def _dump(self, value: Any, ensure_ascii: bool) -> str:
        def string(text: str) -> str:
            return json.dumps(text, ensure_ascii=ensure_ascii)

        if isinstance(value, dict):
            members = [(key, item) for key, item in value.items()]
            members += [(key, item) for owner, key, item in self.duplicates if owner is value]
            inner = ", ".join(f"{string(k)}: {self._dump(v, ensure_ascii)}" for k, v in members)
            return "{" + inner + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self._dump(item, ensure_ascii) for item in value) + "]"
        if isinstance(value, str):
            return string(value)
        return json.dumps(value)


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def mutate(document: Document, operation: tuple[str, int, Any]) -> None:
    """Apply one random mutation, chosen and placed by the drawn values."""
    kind, index, payload = operation
    if kind in ("prose", "text", "append", "swap"):
        if kind == "swap":
            candidates = document.nodes()
        elif kind == "prose":  # free text, where any string keeps the file valid
            candidates = document.prose()
        else:
            candidates = [(n, k) for n, k in document.nodes() if isinstance(n[k], str)]
        chosen = _pick(candidates, index)
        if chosen is None:
            return
        node, key = chosen
        if kind == "text":
            node[key] = payload
        elif kind in ("append", "prose"):
            node[key] = node[key] + (payload if isinstance(payload, str) else json.dumps(payload))
        else:
            node[key] = copy.deepcopy(payload)
    elif kind in ("delete", "duplicate", "unknown"):
        owner = _pick(document.containers(dict), index)
        if owner is None:
            return
        keys = list(owner)
        if kind == "unknown":
            owner[str(payload)[:40] or "x"] = payload
        elif keys:
            key = keys[len(payload) % len(keys)] if isinstance(payload, str) else keys[0]
            if kind == "delete":
                del owner[key]
            else:
                document.duplicates.append((owner, key, payload))
    elif kind in ("clone", "drop"):
        lists = [node for node in document.containers(list) if node]
        chosen_list = _pick(lists, index)
        if chosen_list is None:
            return
        position = len(str(payload)) % len(chosen_list)
        if kind == "clone":
            chosen_list.insert(position, copy.deepcopy(chosen_list[position]))
        else:
            del chosen_list[position]


# Text in free-text fields keeps a file valid, so those mutations come most often: about a third
# of the files stay valid and reach the renderers; the rest exercise the refusals.
KINDS = (
    *["prose"] * 8,
    *("text", "append", "swap", "delete", "duplicate", "unknown", "clone", "drop"),
)
operations = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(0, 10**6),
        st.one_of(hostile_text, st.sampled_from(SWAPS)),
    ),
    min_size=1,
    max_size=5,
)
byte_damage = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.tuples(st.sampled_from(["cut", "splice"]), st.floats(0, 1), st.binary(max_size=8)),
)


def build(ops: list[tuple[str, int, Any]], damage: Any, ensure_ascii: bool) -> bytes:
    """A damaged fact file, as bytes."""
    document = Document(copy.deepcopy(BUNDLED_DATA))
    for operation in ops:
        mutate(document, operation)
    content = document.render(ensure_ascii=ensure_ascii)
    if damage is not None:
        how, where, extra = damage
        at = int(where * len(content))
        content = content[:at] if how == "cut" else content[:at] + extra + content[at:]
    return content


def check_output(stdout: str, stderr: str, code: int, fmt: str) -> None:
    """The invariants of every run on any file."""
    assert code in (0, 1, 3), (code, stderr[-2000:])
    assert "Traceback" not in stdout + stderr
    for name, output in (("stdout", stdout), ("stderr", stderr)):
        raw = RAW_CONTROL.search(output)
        assert raw is None, f"raw {raw.group()!r} on {name}" if raw else ""
        tabs = max((line.count("\t") for line in output.splitlines()), default=0)
        assert tabs <= MAX_TABS, f"a line of {name} with {tabs} tabs: a fact's tab split a cell"
    if code == 0 and fmt == "json":
        json.loads(stdout)


@FUZZ
@given(
    ops=operations,
    damage=byte_damage,
    ensure_ascii=st.booleans(),
    query=st.sampled_from(AVAILABLE or [("validate", ())]),
    fmt=st.sampled_from(FORMATS),
)
@pytest.mark.slow
def test_damaged_fact_files_never_crash_or_leak_control_characters(
    tmp_path_factory: Any,
    ops: list[tuple[str, int, Any]],
    damage: Any,
    ensure_ascii: bool,
    query: tuple[str, tuple[str, ...]],
    fmt: str,
) -> None:
    """validate and a query command end in 0, 1 or 3, cleanly, and agree on what is invalid."""
    path = _scratch(tmp_path_factory) / "facts.json"
    content = build(ops, damage, ensure_ascii)
    path.write_bytes(content)
    runner = CliRunner(env={**PINNED_ENV, **dict.fromkeys(UNSET_ENV)})
    checked = runner.invoke(app, ["validate", str(path)])
    assert checked.exception is None or isinstance(checked.exception, SystemExit), repr(
        checked.exception
    )
    event(f"validate exit {checked.exit_code}")
    check_output(checked.stdout, checked.stderr, checked.exit_code, "table")
    assert checked.exit_code in (0, 3)
    command, args = query
    if command == "validate":
        return
    extra = [] if fmt == "table" else ["--format", fmt]
    result = runner.invoke(app, ["--data", str(path), command, *args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    check_output(result.stdout, result.stderr, result.exit_code, fmt)
    assert (result.exit_code == 3) == (checked.exit_code == 3), "validate and the query disagree"
    assert path.read_bytes() == content, "a command changed the fact file"


_SCRATCH: dict[str, Path] = {}


def _scratch(factory: Any) -> Path:
    """One scratch folder for all examples of a run (hypothesis forbids per-example fixtures)."""
    if "dir" not in _SCRATCH:
        _SCRATCH["dir"] = factory.mktemp("fuzz")
    return _SCRATCH["dir"]


@settings(FUZZ, max_examples=max(4, EXAMPLES // 40))
@given(
    ops=operations,
    damage=byte_damage,
    query=st.sampled_from([*AVAILABLE, ("validate", ())]),
    fmt=st.sampled_from(FORMATS),
)
def test_damaged_fact_files_through_the_real_entry_point(
    tmp_path_factory: Any,
    ops: list[tuple[str, int, Any]],
    damage: Any,
    query: tuple[str, tuple[str, ...]],
    fmt: str,
) -> None:
    """The same invariants through ``python -m tradecli``, its real streams and exit codes."""
    path = _scratch(tmp_path_factory) / "entry.json"
    path.write_bytes(build(ops, damage, ensure_ascii=False))
    command, args = query
    extra = [] if fmt == "table" or command == "validate" else ["--format", fmt]
    env = env_without_tradecli()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-m", "tradecli", "--data", str(path), command, *args, *extra],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    stdout = done.stdout.decode("utf-8")
    stderr = done.stderr.decode("utf-8")
    check_output(stdout, stderr, done.returncode, fmt if command != "validate" else "table")
