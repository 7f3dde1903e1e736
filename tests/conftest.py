"""Shared fixtures: a CLI runner on a pinned terminal, and paths to the bundled and seed data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "facts.json"
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "sources" / "000_4815e82739e26641.txt"

# Results never depend on the caller's terminal: fixed width, no colour, no CI detection.
PINNED_ENV = {
    "TERM": "dumb",
    "NO_COLOR": "1",
    "COLUMNS": "80",
    "LINES": "50",
    "_TYPER_FORCE_DISABLE_TERMINAL": "1",
}
UNSET_ENV = (
    "FORCE_COLOR",
    "GITHUB_ACTIONS",
    "CI",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TRADECLI_DATA",
    "TRADECLI_DEBUG",
    "CLICOLOR_FORCE",
    "JUPYTER_COLUMNS",
)


@pytest.fixture(autouse=True)
def pinned_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Pin the terminal and isolate the cache for every test."""
    for name in UNSET_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in PINNED_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    return


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner that keeps stdout and stderr apart."""
    return CliRunner(env={**PINNED_ENV, **dict.fromkeys(UNSET_ENV)})


@pytest.fixture
def article_text() -> str:
    """The seed article, or a skip with the reason where shared/ is absent."""
    if not ARTICLE.is_file():
        pytest.skip(f"seed article not found at {ARTICLE}; the coverage tests need ../shared/")
    return ARTICLE.read_text(encoding="utf-8")


def env_without_tradecli() -> dict[str, str]:
    """The current environment with tradecli's own variables removed, for subprocess runs."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET_ENV}
    env.update(PINNED_ENV)
    return env
