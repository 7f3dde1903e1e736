"""The fast path answers a plain command line as the Typer app does, and leaves it every other one.

``tradecli.cli.fast`` parses with the commands' own declarations and never imports Typer. Its
answers are checked against the golden files (written by the Typer app) and against the Typer
app itself on generated command lines; its option tables against the Click command Typer builds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED, PINNED_ENV, UNSET_ENV, env_without_tradecli
from test_golden import BUNDLED_CASES, FORMATS, GOLDEN, MINI, MINI_CASES
from tradecli.cli import app, fast
from tradecli.cli.commands import COMMANDS

ENV: dict[str, str | None] = {**PINNED_ENV, **dict.fromkeys(UNSET_ENV), "COLUMNS": "100"}


def _fast(argv: list[str]) -> dict[str, Any] | None:
    """Exit code, stdout and stderr of the fast path, in the CliRunner's isolation; None if
    it declines."""
    with CliRunner().isolation(env=ENV) as (out, err, _mixed):
        parsed = fast.parse(argv)
        if parsed is None:
            return None
        code: Any = 0
        try:
            fast.answer(parsed)
        except SystemExit as end:
            code = end.code or 0
        sys.stdout.flush()
        sys.stderr.flush()
        return {
            "exit": code,
            "stdout": out.getvalue().decode("utf-8"),
            "stderr": err.getvalue().decode("utf-8"),
        }


def _typer(argv: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, argv, env=ENV)
    return {"exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr}


def _golden_cases(name: str, cases: list[list[str]]) -> list[tuple[str, list[str], str]]:
    return [
        (name, [*args, "-f", fmt], " ".join([*args, "-f", fmt]))
        for args in cases
        for fmt in FORMATS
    ]


GOLDEN_CASES = [
    *_golden_cases("bundled", BUNDLED_CASES),
    *_golden_cases("mini", MINI_CASES),
]


@pytest.mark.parametrize(("name", "args", "key"), GOLDEN_CASES, ids=[c[2] for c in GOLDEN_CASES])
def test_every_golden_command_line_is_answered_on_the_fast_path(
    name: str, args: list[str], key: str
) -> None:
    """Each pinned command line is the fast path's, and it prints exactly what is pinned; the
    only ones it leaves to Typer are those Typer refuses as misspelt (exit 2, with its usage)."""
    data = BUNDLED if name == "bundled" else MINI
    expected = json.loads((GOLDEN / f"{name}-outputs.json").read_text(encoding="utf-8"))[key]
    found = _fast(["--data", str(data), *args])
    if found is None:
        assert expected["exit"] == 2, "declined a command line that Typer answers"
        assert expected["stderr"].startswith("Usage: tradecli"), expected["stderr"]
        return
    shown = {k: v.replace(str(data), "DATA") if isinstance(v, str) else v for k, v in found.items()}
    assert shown == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["-h"],
        ["--version"],
        ["tariffs", "--help"],
        ["tariffs", "-h"],
        ["tarifs"],
        ["export", "sqlite", "out.db"],
        ["--data"],
        ["--data", "--no-cache", "tariffs"],
        ["--data=", "tariffs"],
        ["--no-cache", "--no-cache", "tariffs"],
        ["--bogus", "tariffs"],
        ["tariffs", "--no-such-option"],
        ["tariffs", "--min-rate", "x"],
        ["tariffs", "--min-rate", "1e3"],
        ["tariffs", "--min-rate", "-5"],
        ["tariffs", "--min-rate"],
        ["tariffs", "--by", "china", "--by", "canada"],
        ["tariffs", "-f", "yaml"],
        ["tariffs", "-fjson"],
        ["tariffs", "-f=json"],
        ["tariffs", "-lf", "json"],
        ["tariffs", "--long=yes"],
        ["tariffs", "--", "x"],
        ["tariffs", "extra-word"],
        ["search"],
        ["search", "-", "x"],
        ["search", "canola", "--limit", "-1"],
        ["show"],
        ["show", "a", "b"],
        ["tariffs", "--product", ""],
        ["tariffs", "--export-svg", ""],
    ],
)
def test_anything_but_a_plain_command_line_goes_to_typer(argv: list[str]) -> None:
    """Help, version, mistakes and unusual spellings are declined before anything runs."""
    assert fast.parse(argv) is None


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Completion needs every command and Typer's protocol: always Typer's."""
    assert fast.parse(["tariffs"]) is not None
    monkeypatch.setenv(fast.COMPLETION_ENV, "complete_bash")
    assert fast.parse(["tariffs"]) is None


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_option_tables_are_the_ones_typer_builds(command: Any) -> None:
    """Every option's names, whether it takes a value, and every argument, in order, are
    the same in the fast path's table as in the Click command Typer makes of the declarations."""
    table = fast._table(command)
    assert table is not None, f"{command.name} is not parsed on the fast path"
    click_command = typer.main.get_command(app).commands[command.name]  # type: ignore[attr-defined]
    options = {
        name: (param.name, param.is_flag)
        for param in click_command.params
        if param.param_type_name == "option"
        for name in [*param.opts, *param.secondary_opts]
    }
    arguments = [
        (param.name, param.nargs == -1)
        for param in click_command.params
        if param.param_type_name == "argument"
    ]
    assert {name: (p.name, p.flag) for name, p in table.options.items()} == options
    assert [(p.name, p.variadic) for p in table.arguments] == arguments


