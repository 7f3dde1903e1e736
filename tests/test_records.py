"""Records, the facts queries read, hold exactly what the schema validated, field by field."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, ROOT, env_without_tradecli
from tradecli import records, schema
from tradecli.dates import PartialDate
from tradecli.kinds import COLLECTIONS

PAIRS = [
    (getattr(schema, name), getattr(records, name))
    for name in (
        "Source",
        "Evidence",
        "Role",
        "Person",
        "Organisation",
        "Place",
        "Event",
        "LifecycleStep",
        "Measure",
        "Quote",
        "Statement",
        "Conflict",
    )
]


def test_every_collection_has_the_record_of_its_model() -> None:
    """The record type of each collection is named after the model its schema field holds."""
    assert tuple(records.RECORD_TYPES) == COLLECTIONS
    for collection, record_type in records.RECORD_TYPES.items():
        annotation = schema.FactFile.model_fields[collection].annotation
        (model,) = typing.get_args(annotation)
        assert record_type.__name__ == model.__name__


@pytest.mark.parametrize(("model", "record"), PAIRS, ids=[m.__name__ for m, _r in PAIRS])
def test_a_record_has_its_models_fields_in_order(model: Any, record: Any) -> None:
    """Same names, same order: a record's JSON is its model's JSON."""
    assert tuple(model.model_fields) == record.FIELDS


def _validated(path: Path) -> dict[str, Any]:
    return schema.FactFile.model_validate_json(path.read_bytes()).model_dump(mode="json")


def _generated(tmp_path: Path) -> Path:
    out = tmp_path / "generated.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "400", str(out)],
        check=True,
        env=env_without_tradecli(),
    )
    return out


def test_records_give_back_the_json_they_were_built_from(tmp_path: Path) -> None:
    """Bundled and generated facts (every kind and date precision) round-trip exactly."""
    for path in (BUNDLED, _generated(tmp_path)):
        dump = _validated(path)
        facts = records.FactFile.from_json(dump)
        for collection in COLLECTIONS:
            built = getattr(facts, collection)
            assert len(built) == len(dump[collection])
            for record, data in zip(built, dump[collection], strict=True):
                assert record.to_json() == data
                assert list(record.to_json()) == list(data)


def _assert_same_values(model: Any, record: Any) -> None:
    """Each field holds what the model holds: dates, enums and nested parts of the same types."""
    for name in record.FIELDS:
        expected = getattr(model, name)
        actual = getattr(record, name)
        if isinstance(expected, list) and expected and hasattr(type(expected[0]), "model_fields"):
            for inner_model, inner_record in zip(expected, actual, strict=True):
                _assert_same_values(inner_model, inner_record)
            continue
        assert actual == expected, f"{type(record).__name__}.{name}"
        assert type(actual) is type(expected), f"{type(record).__name__}.{name}"
        if isinstance(expected, StrEnum):
            assert actual is expected
        if isinstance(expected, PartialDate):
            assert actual.precision is expected.precision


def test_records_hold_the_same_values_as_the_models() -> None:
    """Attribute by attribute, a record equals the validated model it stands for."""
    model = schema.FactFile.model_validate_json(BUNDLED.read_bytes())
    facts = records.FactFile.from_json(model.model_dump(mode="json"))
    for collection in COLLECTIONS:
        for expected, actual in zip(
            getattr(model, collection), getattr(facts, collection), strict=True
        ):
            _assert_same_values(expected, actual)


def test_records_are_immutable_and_replace_checks_names() -> None:
    """Setting a field fails; replace() copies, and refuses a field the record lacks."""
    dump = _validated(BUNDLED)
    measure = records.Measure.from_json(dump["tariffs"][0])
    with pytest.raises(AttributeError):
        measure.title = "changed"  # type: ignore[misc]
    changed = measure.replace(title="changed")
    assert (changed.title, measure.title) == ("changed", dump["tariffs"][0]["title"])
    assert changed.to_json()["title"] == "changed"
    with pytest.raises(TypeError, match="no field 'colour'"):
        measure.replace(colour="red")
    facts = records.FactFile.from_json(dump)
    with pytest.raises(AttributeError):
        facts.tariffs = []  # type: ignore[misc]


def test_a_warm_query_never_loads_pydantic_models(tmp_path: Path) -> None:
    """Once a file has an index, a query loads neither the schema's models nor the checks."""
    probe = (
        "import sys\n"
        "from tradecli.cli import main\n"
        "sys.argv = ['tradecli', 'tariffs', '-f', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        "validating = ('tradecli.schema', 'pydantic.main', 'tradecli.checks',"
        " 'tradecli.jsonlocate')\n"
        "loaded = sorted(m for m in validating if m in sys.modules)\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    env = {**env_without_tradecli(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stderr == (
        "['pydantic.main', 'tradecli.checks', 'tradecli.jsonlocate', 'tradecli.schema']"
    ), "the first run validates"
    assert runs[1].stderr == "[]"
    assert json.loads(runs[1].stdout) == json.loads(runs[0].stdout)
