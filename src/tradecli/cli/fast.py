"""Answer a plain command line without importing Typer, from the commands' own declarations.

Importing Typer is most of a run's start-up on the bundled data. A command line made only of
the global ``--data`` and ``--no-cache``, a command, and that command's options and arguments,
each spelled plainly with a plain value, is parsed here as Click would parse it and run through
the same ``context.answering`` as the Typer app. ``parse`` declines anything else, before
anything is run or written, and the Typer app answers it: help, ``--version``, shell completion,
an unknown command or option, a missing or odd value (``-1``, ``1e3``, an unknown format), a
repeated option, ``--``, bundled short options (``-lf json``), ``-fjson``.

A value is taken here only where Typer would take the same value (tests/test_fast.py runs every
golden command line both ways), so an answer never depends on the path that gave it.
"""

from __future__ import annotations

import math
import os
import re
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

from tradecli.cli.context import Settings, answering
from tradecli.cli.declare import Argument, Command, Option, declared, is_context

COMPLETION_ENV = "_TRADECLI_COMPLETE"
"""Set by the shell's completion script: Typer answers it, with every command."""
ROOT_FLAGS = frozenset({"--no-cache"})
ROOT_VALUES = frozenset({"--data"})
"""The global options (``tradecli.cli.root``) a command line may give before the command."""

# Numbers as people type them; anything fancier ("1e3", "+5", "1_000", "inf") is Typer's to read.
# The digit limits keep every accepted number exact and finite, as Typer would give it.
_PLAIN_INT = re.compile(r"-?[0-9]{1,18}")
_PLAIN_FLOAT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
_DECLINE = object()


# Plain classes, not dataclasses: making a dataclass costs about half a millisecond, and this
# module exists to save start-up time.


class Run:
    """What the context of a run is to a command and its options' callbacks."""

    __slots__ = ("command_path", "obj", "params")

    def __init__(self, obj: Settings, command_path: str, params: dict[str, Any]) -> None:
        self.obj = obj
        self.command_path = command_path
        self.params = params

    def find_root(self) -> Run:
        """The whole command line's context: this one, which holds the settings."""
        return self


_EMPTY = object()


class _Parameter:
    __slots__ = ("declaration", "default", "flag", "kind", "name", "required", "variadic")

    def __init__(self, name: str, kind: Any, declaration: Option | Argument, default: Any) -> None:
        self.name = name
        self.kind = kind
        self.declaration = declaration
        self.default = default
        self.required = default is _EMPTY
        self.flag = kind is bool
        self.variadic = typing.get_origin(kind) is list


class Parsed(NamedTuple):
    """A command line this module answers: the command, its values and the global options."""

    command: Command
    values: dict[str, Any]
    callbacks: list[tuple[Any, Any]]
    context: str | None
    data: str | None
    cache: bool


class _Table(NamedTuple):
    """A command's parameters as the parser needs them."""

    options: dict[str, _Parameter]
    arguments: list[_Parameter]
    context: str | None
    order: list[_Parameter]


def parse(args: list[str]) -> Parsed | None:
    """The command line, parsed, if this module answers it; None for the Typer app to answer."""
    if COMPLETION_ENV in os.environ:
        return None
    data: str | None = None
    cache = True
    position = 0
    seen: set[str] = set()
    while position < len(args):
        word = args[position]
        name, equals, value = word.partition("=")
        if name in seen:
            return None
        if word in ROOT_FLAGS:
            cache = False
        elif name in ROOT_VALUES:
            if not equals:
                position += 1
                if position == len(args):
                    return None
                value = args[position]
            if not _plain(value):
                return None
            data = value
        elif word.startswith("-"):
            return None
        else:
            break
        seen.add(name)
        position += 1
    if position == len(args):
        return None
    command = _command(args[position])
    if command is None:
        return None
    table = _table(command)
    if table is None:
        return None
    values = _values(table, args[position + 1 :])
    if values is None:
        return None
    given, order = values
    callbacks = [
        (parameter.declaration.settings["callback"], given[parameter.name])
        for parameter in order
        if parameter.declaration.settings.get("callback") is not None
    ]
    # Typer gives an option that keeps its value to itself (expose_value=False) None.
    exposed = {
        parameter.name: given[parameter.name] if _exposed(parameter) else None
        for parameter in table.order
    }
    return Parsed(
        command=command,
        values=exposed,
        callbacks=callbacks,
        context=table.context,
        data=data,
        cache=cache,
    )


def answer(parsed: Parsed) -> None:
    """Run a parsed command line: its options' callbacks, then the command, as Click runs them."""
    run = Run(
        Settings(data=parsed.data, cache=parsed.cache),
        f"tradecli {parsed.command.name}",
        {"data": parsed.data, "no_cache": not parsed.cache, "version": False},
    )
    values = dict(parsed.values)
    if parsed.context is not None:
        values[parsed.context] = run
    with answering():
        for callback, value in parsed.callbacks:
            callback(run, value)
        parsed.command(**values)


