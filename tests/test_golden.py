"""Golden files: what every command prints, the JSON Schema and the export's layout, pinned.

Each case runs a command in every output format and compares exit code, stdout and stderr with
``tests/golden/<data>.json``. The files were written before a change that must not alter
behaviour and are read by people when they change; after an intended change, regenerate them
with ``TRADECLI_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from conftest import ROOT
from tradecli.cli import app

GOLDEN = ROOT / "tests" / "golden"
MINI = ROOT / "tests" / "fixtures" / "mini.json"
UPDATE = bool(os.environ.get("TRADECLI_UPDATE_GOLDEN"))
FORMATS = ("json", "csv", "markdown", "table")

COMMAND_NAMES = (
    "validate",
    "schema",
    "tariffs",
    "meetings",
    "quote",
    "people",
    "companies",
    "timeline",
    "search",
    "show",
    "sources",
    "cite",
    "statements",
    "summary",
    "conflicts",
    "browse",
)

# Query commands with the options people use, on the small fixture file (the bundled data keeps
# growing, so it has no golden file); each runs in every format.
CASES: list[list[str]] = [
    ["tariffs"],
    ["tariffs", "--by", "china"],
    ["tariffs", "--on", "canada", "--product", "canola"],
    ["tariffs", "--min-rate", "50"],
    ["tariffs", "--as-of", "2026-01-20"],
    ["tariffs", "--as-of", "2025-01-01"],
    ["tariffs", "--status", "in_force,announced"],
    ["tariffs", "--chain"],
    ["tariffs", "--chain", "--product", "canola"],
    ["meetings"],
    ["meetings", "--date", "2026-01-15"],
    ["meetings", "--since", "2026-01", "--until", "2026-01-16"],
    ["meetings", "--with", "li qiang"],
    ["meetings", "--status", "scheduled"],
    ["quote"],
    ["quote", "carney"],
    ["quote", "readout"],
    ["quote", "--about", "agriculture"],
    ["quote", "--channel", "social_media"],
    ["people"],
    ["people", "li qiang"],
    ["companies"],
    ["companies", "catl"],
    ["timeline"],
    ["timeline", "--since", "2026-01-16"],
    ["timeline", "--with", "carney"],
    ["timeline", "--long"],
    ["search", "canola"],
    ["search", "electric vehicles"],
    ["search", '"canola seed"', "--limit", "0"],
    ["search", "xi"],
    ["statements"],
    ["statements", "--kind", "figure"],
    ["sources"],
    ["sources", "ap-ev-deal"],
    ["summary"],
    ["conflicts"],
    ["conflicts", "visit"],
    ["--source", "ap-ev-deal", "tariffs"],
    ["--source", "article", "meetings"],
    ["--certainty", "reported", "meetings"],
    ["show", "carney"],
    ["show", "meeting-xi-scheduled"],
    ["show", "ap-ev-deal"],
    ["meetings", "--date", "2026-13"],
    ["people", "nobody-at-all"],
]


def _fact_ids(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        item["id"]
        for key, items in data.items()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and "id" in item
    ]


def _run(args: list[str], data: Path) -> dict[str, Any]:
    runner = CliRunner()
    result = runner.invoke(app, ["--data", str(data), *args], env={"COLUMNS": "100"})
    # The data's path depends on the checkout; the golden files name it DATA.
    return {
        "exit": result.exit_code,
        "stdout": result.stdout.replace(str(data), "DATA"),
        "stderr": result.stderr.replace(str(data), "DATA"),
    }


def _key(args: list[str]) -> str:
    return " ".join(args)


def _outputs(cases: list[list[str]], data: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for args in cases:
        for fmt in FORMATS:
            found[f"{_key(args)} -f {fmt}"] = _run([*args, "-f", fmt], data)
    # Every fact in full: show, in JSON, which holds every field of every record.
    for fact_id in _fact_ids(data):
        found[f"show {fact_id} -f json"] = _run(["show", fact_id, "-f", "json"], data)
    found["validate"] = _run(["validate"], data)
    # Citations, which have formats of their own: every source, and a fact's.
    for fmt in ("text", "csl-json", "bibtex"):
        for args in (["cite", "--all"], ["cite", "meeting-xi", "unused-source"]):
            found[f"{_key(args)} -f {fmt}"] = _run([*args, "-f", fmt], data)
    return found


def _export_layout(data: Path, tmp_path: Path) -> dict[str, Any]:
    """The export's SQL (what ``sqlite3 facts.db .schema`` prints) and every table's rows."""
    target = tmp_path / "facts.db"
    result = CliRunner().invoke(app, ["--data", str(data), "export", "sqlite", str(target)])
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(target) as connection:
        sql = [
            row[0]
            for row in connection.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
            )
        ]
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'"
                " ORDER BY rowid"
            )
        ]
        rows = {
            table: [list(row) for row in connection.execute(f'SELECT * FROM "{table}"')]
            for table in tables
        }
        # export_info says when the export was made and by which tradecli: neither is pinned.
        columns = [row[1] for row in connection.execute("PRAGMA table_info(export_info)")]
        for row in rows.get("export_info", []):
            for name in ("exported_at", "tradecli_version"):
                row[columns.index(name)] = name.upper()
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    return {"user_version": version, "schema": sql, "rows": rows}


def _compare(name: str, actual: Any) -> None:
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        text = json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    differing = [key for key in expected if actual.get(key) != expected[key]]
    missing = sorted(set(actual) - set(expected))
    assert not missing, f"{name}: cases without a golden entry: {missing[:5]}"
    assert not differing, f"{name}: {len(differing)} cases differ, first: {differing[:5]}"
    assert actual == expected


def test_fixture_outputs() -> None:
    """Every query command on the small fixture file, in every format, prints what is pinned;
    every fact in full, in JSON, too."""
    _compare("mini-outputs", _outputs(CASES, MINI))


HELP_CASES = [
    [],
    ["--help"],
    *([name, "--help"] for name in COMMAND_NAMES),
    ["export", "--help"],
    ["export", "sqlite", "--help"],
    ["export", "csv", "--help"],
]


def test_help() -> None:
    """Every command's --help, the root's and export's are pinned: options, help and order."""
    _compare("help", {_key(args): _run(args, MINI) for args in HELP_CASES})


def test_json_schema() -> None:
    """``tradecli schema`` prints the pinned JSON Schema."""
    result = _run(["schema"], MINI)
    assert result["exit"] == 0
    _compare("schema", json.loads(result["stdout"]))


def test_export_layout(tmp_path: Path) -> None:
    """The SQLite export's tables, columns, comments, constraints and rows are pinned."""
    _compare("mini-export", _export_layout(MINI, tmp_path))