def test_the_global_options_are_the_ones_typer_builds() -> None:
    """The fast path's global options are the root command's, bar those that answer instead of a
    command (--version, --help and Typer's completion installers)."""
    root = typer.main.get_command(app)
    flags = {name for p in root.params if getattr(p, "is_flag", False) for name in p.opts}
    values = {name for p in root.params if not getattr(p, "is_flag", False) for name in p.opts}
    answering = {"--version", "--install-completion", "--show-completion"}
    assert flags - answering == fast.ROOT_FLAGS
    assert values == fast.ROOT_VALUES


# Command lines made of the words people type, well and badly: when the fast path takes one, it
# must answer it as Typer does.
_WORDS = st.sampled_from(
    [
        "--by", "china", "--on", "canada", "--product", "canola", "--min-rate", "50", "5.5",
        "--status", "suspended,lifted", "in force", "--as-of", "2026-03-02", "today", "2026-13",
        "--chain", "--from", "canada-ev-surtax", "-f", "--format", "json", "CSV", "markdown",
        "table", "--long", "-l", "--source", "ap", "--certainty", "claimed", "--date",
        "2026-01-15", "--since", "2026", "--until", "2025-06", "--with", "li qiang", "xi",
        "--limit", "-n", "0", "3", "carney", "readout", "--about", "agriculture", "--channel",
        "social_media", "--kind", "figure", "--style", "bibtex", "meeting-xi", "nobody", "-x",
    ]
)  # fmt: skip
_COMMANDS = st.sampled_from(
    ["tariffs", "meetings", "quote", "people", "companies", "timeline", "search", "show",
     "sources", "cite", "statements", "summary", "conflicts"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.lists(st.sampled_from(["--no-cache", f"--data={BUNDLED}"]), max_size=2),
    name=_COMMANDS,
    words=st.lists(_WORDS, max_size=5),
)
def test_a_command_line_the_fast_path_takes_is_answered_as_typer_answers_it(
    head: list[str], name: str, words: list[str]
) -> None:
    """Same exit code, stdout and stderr as the Typer app, for answers and for errors."""
    argv = [*head, name, *words]
    found = _fast(argv)
    if found is not None:
        assert found == _typer(argv)


def _modules_after(argv: list[str], tmp_path: Path) -> dict[str, bool]:
    probe = (
        "import sys\n"
        "from tradecli.__main__ import main\n"
        f"sys.argv = ['tradecli', *{argv!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as end:\n"
        "    code = end.code\n"
        "sys.stdout.flush()\n"
        "names = ('typer', 'click', 'typer._click')\n"
        "sys.stderr.write(repr({name: name in sys.modules for name in names}))\n"
    )
    env = {**env_without_tradecli(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout
    loaded: dict[str, bool] = eval(done.stderr.splitlines()[-1])  # our own repr of a dict
    return loaded


def test_a_plain_query_never_imports_typer(tmp_path: Path) -> None:
    """``tradecli tariffs -f json`` answers without Typer; ``--help`` still has it."""
    assert not any(_modules_after(["tariffs", "-f", "json"], tmp_path).values())
    assert not any(_modules_after(["show", "carney"], tmp_path).values())
    assert _modules_after(["tariffs", "--help"], tmp_path)["typer"]
