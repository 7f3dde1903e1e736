"""How a command declares itself, once, without Typer: its options, its arguments, its context.

A command is a plain function whose parameters are ``Annotated[type, Option(...)]`` or
``Annotated[type, Argument(...)]``, wrapped by ``Command``. Two readers derive everything from
those declarations: ``tradecli.cli.root`` turns them into Typer's options (help, errors,
completion, anything unusual), and ``tradecli.cli.fast`` parses a plain command line with them
and answers without importing Typer at all, which is most of a run's start-up.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class Option:
    """An option: its names (none: Typer's default from the parameter's name) and what
    ``typer.Option`` is told of it (help, metavar, callback, min, ...)."""

    __slots__ = ("names", "settings")

    def __init__(self, *names: str, **settings: Any) -> None:
        self.names = names
        self.settings = settings


class Argument:
    """A positional argument, and what ``typer.Argument`` is told of it."""

    __slots__ = ("settings",)

    def __init__(self, **settings: Any) -> None:
        self.settings = settings


class Context(Protocol):
    """What commands and option callbacks use of a run's context, Typer's or the fast path's."""

    obj: Any
    params: dict[str, Any]

    @property
    def command_path(self) -> str:
        """The words that ran the command: ``tradecli tariffs``."""
        ...

    def find_root(self) -> Context:
        """The context of the whole command line, which holds the global settings."""
        ...


Shared = Sequence[tuple[str, Any, Any]]
"""Options several commands take, added after a command's own: (name, annotation, default)."""


class Command:
    """A declared command: the function, and its parameters as both readers see them.

    Its parameters are read from the function's signature when first asked for, so a run reads
    only its own command's annotations.
    """

    def __init__(self, function: Callable[..., Any], shared: Shared = ()) -> None:
        functools.update_wrapper(self, function)
        self.function = function
        self.shared = shared
        self._parameters: list[inspect.Parameter] | None = None

    @property
    def name(self) -> str:
        """The word that runs it, as Typer derives it from the function's name."""
        return self.function.__name__.lower().replace("_", "-")

    def parameters(self) -> list[inspect.Parameter]:
        """Every parameter, keyword-only, annotations evaluated: the command's own, then the
        shared ones."""
        if self._parameters is None:
            own = inspect.signature(self.function, eval_str=True).parameters.values()
            self._parameters = [
                *(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in own),
                *(
                    inspect.Parameter(
                        name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default
                    )
                    for name, kind, default in self.shared
                ),
            ]
        return self._parameters

    def __call__(self, **values: Any) -> Any:
        for name, _kind, _default in self.shared:
            values.pop(name, None)  # they reach Settings through their options' callbacks
        return self.function(**values)


def declared(annotation: Any) -> tuple[Any, Option | Argument | None]:
    """A parameter's value type and its declaration; (annotation, None) for one without, such as
    the context."""
    if typing.get_origin(annotation) is typing.Annotated:
        kind, *extras = typing.get_args(annotation)
        found = [extra for extra in extras if isinstance(extra, Option | Argument)]
        return kind, found[0] if found else None
    return annotation, None


def is_context(annotation: Any) -> bool:
    """Whether a parameter receives the run's context rather than a value."""
    return annotation is Context
