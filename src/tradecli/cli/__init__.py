"""The command line: parse arguments, call a query, hand the result to a renderer.

``root`` holds the app (the root command, with every command of ``commands`` and ``export``);
``options`` the options they share, ``context`` the settings and messages, ``output`` how an
answer is written, and ``params`` the fast check of option values.
"""

from tradecli.cli.context import Settings, report, settings
from tradecli.cli.root import app, app_for, main

__all__ = ["Settings", "app", "app_for", "main", "report", "settings"]
