"""The benchmark generator writes valid fact files of the requested size, the same per seed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT
from tradecli.facts.kinds import COLLECTIONS
from tradecli.store import load

GENERATOR = ROOT / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    """benchmarks/generate.py, imported as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("benchmarks_generate", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("total", [300, 1234])
def test_generated_file_is_valid_with_every_kind(
    generate: ModuleType, tmp_path: Path, total: int
) -> None:
    """A generated file loads without problems, holds N facts and every kind of fact."""
    path = tmp_path / "facts.json"
    generate.generate(total, path)
    store = load(path)
    counts = {name: len(store.items(name)) for name in COLLECTIONS}
    assert sum(counts.values()) == total
    assert all(counts.values()), counts
    categories = {event.category.value for event in store.items("events")}
    assert categories == {"visit", "meeting", "background"}
    assert any(len(event.participants) >= 2 for event in store.items("events"))
    assert any(measure.lifecycle and measure.responds_to for measure in store.items("tariffs"))
    dates = [str(event.date) for event in store.items("events") if event.date is not None]
    assert {len(date) for date in dates} == {4, 7, 10}


def test_smallest_file_is_valid(generate: ModuleType, tmp_path: Path) -> None:
    """The smallest size the generator accepts still validates and holds every kind."""
    path = tmp_path / "facts.json"
    generate.generate(generate.MIN_FACTS, path)
    store = load(path)
    assert all(store.items(name) for name in COLLECTIONS)


def test_same_seed_gives_the_same_bytes(generate: ModuleType, tmp_path: Path) -> None:
    """Two runs with one seed write identical files; another seed writes a different one."""
    first, second, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    generate.generate(300, first, seed=11)
    generate.generate(300, second, seed=11)
    generate.generate(300, other, seed=12)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_command_line_writes_the_file(generate: ModuleType, tmp_path: Path) -> None:
    """The script's command line takes N, OUT and --seed."""
    path = tmp_path / "out" / "facts.json"
    assert generate.main(["120", str(path), "--seed", "3"]) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sum(len(data[name]) for name in COLLECTIONS) == 120
