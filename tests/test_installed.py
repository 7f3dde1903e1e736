"""The installed ``tradecli`` command, run as users run it: one process per command line.

The other command-line tests call the Typer app in-process. These run the console script that
pip installed next to this Python, from the repository's root, so that the entry point, the
parsing of a real argv and the exit code are what a shell sees. Every command runs, with each
kind of argument it takes: a positional path, positional words, options with values, flags, and
the global ``--data`` and ``--no-cache`` before the command. The runs take about 0.15 s each and
go in parallel, once for the module.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from conftest import BUNDLED, ROOT, env_without_tradecli

SCRIPT = Path(sys.executable).parent / ("tradecli.exe" if os.name == "nt" else "tradecli")

pytestmark = pytest.mark.skipif(
    not SCRIPT.is_file(),
    reason=f"no tradecli console script next to {sys.executable}; pip install -e . installs one",
)

MINI = "tests/fixtures/mini.json"  # relative, as typed: the runs start in the repository's root
SQLITE_OUT = "facts.db"  # in the module's scratch folder
CSV_OUT = "facts-csv"

COMMAND_LINES: list[tuple[str, ...]] = [
    # validate: a positional path, --data before the command, neither, and two bad paths
    ("validate", MINI),
    ("--data", MINI, "validate"),
    ("validate",),
    ("validate", "/no/such/file.json"),
    ("validate", "tests"),
    ("schema",),
    # options with values, short and long, and flags
    ("tariffs", "--by", "china", "-f", "json"),
    ("tariffs", "--chain", "-f", "json"),
    ("tariffs", "--chain"),
    ("tariffs", "-l"),
    ("tariffs", "--min-rate", "x"),
    ("meetings", "--date", "2026-01-15", "-f", "json"),
    ("meetings", "--date", "2026-01-15"),
    ("timeline", "--since", "2026", "--until", "2026-01", "-f", "csv"),
    ("statements", "--kind", "figure", "--format", "json"),
    # positional words
    ("search", "canola", "oil", "-f", "json"),
    ("search", "canola", "-n", "2", "-f", "json"),
    ("quote", "carney", "-f", "json"),
    ("people", "li qiang", "-f", "json"),
    ("companies", "catl", "-f", "json"),
    ("conflicts", "canola", "-f", "json"),
    ("show", "canada-ev-surtax", "-f", "json"),
    ("show", "no-such-fact"),
    ("sources", "cp-five-things", "-f", "csv"),
    ("cite", "meeting-xi", "-f", "bibtex"),
    # the global options before the command
    ("--no-cache", "--data", MINI, "summary", "-f", "json"),
    ("--version",),
    # browse needs a terminal, which a test's stdin is not
    ("browse", "--print"),
    # export: a positional path to write
    ("--data", MINI, "export", "sqlite", SQLITE_OUT),
    ("--data", MINI, "export", "csv", CSV_OUT),
]


class Ran(NamedTuple):
    """What a run of the console script gave: its exit code, stdout and stderr."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """The standard output, read as JSON."""
        return json.loads(self.stdout)

    def records(self) -> list[Any]:
        """The records JSON output printed: a listing's list, a search's items, or the one
        object that show gives."""
        found = self.json()
        records: list[Any] = found.get("items", [found]) if isinstance(found, dict) else found
        return records

    def ids(self) -> list[str]:
        """The ids of the records a JSON listing printed, in order."""
        return [record["id"] for record in self.records()]


class Runs(NamedTuple):
    """Every command line's run, and the folder that the export runs wrote into."""

    by_line: dict[tuple[str, ...], Ran]
    scratch: Path

    def __call__(self, *argv: str) -> Ran:
        """The run of this command line (one of COMMAND_LINES)."""
        return self.by_line[argv]


