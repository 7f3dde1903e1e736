"""Data that says only one thing: dates in ASCII digits exactly as the JSON Schema's pattern
says, and chains of ``within``, ``part_of`` and ``supersedes`` links that end.

Every case runs on a small fact file written in the test, never on the bundled data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tradecli.cli import app
from tradecli.facts.dates import PATTERN_TEXT, PartialDate

SOURCE = {"id": "src", "title": "A source", "publisher": "news", "kind": "news_report"}


def evidence() -> list[dict[str, str]]:
    """The one piece of evidence every fact of these small files has."""
    return [{"source": "src", "paraphrase": "As the source says."}]


def write_facts(path: Path, **collections: Any) -> Path:
    """A fact file with one source and the given collections, one fact per line or more."""
    data = {"format_version": 1, "sources": [SOURCE], **collections}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def place(fact_id: str, within: str | None = None) -> dict[str, Any]:
    """A country, perhaps within another place."""
    found: dict[str, Any] = {"id": fact_id, "name": fact_id.upper(), "kind": "country"}
    if within is not None:
        found["within"] = within
    return {**found, "evidence": evidence()}


def event(fact_id: str, **links: str) -> dict[str, Any]:
    """A meeting, with part_of or supersedes links."""
    return {
        "id": fact_id,
        "category": "meeting",
        "title": f"Meeting {fact_id}",
        **links,
        "evidence": evidence(),
    }


def run(runner: CliRunner, *args: str) -> Any:
    """Run tradecli in-process; nothing but a clean exit may end it."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


# --- Dates: ASCII digits only -----------------------------------------------------------------

NOT_ASCII_DATES = [
    "\u0662\u0660\u0662\u0666",  # 2026 in Arabic-Indic digits
    "\uff12\uff10\uff12\uff16",  # 2026 in full-width digits
    "2026-\u0660\u0661",  # an ASCII year, an Arabic-Indic month
    "2026-01-\uff11\uff15",  # a full-width day
    "\u09e8\u09e6\u09e8\u09ec",  # Bengali digits
]


@pytest.mark.parametrize("text", NOT_ASCII_DATES)
def test_dates_in_other_digits_are_refused(text: str) -> None:
    """PartialDate.parse and the JSON Schema's pattern refuse every digit that is not ASCII."""
    with pytest.raises(ValueError, match="YYYY"):
        PartialDate.parse(text)
    assert re.search(PATTERN_TEXT, text) is None


@pytest.mark.parametrize("text", ["2026\n", " 2026", "2026 ", "2026-01-15\n"])
def test_a_date_has_nothing_around_it(text: str) -> None:
    """A date with a space or a newline around it is not a date, as the pattern says."""
    with pytest.raises(ValueError, match="YYYY"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["2026", "2026-01", "2026-01-15", "0001-12-31"])
def test_ascii_dates_still_parse(text: str) -> None:
    """Dates in ASCII digits parse, print as written, and match the pattern."""
    assert str(PartialDate.parse(text)) == text
    assert re.search(PATTERN_TEXT, text) is not None


@pytest.mark.parametrize("text", NOT_ASCII_DATES[:2])
def test_validate_refuses_a_date_in_other_digits(
    runner: CliRunner, tmp_path: Path, text: str
) -> None:
    """`validate` says where the date is (file, line, JSON path): exit 3, the file unchanged."""
    path = write_facts(tmp_path / "facts.json", events=[{**event("e1"), "date": text}])
    before = path.read_bytes()
    result = run(runner, "validate", str(path))
    assert result.exit_code == 3
    assert re.search(r"facts\.json:\d+:\d+: events\[0\]\.date: ", result.stderr), result.stderr
    assert path.read_bytes() == before
    assert run(runner, "--data", str(path), "timeline").exit_code == 3


# --- Cycles -----------------------------------------------------------------------------------

LOCATED = re.compile(r"^.+facts\.json:(?P<line>\d+):\d+: (?P<path>\S+): (?P<message>.*)$")


def problems(stderr: str) -> list[tuple[int, str, str]]:
    """(line, JSON path, message) of each located problem on stderr."""
    found = []
    for line in stderr.splitlines():
        match = LOCATED.match(line)
        if match is not None:
            found.append((int(match["line"]), match["path"], match["message"]))
    return found


