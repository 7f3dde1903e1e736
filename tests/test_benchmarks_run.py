"""benchmarks/run.py runs every bundled case and prints one table row each, with a ratio."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, env_without_tradecli


def test_a_bundled_run_prints_a_row_per_case(tmp_path: Path) -> None:
    """One measured run per case: each row has a time, a ratio and exit status 0."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--skip-big",
            "--repeat-bundled",
            "1",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env_without_tradecli(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| bundled |")]
    labels = [row.split("|")[2].strip() for row in rows]
    assert labels[3:] == [
        "`tradecli --help`",
        "`tradecli tariffs -f json`",
        "`tradecli tariffs (the table, as on a terminal)`",
        "`tradecli tariffs (piped: lines)`",
        "`tradecli show canada-ev-surtax`",
        "`tradecli search canola`",
    ]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert re.fullmatch(r"\d+\.\d{3}", cells[2]), row
        assert re.fullmatch(r"\d+\.\d{2}x", cells[3]), row
        assert cells[-1] == "0", row


@pytest.mark.slow
def test_a_quick_run_prints_the_scale_table(tmp_path: Path) -> None:
    """--quick measures the large store and 10k and 30k facts: a scale row per lookup, each
    with a time per size and a growth per 1,000 facts."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--facts",
            "2000",
            "--repeat-bundled",
            "1",
            "--warmup",
            "0",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env_without_tradecli(),
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("| command | 10k facts | 30k facts | growth per 1,000 facts |")
    scale = lines[at + 2 : at + 7]
    assert [line.split("|")[1].strip() for line in scale] == [
        "`show ID`",
        "`people NAME`",
        "`summary`",
        "`export sqlite`",
        "`timeline -f json, first byte`",
    ]
    for line in scale:
        assert re.search(
            r"\d+\.\d{3} s, \d+ MiB \| \d+\.\d{3} s, \d+ MiB \| -?\d+\.\d{2} ms", line
        ), line