def _run(argv: tuple[str, ...], env: dict[str, str], scratch: Path) -> Ran:
    # Paths to write are placed in the scratch folder; everything else is given as typed.
    args = [str(scratch / word) if word in (SQLITE_OUT, CSV_OUT) else word for word in argv]
    done = subprocess.run(
        [str(SCRIPT), *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    """Every command line of COMMAND_LINES, run once by the console script."""
    scratch = tmp_path_factory.mktemp("installed")
    env = {**env_without_tradecli(), "XDG_CACHE_HOME": str(scratch / "cache")}
    # One run first builds the bundled file's search index, which the parallel runs then share.
    warm = _run(("summary", "-f", "json"), env, scratch)
    assert warm.code == 0, warm.stderr
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        found = pool.map(lambda argv: _run(argv, env, scratch), COMMAND_LINES)
        yield Runs(dict(zip(COMMAND_LINES, found, strict=True)), scratch)


def test_validate_a_positional_path(ran: Runs) -> None:
    """``tradecli validate tests/fixtures/mini.json`` checks that file and says it is valid."""
    result = ran("validate", MINI)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(f"{MINI}: valid: 5 sources, 7 people,"), result.stdout
    assert "known conflict" in result.stderr


def test_validate_the_data_option(ran: Runs) -> None:
    """``tradecli --data FILE validate`` checks the file --data names."""
    result = ran("--data", MINI, "validate")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(f"{MINI}: valid: 5 sources, 7 people,"), result.stdout


def test_validate_the_bundled_file(ran: Runs) -> None:
    """``tradecli validate`` alone checks the bundled fact file and counts what it holds."""
    raw = json.loads(BUNDLED.read_text(encoding="utf-8"))
    result = ran("validate")
    assert result.code == 0, result.stderr
    path, _, counts = result.stdout.rstrip("\n").partition(": valid: ")
    assert Path(path).name == "facts.json"
    assert f"{len(raw['sources'])} sources, {len(raw['people'])} people" in counts


def test_validate_a_missing_file(ran: Runs) -> None:
    """A path to no file: exit 3, nothing on stdout, a message naming the file on stderr."""
    result = ran("validate", "/no/such/file.json")
    assert result.code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("/no/such/file.json: no such file"), result.stderr


def test_validate_a_folder(ran: Runs) -> None:
    """A path to a folder: exit 3 and a message that it is a folder, not a fact file."""
    result = ran("validate", "tests")
    assert result.code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("tests: is a directory; give the path of a fact file")


def test_schema(ran: Runs) -> None:
    """``tradecli schema`` prints a JSON Schema."""
    result = ran("schema")
    assert result.code == 0, result.stderr
    assert result.json()["$schema"].startswith("https://json-schema.org/")


def test_options_with_values(ran: Runs) -> None:
    """``tariffs --by china -f json``: China's measures only, as JSON."""
    result = ran("tariffs", "--by", "china", "-f", "json")
    assert result.code == 0, result.stderr
    ids = result.ids()
    assert "china-adt-canola-oil" in ids
    assert "canada-ev-surtax" not in ids
    assert all(record["fields"]["target"] == "canada" for record in result.json())


def test_a_date_option(ran: Runs) -> None:
    """``meetings --date 2026-01-15``: that day's meetings and the signing ceremony, marked as
    one; those known less exactly, noted."""
    result = ran("meetings", "--date", "2026-01-15", "-f", "json")
    assert result.code == 0, result.stderr
    assert result.ids() == ["meeting-li-qiang", "meeting-zhao-leji", "signing-ceremony-2026-01-15"]
    piped = ran("meetings", "--date", "2026-01-15")
    assert "Signing ceremony at the Great Hall of the People (ceremony)" in piped.stdout
    assert {record["fields"]["date"] for record in result.json()} == {"2026-01-15"}
    assert "not matched to 2026-01-15" in result.stderr


def test_two_date_options_as_csv(ran: Runs) -> None:
    """``timeline --since 2026 --until 2026-01 -f csv``: a header, then January 2026's entries:
    those dated in it, and those whose span runs into it (the US trade war, 2025-01 to 2026-01)."""
    result = ran("timeline", "--since", "2026", "--until", "2026-01", "-f", "csv")
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert all("2026-01" in (row["date"][:7], row["end_date"][:7]) for row in rows)
    assert "us-trade-war" in {row["id"] for row in rows}


def test_a_long_option_with_a_value(ran: Runs) -> None:
    """``statements --kind figure --format json``: figures only."""
    result = ran("statements", "--kind", "figure", "--format", "json")
    assert result.code == 0, result.stderr
    kinds = {record["fields"]["kind"] for record in result.json()}
    assert kinds == {"figure"}


def test_a_flag(ran: Runs) -> None:
    """``tariffs --chain``: a tree of measures as JSON, a line per link when piped."""
    tree = ran("tariffs", "--chain", "-f", "json")
    assert tree.code == 0, tree.stderr
    roots = {node["id"]: node for node in tree.json()}
    answers = [node["id"] for node in roots["canada-ev-surtax"]["responses"]]
    assert "china-anti-discrimination-investigation" in answers
    lines = ran("tariffs", "--chain")
    assert lines.code == 0, lines.stderr
    links = [line.split("\t") for line in lines.stdout.splitlines()]
    assert ["", "", "canada-ev-surtax"] in [link[:3] for link in links]


def test_a_short_flag(ran: Runs) -> None:
    """``tariffs -l``: every measure in full, as ``show`` gives one."""
    result = ran("tariffs", "-l")
    assert result.code == 0, result.stderr
    assert "id: canada-ev-surtax\n" in result.stdout
    assert "history: 2024-10-01" in result.stdout


def test_a_bad_value(ran: Runs) -> None:
    """``tariffs --min-rate x``: exit 2 and Typer's usage error, nothing on stdout."""
    result = ran("tariffs", "--min-rate", "x")
    assert result.code == 2
    assert result.stdout == ""
    assert "Invalid value for '--min-rate'" in result.stderr


def test_positional_words(ran: Runs) -> None:
    """``search canola oil``: both words, the canola oil tariff among the best few."""
    result = ran("search", "canola", "oil", "-f", "json")
    assert result.code == 0, result.stderr
    assert "china-adt-canola-oil" in result.ids()[:3]
    limited = ran("search", "canola", "-n", "2", "-f", "json")
    assert limited.code == 0, limited.stderr
    assert len(limited.ids()) == 2
    assert "showing the best 2" in limited.stderr


def test_a_name(ran: Runs) -> None:
    """``quote carney``: Mark Carney's quotes only."""
    result = ran("quote", "carney", "-f", "json")
    assert result.code == 0, result.stderr
    assert result.ids()
    assert {record["fields"]["speaker"] for record in result.json()} == {"mark-carney"}


@pytest.mark.parametrize(
    ("command", "name", "found"),
    [("people", "li qiang", "li-qiang"), ("companies", "catl", "catl")],
)
def test_a_name_of_two_words_or_initials(ran: Runs, command: str, name: str, found: str) -> None:
    """``people "li qiang"``, ``companies catl``: that one entity, in full."""
    result = ran(command, name, "-f", "json")
    assert result.code == 0, result.stderr
    assert result.ids() == [found]
    assert result.json()["links"]


def test_a_topic(ran: Runs) -> None:
    """``conflicts canola``: only conflicts about canola."""
    result = ran("conflicts", "canola", "-f", "json")
    assert result.code == 0, result.stderr
    topics = [record["topic"] for record in result.json()]
    assert topics
    assert all("canola" in topic.lower() for topic in topics)


def test_an_id(ran: Runs) -> None:
    """``show canada-ev-surtax``: that fact; an unknown id exits 1 with a hint."""
    result = ran("show", "canada-ev-surtax", "-f", "json")
    assert result.code == 0, result.stderr
    assert result.ids() == ["canada-ev-surtax"]
    unknown = ran("show", "no-such-fact")
    assert unknown.code == 1
    assert unknown.stdout == ""
    assert "'no-such-fact'" in unknown.stderr


def test_a_source(ran: Runs) -> None:
    """``sources cp-five-things -f csv``: the facts that source supports."""
    result = ran("sources", "cp-five-things", "-f", "csv")
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "meeting-xi" in {row["id"] for row in rows}


def test_a_citation(ran: Runs) -> None:
    """``cite meeting-xi -f bibtex``: a BibTeX entry for each of its sources."""
    result = ran("cite", "meeting-xi", "-f", "bibtex")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("@article{cp-five-things,")


def test_global_options_before_the_command(ran: Runs) -> None:
    """``--no-cache --data FILE summary``: the summary of that file, read without the index."""
    result = ran("--no-cache", "--data", MINI, "summary", "-f", "json")
    assert result.code == 0, result.stderr
    ids = {fact_id for line in result.json() for fact_id in line["ids"]}
    assert "carney-visit-2026" in ids


def test_version(ran: Runs) -> None:
    """``--version`` prints the version and exits 0."""
    from tradecli import __version__

    result = ran("--version")
    assert (result.code, result.stdout) == (0, f"tradecli {__version__}\n")


def test_browse_needs_a_terminal(ran: Runs) -> None:
    """``browse --print`` with no terminal: exit 2 and why, nothing on stdout."""
    result = ran("browse", "--print")
    assert result.code == 2
    assert result.stdout == ""
    assert "browse needs a terminal" in result.stderr


def test_export_to_a_path(ran: Runs) -> None:
    """``export sqlite PATH`` and ``export csv DIR`` write the fact file's tables there."""
    result = ran("--data", MINI, "export", "sqlite", SQLITE_OUT)
    assert result.code == 0, result.stderr
    assert "5 tariffs" in result.stderr
    with sqlite3.connect(ran.scratch / SQLITE_OUT) as connection:
        (count,) = connection.execute("SELECT count(*) FROM tariffs").fetchone()
    assert count == 5
    written = ran("--data", MINI, "export", "csv", CSV_OUT)
    assert written.code == 0, written.stderr
    with (ran.scratch / CSV_OUT / "tariffs.csv").open(encoding="utf-8", newline="") as file:
        assert len(list(csv.DictReader(file))) == 5