def _exposed(parameter: _Parameter) -> bool:
    return parameter.declaration.settings.get("expose_value", True) is not False


def _command(name: str) -> Command | None:
    from tradecli.cli.commands import COMMANDS

    return next((command for command in COMMANDS if command.name == name), None)


_TABLES: dict[str, _Table | None] = {}


def _table(command: Command) -> _Table | None:
    """The command's options by name and its arguments in order; None if one of them is of a
    kind this module does not parse (Typer then answers)."""
    if command.name in _TABLES:
        return _TABLES[command.name]
    options: dict[str, _Parameter] = {}
    arguments: list[_Parameter] = []
    order: list[_Parameter] = []
    context = None
    found: _Table | None = None
    for parameter in command.parameters():
        kind, declaration = declared(parameter.annotation)
        if declaration is None:
            if not is_context(kind):
                break
            context = parameter.name
            continue
        default = _EMPTY if parameter.default is parameter.empty else parameter.default
        entry = _Parameter(parameter.name, _value_kind(kind), declaration, default)
        if not _parsable(entry):
            break
        order.append(entry)
        if isinstance(declaration, Argument):
            arguments.append(entry)
            continue
        names = declaration.names or (f"--{parameter.name.replace('_', '-')}",)
        if any("/" in name for name in names):
            break
        options.update(dict.fromkeys(names, entry))
    else:
        found = _Table(options=options, arguments=arguments, context=context, order=order)
    _TABLES[command.name] = found
    return found


def _value_kind(kind: Any) -> Any:
    """``X | None`` as X: the kind of value a given option holds."""
    members = [member for member in typing.get_args(kind) if member is not type(None)]
    if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(members) == 1:
        return members[0]
    return kind


def _parsable(parameter: _Parameter) -> bool:
    settings = parameter.declaration.settings
    if settings.get("parser") is not None or settings.get("clamp") or settings.get("is_eager"):
        return False
    kind = parameter.kind
    if parameter.variadic:
        return isinstance(parameter.declaration, Argument) and typing.get_args(kind) == (str,)
    return kind in (str, bool, int, float, Path) or (
        isinstance(kind, type) and issubclass(kind, Enum)
    )


def _values(table: _Table, words: list[str]) -> tuple[dict[str, Any], list[_Parameter]] | None:
    """Each parameter's value from the words after the command, and the parameters in the order
    Click processes them: the options given, as given, then the rest as declared (only options
    have callbacks, so where the arguments fall does not matter); None to decline."""
    given: dict[str, Any] = {}
    invoked: list[_Parameter] = []
    positional: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if not word.startswith("-") or word == "-":
            if word == "-":
                return None
            positional.append(word)
            continue
        name, equals, text = word.partition("=")
        if not name.startswith("--"):
            equals, text = "", ""  # -f=json is Click's -f with the value "=json": not ours
            name = word
        parameter = table.options.get(name)
        if parameter is None or parameter.name in given:
            return None
        if parameter.flag:
            if equals:
                return None
            value: Any = True
        else:
            if not equals:
                if position == len(words):
                    return None
                text = words[position]
                position += 1
            if not _plain(text):
                return None
            value = _convert(parameter, text)
            if value is _DECLINE:
                return None
        given[parameter.name] = value
        invoked.append(parameter)
    for parameter in table.arguments:
        if parameter.variadic:
            words_left, positional = positional, []
            if not words_left and parameter.required:
                return None
            if words_left:
                given[parameter.name] = words_left
                invoked.append(parameter)
        elif positional:
            given[parameter.name] = positional.pop(0)
            invoked.append(parameter)
        elif parameter.required:
            return None
    if positional:
        return None  # more words than arguments: Typer words the error
    rest = [parameter for parameter in table.order if parameter not in invoked]
    for parameter in rest:
        given[parameter.name] = parameter.default
    return given, [*invoked, *rest]


def _plain(text: str) -> bool:
    """A value Click takes as it stands: not empty, and not one that could be read as an
    option."""
    return bool(text) and not text.startswith("-")


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


def _convert(parameter: _Parameter, text: str) -> Any:
    """The value Typer gives for this text, or _DECLINE where Typer must decide (and word the
    error)."""
    kind = parameter.kind
    settings = parameter.declaration.settings
    if kind is str:
        return text
    if kind is Path:
        return Path(text)
    if kind is int or kind is float:
        number = plain_number(kind, text, low=settings.get("min"), high=settings.get("max"))
        return _DECLINE if number is None else number
    if isinstance(kind, type) and issubclass(kind, Enum):
        folded = settings.get("case_sensitive", True) is False and text.isascii()
        for member in kind:
            if member.value == text or (folded and member.value == text.lower()):
                return member
        return _DECLINE
    return _DECLINE
