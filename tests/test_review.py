"""validate's warnings: what a careful editor would flag in a valid file, each at its line,
with exit 0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tradecli import cli


def evidence(source: str) -> list[dict[str, str]]:
    """One piece of evidence from a source."""
    return [{"source": source, "paraphrase": "As the source says."}]


FACTS: dict[str, Any] = {
    "format_version": 1,
    "sources": [
        {
            "id": "reprint",
            "title": "A story one paper carried",
            "carried_by": "Lethbridge Herald",
            "publisher": "wire",
            "kind": "news_report",
        },
        {
            "id": "blog",
            "title": "An aggregator's page",
            "outlet": "Particle News",
            "publisher": "blog",
            "kind": "blog",
        },
        {
            "id": "paper",
            "title": "A paper's own story",
            "outlet": "The Globe and Mail",
            "publisher": "news",
            "kind": "news_report",
        },
    ],
    "places": [
        {"id": "blogged", "name": "Blogged", "kind": "city", "evidence": evidence("blog")},
        {"id": "reported", "name": "Reported", "kind": "city", "evidence": evidence("paper")},
    ],
    "statements": [
        {
            "id": "nobody-expects",
            "kind": "expectation",
            "certainty": "expected",
            "text": "Something is expected by June.",
            "due": "2026-06",
            "evidence": evidence("paper"),
        },
        {
            "id": "ottawa-expects",
            "kind": "expectation",
            "certainty": "expected",
            "text": "Ottawa expects something by June.",
            "due": "2026-06",
            "claimed_by": "reported",
            "evidence": evidence("paper"),
        },
    ],
}


def test_validate_warns_and_still_passes(runner: CliRunner, tmp_path: Path) -> None:
    """Each of the three warnings, once, at its place in the file; exit 0."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS, indent=1), encoding="utf-8")
    result = runner.invoke(cli.app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: valid:")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3, warnings
    reprint, blogged, expectation = warnings
    assert f"{path}:4:" in reprint
    assert "sources[0]: reprint is carried by Lethbridge Herald" in reprint
    assert "places[0]: blogged rests only on a blog or aggregator (Particle News)" in blogged
    assert "statements[0]: nobody-expects is an expectation due 2026-06" in expectation
    assert "set claimed_by" in expectation


def test_a_clean_file_has_no_warnings(runner: CliRunner, tmp_path: Path) -> None:
    """Without the three faults, validate warns of nothing."""
    clean = json.loads(json.dumps(FACTS))
    clean["sources"][0]["outlet"] = "The Canadian Press"
    clean["places"] = clean["places"][1:]
    clean["statements"] = clean["statements"][1:]
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(clean), encoding="utf-8")
    result = runner.invoke(cli.app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.stderr
