"""The one module that relies on Typer's internals: fast checks of option values, and names.

Fast checks of tradecli's option values, so a command starts without loading pydantic.

Typer checks every parameter value, given or default, through a pydantic TypeAdapter, and
building the first one imports about a tenth of a second of pydantic on every run. tradecli's
options are words, output formats and bounded numbers: ``seed`` gives each parameter a check that
answers those plain values itself and hands anything else (a path, a malformed or out-of-range
number, an unknown format) to Typer's own check, so values and error messages stay Typer's.

This relies on Typer internals; on a Typer without them, ``seed`` does nothing and tradecli
checks its options at Typer's own speed. pyproject.toml pins the Typer versions it is tested
against, and tests/test_params.py fails when the installed Typer lacks what it uses.
"""

from __future__ import annotations

import math
import re
import typing
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer._click import Command, Context, Parameter
    from typer._coercion import TypeDescriptor

try:
    from typer._click.core import Command as _Command
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice
    from typer.core import _TyperParameter
except ImportError:  # a Typer without these internals
    SUPPORTED = False
else:
    SUPPORTED = (
        hasattr(_TyperParameter, "get_runtime_param")
        and getattr(RuntimeParam, "__abstractmethods__", None) == frozenset({"_coerce_value"})
        and hasattr(_Command, "get_help_option")
    )

_TYPER_DECIDES = object()  # marks a value that only Typer's own check may answer

# Numbers as people type them; anything fancier ("1e3", "+5", "1_000", "inf") is Typer's to read.
# The digit limits keep every accepted number exact and finite, as Typer would give it.
_PLAIN_INT = re.compile(r"-?[0-9]{1,18}")
_PLAIN_FLOAT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")


def command_name(info: Any) -> str:
    """The name a registered command runs under, as Typer derives it from the function."""
    from typer.main import get_command_name

    return info.name or get_command_name(getattr(info.callback, "__name__", ""))


def seed(command: Command, ctx: Context) -> None:
    """Give the parameters of a command about to parse its arguments in ``ctx`` the fast check.

    That includes its ``--help`` option, which Click makes for that context. A parameter whose
    check Typer has already built keeps it.
    """
    if not SUPPORTED:
        return
    for param in [*command.params, command.get_help_option(ctx)]:
        _seed_param(param)


def seed_subcommand(parent: Context, name: str, command: Command) -> None:
    """Seed a subcommand that ``parent`` resolved, and every command of a group beneath it."""
    if not SUPPORTED:
        return
    # The context Click will make for the subcommand, built the same way: its --help option
    # takes its names from it.
    ctx = command.context_class(command, info_name=name, parent=parent, **command.context_settings)
    seed(command, ctx)
    for sub_name, subcommand in getattr(command, "commands", {}).items():
        seed_subcommand(ctx, sub_name, subcommand)


def _seed_param(param: Parameter | None) -> None:
    if (
        isinstance(param, _TyperParameter)
        and getattr(param, "_runtime_param", False) is None
        and hasattr(param, "type_descriptor")
    ):
        descriptor = param.type_descriptor
        param._runtime_param = FastRuntimeParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )


if SUPPORTED:

    class FastRuntimeParam(RuntimeParam):
        """Checks plain words, formats and numbers itself; Typer's own check does the rest."""

        def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
            if param.nargs == 1 and not param.multiple:
                checked = _check(param.type_descriptor, value, ctx)
                if checked is not _TYPER_DECIDES:
                    return checked
            elif _plain_words(param, value):  # WORDS...: a list of text, as Typer gives it
                return list(value)
            # From now on Typer alone checks this parameter, as if tradecli had not seeded it.
            typer_own = build_runtime_param(param.type_descriptor)
            param._runtime_param = typer_own
            return typer_own._coerce_value(value, param=param, ctx=ctx)


def _plain_words(param: Any, value: Any) -> bool:
    """True for the words of a variadic text argument (``list[str]``, nargs -1)."""
    annotation = param.type_descriptor.annotation
    return (
        param.nargs == -1
        and not param.multiple
        and typing.get_origin(annotation) is list
        and typing.get_args(annotation) == (str,)
        and type(value) is tuple
        and len(value) > 0
        and all(type(word) is str for word in value)
    )


def _check(descriptor: TypeDescriptor, value: Any, ctx: Context) -> Any:
    """The value Typer would give for a plain value, or _TYPER_DECIDES for any other."""
    annotation = descriptor.annotation
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None:
        return _TYPER_DECIDES
    if annotation is str or annotation is bool:
        return value if type(value) is annotation else _TYPER_DECIDES
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _check_choice(descriptor, value, ctx)
    if (annotation is int or annotation is float) and not info.clamp:
        return _check_number(annotation, info.min, info.max, value)
    return _TYPER_DECIDES


def _check_choice(descriptor: TypeDescriptor, value: Any, ctx: Context) -> Any:
    choices = descriptor.choices
    if choices is None:
        return _TYPER_DECIDES
    # Identity, not equality: "json" equals Format.JSON, yet the command must get the member.
    if any(value is choice for choice in choices):
        return value
    if type(value) is not str:
        return _TYPER_DECIDES
    try:
        return coerce_cli_choice(
            value, choices=choices, case_sensitive=descriptor.case_sensitive, ctx=ctx
        )
    except ValueError:  # not a choice: Typer words the error
        return _TYPER_DECIDES


def _check_number(kind: type[float], low: float | None, high: float | None, value: Any) -> Any:
    if type(value) is kind:  # a default, already a number
        return value if within(value, low=low, high=high) else _TYPER_DECIDES
    number = plain_number(kind, value, low=low, high=high) if type(value) is str else None
    return _TYPER_DECIDES if number is None else number  # out of range: Typer words the error


def plain_number(
    kind: type[float], text: str, *, low: float | None, high: float | None
) -> float | None:
    """The int or float a plain number within its option's bounds stands for; None for any
    other text, which only Typer reads (and words the error for)."""
    if not (_PLAIN_INT if kind is int else _PLAIN_FLOAT).fullmatch(text):
        return None
    number = kind(text)
    return number if within(number, low=low, high=high) else None


def within(number: float, *, low: float | None, high: float | None) -> bool:
    """Whether a number is finite and within an option's bounds."""
    return (
        math.isfinite(number)
        and (low is None or number >= low)
        and (high is None or number <= high)
    )
