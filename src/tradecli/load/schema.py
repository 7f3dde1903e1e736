"""The pydantic models that validate a fact file, and its JSON Schema, derived from declarations.

Each kind and part of ``tradecli.facts.kinds`` becomes a model with the same fields in the same
order: immutable, refusing unknown fields, with each field's description and each kind's rules.
Only the first reading of a file uses them; ``record_of`` turns a validated model into the record
that queries read.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal

import pydantic
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from tradecli.facts.dates import PATTERN_TEXT, PartialDate
from tradecli.facts.fields import Field, Record, Shape
from tradecli.facts.kinds import KINDS, PARTS

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


def _parse_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date string as YYYY, YYYY-MM or YYYY-MM-DD")
    return _date_of_text(value)


# A large file writes the same few thousand dates again and again; a PartialDate is immutable.
_date_of_text = functools.lru_cache(maxsize=8192)(PartialDate.parse)
_date_text = functools.lru_cache(maxsize=8192)(str)


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected the number 1, not a boolean")
    return value


# The type of one value of each shape. A lone surrogate (a \uD800-style escape without its pair)
# cannot reach the models: load.read.parse_json refuses it, with its line and column.
_ID = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
_VALUE_TYPES: dict[Shape, Any] = {
    Shape.TEXT: Annotated[str, StringConstraints(min_length=1)],
    Shape.ID: _ID,
    Shape.REF: _ID,
    Shape.DATE: Annotated[
        PartialDate,
        PlainValidator(_parse_date),
        PlainSerializer(_date_text, return_type=str),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": PATTERN_TEXT,
                "description": (
                    "A date known to the year (YYYY), the month (YYYY-MM) or the day (YYYY-MM-DD)."
                ),
            }
        ),
    ],
    Shape.PERCENT: Annotated[float, pydantic.Field(ge=0, allow_inf_nan=False, strict=True)],
    Shape.NUMBER: Annotated[float, pydantic.Field(allow_inf_nan=False, strict=True)],
}


class Model(BaseModel):
    """Base of every model: immutable, and unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


# pydantic's stubs cannot follow fields given as a mapping.
_create_model: Any = pydantic.create_model

MODELS: dict[type[Record], type[Model]] = {}
"""The model of each kind and part."""
RECORDS: dict[type[Model], type[Record]] = {}
"""The record of each model."""


def _annotation(field: Field) -> Any:
    if field.shape is Shape.VOCAB:
        value: Any = field.vocab
    elif field.shape is Shape.PART:
        assert field.part is not None
        value = MODELS[field.part]
    else:
        value = _VALUE_TYPES[field.shape]
    if field.many:
        return list[value]
    return value | None if field.nullable else value


def _definition(field: Field) -> tuple[Any, Any]:
    options: dict[str, Any] = {"description": field.description}
    if not field.required:
        options["default"] = field.default
    if field.min_items:
        options["min_length"] = field.min_items
    return _annotation(field), pydantic.Field(**options)


def _rules_validator(kind: type[Record]) -> Any:
    rules = kind.RULES

    def check(model: Any) -> Any:
        for rule in rules:
            message = rule(model)
            if message is not None:
                raise ValueError(message)
        return model

    return model_validator(mode="after")(check)


def _derive(kind: type[Record]) -> type[Model]:
    model: type[Model] = _create_model(
        kind.__name__,
        __base__=Model,
        __doc__=kind.__doc__,
        __module__=__name__,
        __validators__={"_rules": _rules_validator(kind)} if kind.RULES else None,
        **{field.name: _definition(field) for field in kind.FIELDS},
    )
    MODELS[kind] = model
    RECORDS[model] = kind
    return model


for _kind in (*PARTS, *KINDS):  # parts first: kinds nest them
    _derive(_kind)


FactFile: type[Model] = _create_model(
    "FactFile",
    __config__=ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"title": "tradecli fact file"},
    ),
    __doc__="A tradecli fact file.",
    __module__=__name__,
    schema_=(
        str | None,
        pydantic.Field(
            default=None, alias="$schema", description="The JSON Schema this file follows."
        ),
    ),
    format_version=(
        Annotated[Literal[1], BeforeValidator(_no_bool)],
        pydantic.Field(description="The fact-file format version: 1."),
    ),
    title=(
        _VALUE_TYPES[Shape.TEXT] | None,
        pydantic.Field(default=None, description="What the facts of this file are about."),
    ),
    **{
        kind.COLLECTION: (
            list[MODELS[kind]],  # type: ignore[valid-type]
            pydantic.Field(default=[], description=kind.__doc__),
        )
        for kind in KINDS
    },
)

COLLECTION_MODELS: dict[str, type[Model]] = {kind.COLLECTION: MODELS[kind] for kind in KINDS}
"""The model of each collection's facts."""


def record_of(model: Any) -> Any:
    """The record of a validated model: equal to ``from_json`` of its JSON dump, built faster.

    The model's values are already what a record holds (dates, enums, floats), so they are
    shared, not dumped to JSON and read back.
    """
    kind, plan = _plan(type(model))
    record = object.__new__(kind)
    values = record.__dict__
    fields = model.__dict__
    for name, holds_parts in plan:
        value = fields[name]
        if holds_parts and value is not None:
            value = list(map(record_of, value)) if type(value) is list else record_of(value)
        values[name] = value
    return record


_PLANS: dict[type[Model], tuple[type[Record], tuple[tuple[str, bool], ...]]] = {}


def _plan(model: type[Model]) -> tuple[type[Record], tuple[tuple[str, bool], ...]]:
    plan = _PLANS.get(model)
    if plan is None:
        kind = RECORDS[model]
        fields = tuple((field.name, field.shape is Shape.PART) for field in kind.FIELDS)
        plan = _PLANS[model] = (kind, fields)
    return plan


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a fact file."""
    document = FactFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
