"""The command line: parse arguments, call a query, hand the result to a renderer.

``declare`` says how a command declares its options, ``commands`` and ``export`` hold the
commands, ``options`` the options they share, ``context`` the settings and messages, ``output``
how an answer is written. ``entry`` runs a command line: ``fast`` answers a plain one without
importing Typer, ``root`` builds the Typer app for everything else (help, errors, completion),
and ``params`` is its fast check of option values.

``app``, ``app_for`` and ``main`` are imported on first use, so that importing a command does not
import Typer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradecli.cli.context import Settings, report, settings

if TYPE_CHECKING:
    from tradecli.cli.entry import main
    from tradecli.cli.root import app, app_for

__all__ = ["Settings", "app", "app_for", "main", "report", "settings"]


def __getattr__(name: str) -> Any:
    if name in ("app", "app_for"):
        from tradecli.cli import root

        return getattr(root, name)
    if name == "main":
        from tradecli.cli.entry import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
