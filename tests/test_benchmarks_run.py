"""benchmarks/run.py runs every bundled case and prints one table row each, with a ratio."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
    assert labels[2:] == [
        "`tradecli --help`",
        "`tradecli tariffs`",
        "`tradecli tariffs --format json`",
        "`tradecli search canola`",
    ]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert re.fullmatch(r"\d+\.\d{3}", cells[2]), row
        assert re.fullmatch(r"\d+\.\d{2}x", cells[3]), row
        assert cells[-1] == "0", row
