"""The command line: parse arguments, call a query, hand the result to a renderer.

``root`` is the Typer app: the global options, and every command from ``commands`` and
``export``, which declare their parameters as Typer's. ``options`` holds the options listings
share, ``context`` the settings and messages, ``output`` how an answer is written, and
``params`` Typer's check of option values without pydantic. ``entry`` runs a command line.

``app``, ``app_for`` and ``main`` are imported on first use: ``main`` imports the app inside its
error handling, so that even a failure while Typer and the commands load ends without a
traceback; and importing ``context`` or ``options`` alone does not build the app.
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
