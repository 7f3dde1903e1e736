"""The declarations of each kind of fact, and what derives from them: models, records, schema.

A record holds exactly what its derived model validated, field by field; each field's type
annotation (for the type checker) says what its declaration says.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, ROOT, env_without_tradecli
from tradecli.facts import kinds
from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Record, Shape
from tradecli.facts.kinds import COLLECTIONS, KIND_OF, KINDS, PARTS
from tradecli.load import schema

DECLARED = [*KINDS, *PARTS]


def test_every_collection_has_a_kind_and_a_model() -> None:
    """The fact file's collections are the kinds', each validated by the model of its kind."""
    assert tuple(schema.FactFile.model_fields)[3:] == COLLECTIONS
    for collection, kind in KIND_OF.items():
        annotation = schema.FactFile.model_fields[collection].annotation
        (model,) = typing.get_args(annotation)
        assert model is schema.MODELS[kind]
        assert schema.RECORDS[model] is kind


@pytest.mark.parametrize("kind", DECLARED, ids=[kind.__name__ for kind in DECLARED])
def test_a_model_has_its_kinds_fields_in_order(kind: type[Record]) -> None:
    """Same names, same order, each with its description: a record's JSON is its model's JSON."""
    model = schema.MODELS[kind]
    assert tuple(model.model_fields) == tuple(field.name for field in kind.FIELDS)
    for field in kind.FIELDS:
        info = model.model_fields[field.name]
        assert info.description == field.description
        assert info.is_required() == field.required


_SHAPE_TYPES = {
    Shape.TEXT: str,
    Shape.ID: str,
    Shape.REF: str,
    Shape.DATE: PartialDate,
    Shape.PERCENT: float,
    Shape.NUMBER: float,
}


@pytest.mark.parametrize("kind", DECLARED, ids=[kind.__name__ for kind in DECLARED])
def test_each_annotation_says_what_its_declaration_says(kind: type[Record]) -> None:
    """The annotation the type checker reads agrees with the declaration tradecli reads."""
    hints = typing.get_type_hints(kind)
    for field in kind.FIELDS:
        if field.shape is Shape.VOCAB:
            value: Any = field.vocab
        elif field.shape is Shape.PART:
            value = field.part
        else:
            value = _SHAPE_TYPES[field.shape]
        expected = list[value] if field.many else value | None if field.nullable else value
        assert hints[field.name] == expected, f"{kind.__name__}.{field.name}"


def test_every_field_is_described_and_every_reference_names_kinds() -> None:
    """A one-line description on every field; references name collections that exist."""
    for kind in DECLARED:
        for field in kind.FIELDS:
            assert field.description.strip(), f"{kind.__name__}.{field.name}"
            assert "\n" not in field.description
            if field.shape is Shape.REF:
                assert field.targets, field
                assert field.targets <= set(COLLECTIONS), field
            else:
                assert not field.targets, field


def test_every_schema_property_has_a_description() -> None:
    """The JSON Schema describes every field of every kind."""
    document = schema.json_schema()
    for name, definition in document["$defs"].items():
        assert definition.get("description"), name
        for prop, body in definition.get("properties", {}).items():
            assert body.get("description"), f"{name}.{prop}"


def _records(dump: dict[str, Any]) -> dict[str, list[Any]]:
    return {c: [KIND_OF[c].from_json(item) for item in dump[c]] for c in COLLECTIONS}


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
        facts = _records(dump)
        for collection in COLLECTIONS:
            built = facts[collection]
            assert len(built) == len(dump[collection])
            for record, data in zip(built, dump[collection], strict=True):
                assert record.to_json() == data
                assert list(record.to_json()) == list(data)


def _assert_same_values(model: Any, record: Any) -> None:
    """Each field holds what the model holds: dates, enums and nested parts of the same types."""
    for name in (field.name for field in record.FIELDS):
        expected = getattr(model, name)
        actual = getattr(record, name)
        if isinstance(expected, list) and expected and hasattr(type(expected[0]), "model_fields"):
            for inner_model, inner_record in zip(expected, actual, strict=True):
                _assert_same_values(inner_model, inner_record)
            continue
        if hasattr(type(expected), "model_fields"):  # one nested part
            _assert_same_values(expected, actual)
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
    facts = _records(model.model_dump(mode="json"))
    for collection in COLLECTIONS:
        for expected, actual in zip(getattr(model, collection), facts[collection], strict=True):
            _assert_same_values(expected, actual)


def test_records_are_immutable_and_replace_checks_names() -> None:
    """Setting a field fails; replace() copies, and refuses a field the record lacks."""
    dump = _validated(BUNDLED)
    measure = kinds.Measure.from_json(dump["tariffs"][0])
    with pytest.raises(AttributeError):
        measure.title = "changed"  # type: ignore[misc]
    changed = measure.replace(title="changed")
    assert (changed.title, measure.title) == ("changed", dump["tariffs"][0]["title"])
    assert changed.to_json()["title"] == "changed"
    with pytest.raises(TypeError, match="no field 'colour'"):
        measure.replace(colour="red")
    facts = _records(dump)
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
        "validating = ('tradecli.load.schema', 'pydantic.main', 'tradecli.load.checks',"
        " 'tradecli.load.jsonlocate')\n"
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
        "['pydantic.main', 'tradecli.load.checks', 'tradecli.load.jsonlocate', "
        "'tradecli.load.schema']"
    ), "the first run validates"
    assert runs[1].stderr == "[]"
    assert json.loads(runs[1].stdout) == json.loads(runs[0].stdout)


def _run_copy(package: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**env_without_tradecli(), "PYTHONPATH": str(package), "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "tradecli", *args], capture_output=True, text=True, env=env
    )


def test_one_line_adds_a_field_everywhere(tmp_path: Path) -> None:
    """An optional text field declared in one line is validated, in the JSON Schema, in the
    export, in show and in JSON output, with no other source edit."""
    package = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "tradecli",
        package / "tradecli",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    declarations = package / "tradecli" / "facts" / "kinds.py"
    anchor = '    ends: PartialDate | None = f.date("When it ends.")\n'
    line = '    legal_basis: str | None = f.text("The law the measure rests on.", searched=True)\n'
    text = declarations.read_text(encoding="utf-8")
    assert text.count(anchor) == 1
    declarations.write_text(text.replace(anchor, anchor + line), encoding="utf-8")

    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    basis = "section 53 of the Customs Tariff"
    for measure in data["tariffs"]:
        if measure["id"] == "canada-ev-surtax":
            measure["legal_basis"] = basis
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(data), encoding="utf-8")
    cache = tmp_path / "cache"

    # Without the line the field is unknown: it is the line that makes it a field.
    original = _run_copy(ROOT / "src", "--data", str(facts), "validate", cache=cache)
    assert original.returncode == 3
    assert "unknown field 'legal_basis'" in original.stderr

    assert _run_copy(package, "--data", str(facts), "validate", cache=cache).returncode == 0
    wrong = json.loads(facts.read_text(encoding="utf-8"))
    wrong["tariffs"][0]["legal_basis"] = 5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(wrong), encoding="utf-8")
    refused = _run_copy(package, "--data", str(bad), "validate", cache=cache)
    assert refused.returncode == 3
    assert "tariffs[0].legal_basis" in refused.stderr

    printed = _run_copy(package, "schema", cache=cache)
    measure_schema = json.loads(printed.stdout)["$defs"]["Measure"]["properties"]
    assert measure_schema["legal_basis"]["description"] == "The law the measure rests on."

    shown = _run_copy(
        package, "--data", str(facts), "show", "canada-ev-surtax", "-f", "json", cache=cache
    )
    assert json.loads(shown.stdout)["fields"]["legal_basis"] == basis
    listed = _run_copy(package, "--data", str(facts), "tariffs", "-f", "json", cache=cache)
    assert json.loads(listed.stdout)[0]["fields"]["legal_basis"] == basis
    table = _run_copy(package, "--data", str(facts), "show", "canada-ev-surtax", cache=cache)
    assert "legal basis" in table.stdout
    assert basis in " ".join(table.stdout.split())

    database = tmp_path / "facts.db"
    exported = _run_copy(
        package, "--data", str(facts), "export", "sqlite", str(database), cache=cache
    )
    assert exported.returncode == 0, exported.stderr
    with sqlite3.connect(database) as connection:
        (sql,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'tariffs'"
        ).fetchone()
        assert '"legal_basis" TEXT, -- The law the measure rests on.' in sql
        found = connection.execute(
            "SELECT legal_basis FROM tariffs WHERE id = 'canada-ev-surtax'"
        ).fetchone()
        assert found == (basis,)
        hits = connection.execute(
            "SELECT count(*) FROM tariffs_fts WHERE tariffs_fts MATCH 'customs'"
        ).fetchone()
        assert hits == (1,)