def test_cycles_of_each_link_are_one_problem_each(runner: CliRunner, tmp_path: Path) -> None:
    """A within cycle of three (with a place hanging off it), a part_of cycle of two and a
    supersedes cycle of two: three problems, each naming its members, each with its line."""
    path = write_facts(
        tmp_path / "facts.json",
        places=[place("pa", "pb"), place("pb", "pc"), place("pc", "pa"), place("pd", "pa")],
        events=[
            event("e1", part_of="e2"),
            event("e2", part_of="e1"),
            event("e3", supersedes="e4"),
            event("e4", supersedes="e3"),
        ],
    )
    result = run(runner, "validate", str(path))
    assert result.exit_code == 3
    found = problems(result.stderr)
    assert [(where, message.split(":")[0]) for _line, where, message in found] == [
        ("places[0].within", "within links go round in a cycle"),
        ("events[0].part_of", "part_of links go round in a cycle"),
        ("events[2].supersedes", "supersedes links go round in a cycle"),
    ], result.stderr
    messages = [message for _line, _where, message in found]
    assert "'pa' -> 'pb' -> 'pc' -> 'pa'" in messages[0]
    assert "'pd'" not in messages[0]
    assert "'e1' -> 'e2' -> 'e1'" in messages[1]
    assert "'e3' -> 'e4' -> 'e3'" in messages[2]
    text = path.read_text(encoding="utf-8").splitlines()
    for line, _where, message in found:
        assert any(name in text[line - 1] for name in ('"within"', '"part_of"', '"supersedes"'))
        assert "remove one" in message


def test_a_cycle_is_reported_at_its_member_first_in_the_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Entered from its last member, the cycle is still named from the first one in the file."""
    places = [place("z", "y"), place("tail", "x"), place("x", "z"), place("y", "x")]
    path = write_facts(tmp_path / "facts.json", places=places)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 3
    found = problems(result.stderr)
    assert len(found) == 1, result.stderr
    assert found[0][1] == "places[0].within"
    assert "'z' -> 'y' -> 'x' -> 'z'" in found[0][2]


def test_a_self_reference_is_reported_once(runner: CliRunner, tmp_path: Path) -> None:
    """A place within itself is the reference check's problem, not a cycle reported again."""
    path = write_facts(tmp_path / "facts.json", places=[place("pa", "pa")])
    result = run(runner, "validate", str(path))
    assert result.exit_code == 3
    found = problems(result.stderr)
    assert len(found) == 1, result.stderr
    assert "own id" in found[0][2]


def test_a_long_cycle_is_named_in_short(runner: CliRunner, tmp_path: Path) -> None:
    """A cycle of 500 places: one problem, its first members named and its length given."""
    count = 500
    places = [place(f"p{i}", f"p{(i + 1) % count}") for i in range(count)]
    path = write_facts(tmp_path / "facts.json", places=places)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 3
    found = problems(result.stderr)
    assert len(found) == 1
    assert "'p0' -> 'p1' -> " in found[0][2]
    assert f"({count} facts)" in found[0][2]
    assert len(found[0][2]) < 300


def test_chains_that_end_are_valid(runner: CliRunner, tmp_path: Path) -> None:
    """Long chains without a cycle, and links shared by many facts, are fine; every command runs."""
    places = [place(f"p{i}", f"p{i + 1}") for i in range(200)] + [place("p200")]
    places += [place(f"leaf{i}", "p0") for i in range(5)]
    events = [event("e1"), event("e2", part_of="e1", supersedes="e1"), event("e3", part_of="e1")]
    path = write_facts(tmp_path / "facts.json", places=places, events=events)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert run(runner, "--data", str(path), "timeline").exit_code == 0


def test_a_cycle_is_refused_by_every_command(runner: CliRunner, tmp_path: Path) -> None:
    """Loading for a query (the quick way, with an index) refuses a cycle as validate does."""
    path = write_facts(tmp_path / "facts.json", places=[place("pa", "pb"), place("pb", "pa")])
    for args in (["timeline"], ["search", "pa"], ["--no-cache", "people"]):
        result = run(runner, "--data", str(path), *args)
        assert result.exit_code == 3, (args, result.stderr)
        assert "within links go round in a cycle" in result.stderr
