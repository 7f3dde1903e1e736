"""Shared fixtures: a CLI runner on a pinned terminal, and paths to the data and the article."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from typer.testing import CliRunner

from tradecli.store import Store, load

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
    """The primary article, or a skip with the reason where shared/ is absent."""
    if not ARTICLE.is_file():
        pytest.skip(
            f"the primary article is not found at {ARTICLE}; the coverage tests need ../shared/"
        )
    return ARTICLE.read_text(encoding="utf-8")


def env_without_tradecli() -> dict[str, str]:
    """The current environment with tradecli's own variables removed, for subprocess runs."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET_ENV}
    env.update(PINNED_ENV)
    return env


@pytest.fixture(scope="session", autouse=True)
def click_command_built_once() -> Iterator[None]:
    """Typer's CliRunner rebuilds the Click command on every call (~50 ms); build it once."""
    with pytest.MonkeyPatch.context() as patch:
        if hasattr(typer.testing, "_get_command"):
            patch.setattr(typer.testing, "_get_command", functools.cache(typer.main.get_command))
        yield


@pytest.fixture(scope="session")
def store() -> Store:
    """The bundled fact store (modules about other files override this fixture)."""
    return load(BUNDLED)


@pytest.fixture
def raw() -> dict[str, Any]:
    """The bundled fact file as plain JSON, a fresh copy per test, to compute expectations."""
    return json.loads(BUNDLED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def as_record(model: Any) -> Any:
    """The record of a schema model built in a test, as a store would hold it after validation."""
    from tradecli.load import schema

    return schema.RECORDS[type(model)].from_json(model.model_dump(mode="json"))
