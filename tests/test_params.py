"""Fast option checks (tradecli.params): Typer's values and errors, without loading pydantic.

Each comparison runs one command tree that tradecli seeds and one that only Typer checks, built
fresh so that no check from another test is reused.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
import typer.testing
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Command, Context
from typer._coercion import build_runtime_param
from typer.core import TyperArgument, TyperGroup, _TyperParameter
from typer.testing import CliRunner

from conftest import BUNDLED, ROOT, env_without_tradecli
from tradecli.cli import Settings, app, params

TYPICAL = [
    ["search", "canola", "--limit", "5"],
    ["search", "canola", "-n", "0", "-f", "csv"],
    ["tariffs", "--min-rate", "25"],
    ["tariffs", "--min-rate", "2.5", "-f", "JSON"],
    ["sources", "-f", "markdown"],
    ["tariffs", "--by", "china", "--product", "canola", "--as-of", "2026-03-02", "--chain"],
    ["meetings", "--date", "2026-01-15", "--with", "li qiang", "--status", "held"],
    ["--data", "my-facts.json", "--no-cache", "quote", "carney", "--about", "canola"],
    ["timeline", "--since", "2024", "--until", "2025-06", "--source", "cp-five-things"],
    ["show", "canada-ev-surtax", "-f", "Markdown"],
    ["conflicts", "canola"],
    ["export", "sqlite", "facts.db", "--force"],
    ["export", "csv", "out"],
]
BAD = [
    ["search", "canola", "--limit", "abc"],
    ["search", "canola", "--limit", "-1"],
    ["tariffs", "--min-rate", "x"],
    ["tariffs", "--min-rate", "-0.5"],
    ["tariffs", "-f", "xml"],
]


def fresh_tree() -> Command:
    """tradecli's Click command tree with no parameter check built yet."""
    return typer.main.get_command(app)


@pytest.fixture(scope="module")
def typer_tree() -> TyperGroup:
    """A command tree that tradecli never seeds (see parse): Typer alone checks its values."""
    tree = fresh_tree()
    assert isinstance(tree, TyperGroup)
    return tree


def parse(tree: Command, argv: list[str], *, fast: bool) -> list[Context]:
    """The context of each command on the way to the one argv names, parsed but not run.

    The settings object stands in for the one the root callback makes when a command runs.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(params, "SUPPORTED", fast)
        ctx = tree.make_context("tradecli", list(argv), obj=Settings())
        found = [ctx]
        while isinstance(ctx.command, TyperGroup) and (ctx._protected_args or ctx.args):
            args = [*ctx._protected_args, *ctx.args]
            name, command, rest = ctx.command.resolve_command(ctx, args)
            assert name is not None
            assert command is not None
            ctx = command.make_context(name, rest, parent=ctx)
            found.append(ctx)
    return found


def command_lines(command: Command, path: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """A command line for every command in the tree, with only its required arguments and
    options (each given "x")."""
    subcommands = getattr(command, "commands", {})
    for name, subcommand in subcommands.items():
        yield from command_lines(subcommand, (*path, name))
    if not subcommands:
        required = [
            "x" for param in command.params if isinstance(param, TyperArgument) and param.required
        ]
        options = [
            word
            for param in command.params
            if not isinstance(param, TyperArgument) and param.required
            for word in (param.opts[0], "x")
        ]
        yield [*path, *options, *required]


def parameters(contexts: list[Context]) -> Iterator[tuple[str, _TyperParameter]]:
    """Each parameter that parsed in these contexts, with its command's name, --help included."""
    for ctx in contexts:
        for param in ctx.command.get_params(ctx):
            if isinstance(param, _TyperParameter):
                yield f"{ctx.command.name} {param.name}", param


def fell_back(contexts: list[Context]) -> list[str]:
    """The parameters that Typer's own check answered, except paths, which it always answers."""
    return [
        name
        for name, param in parameters(contexts)
        if param.type_descriptor.annotation is not Path
        and not isinstance(param._runtime_param, params.FastRuntimeParam)
    ]


def seeded(contexts: list[Context]) -> list[str]:
    """The parameters that tradecli's fast check answered."""
    return [
        name
        for name, param in parameters(contexts)
        if isinstance(param._runtime_param, params.FastRuntimeParam)
    ]


def test_the_installed_typer_has_what_the_fast_check_needs() -> None:
    """The Typer installed is one the pin allows, and has the internals the fast check uses.

    Without them every command would load pydantic again (correct, but slow): a Typer release
    that moves them must fail here, where the pin and tradecli.cli.params are updated together.
    """
    import importlib.metadata
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [Requirement(d) for d in project["project"]["dependencies"] if d.startswith("typer")]
    installed = importlib.metadata.version("typer")
    assert pin.specifier.contains(installed), f"Typer {installed} is outside the pin {pin}"
    assert params.SUPPORTED, (
        f"Typer {installed} lacks the internals tradecli.cli.params relies on; "
        "update params.py and the pin in pyproject.toml together"
    )


@pytest.mark.parametrize("argv", [*command_lines(fresh_tree()), *TYPICAL], ids=" ".join)
def test_values_are_typers_own(typer_tree: TyperGroup, argv: list[str]) -> None:
    """Defaults and typical values parse to what Typer gives, of the same type, without Typer."""
    fast = parse(fresh_tree(), argv, fast=True)
    typer_own = parse(typer_tree, argv, fast=False)
    assert [ctx.command.name for ctx in fast] == [ctx.command.name for ctx in typer_own]
    for mine, theirs in zip(fast, typer_own, strict=True):
        assert {k: (type(v), repr(v)) for k, v in mine.params.items()} == {
            k: (type(v), repr(v)) for k, v in theirs.params.items()
        }
    assert fell_back(fast) == []
    assert seeded(typer_own) == []  # the comparison is with Typer's own checks


@pytest.mark.parametrize("argv", BAD, ids=" ".join)
def test_bad_values_get_typers_own_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """A value the fast check cannot accept gets exactly Typer's message and exit 2."""
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: fresh_tree())
    fast = runner.invoke(app, argv)
    monkeypatch.setattr(params, "SUPPORTED", False)
    typer_own = runner.invoke(app, argv)
    assert fast.exit_code == typer_own.exit_code == 2
    assert "Invalid value for" in fast.stderr
    assert fast.stderr == typer_own.stderr
    assert fast.stdout == typer_own.stdout == ""


def outcome(check: Any, value: str, param: _TyperParameter, ctx: Context) -> tuple[str, ...]:
    """What a check makes of a value: its type and repr, or Typer's error message."""
    try:
        result = check.coerce(value, param=param, ctx=ctx)
    except typer.BadParameter as error:
        return ("error", error.format_message())
    return (type(result).__name__, repr(result))


NUMBERS = st.one_of(
    st.from_regex(r"[-+ ]?[0-9]{1,20}(\.[0-9]{0,17})?([eE][-+]?[0-9]{1,3})? ?", fullmatch=True),
    st.text(alphabet="0123456789-+._eEinfa ٣", max_size=12),
)
FULLWIDTH_JSON = "\uff4a\uff53\uff4f\uff4e"
FORMATS = st.one_of(
    st.sampled_from(
        ["table", "JSON", "Csv", "markdown", " json", "json ", "xml", "", FULLWIDTH_JSON]
    ),
    st.text(max_size=10),
)


@pytest.mark.parametrize(
    ("command", "option", "values"),
    [("search", "limit", NUMBERS), ("tariffs", "min_rate", NUMBERS), ("tariffs", "fmt", FORMATS)],
)
def test_any_typed_value_checks_as_typer_checks(
    typer_tree: TyperGroup, command: str, option: str, values: st.SearchStrategy[str]
) -> None:
    """Whatever is typed for a number or a format, the value or the error is Typer's."""
    subcommand = typer_tree.commands[command]
    param = next(p for p in subcommand.params if p.name == option)
    assert isinstance(param, _TyperParameter)
    ctx = typer.Context(subcommand, info_name=command)
    descriptor = param.type_descriptor
    typer_own = build_runtime_param(descriptor)

    @settings(max_examples=200, deadline=None, database=None)
    @given(values)
    def check(value: str) -> None:
        fast = params.FastRuntimeParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )
        assert outcome(fast, value, param, ctx) == outcome(typer_own, value, param, ctx)

    check()


def test_a_command_runs_without_typers_pydantic_adapters() -> None:
    """A fresh tradecli parses words, formats, numbers and defaults without typer._adapters."""
    script = (
        "import sys, typer.main\n"
        "from tradecli.cli import app\n"
        "command = typer.main.get_command(app)\n"
        f"data = {str(BUNDLED)!r}\n"
        "for argv in (['tariffs', '--by', 'china', '-f', 'json'], ['summary'],\n"
        "             ['search', 'canola', '-n', '2', '-f', 'CSV']):\n"
        "    command.main(['--data', data, *argv], prog_name='tradecli', standalone_mode=False)\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(f'adapters loaded: {\"typer._adapters\" in sys.modules}\\n')\n"
    )
    env = env_without_tradecli()
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert done.stderr.endswith("adapters loaded: False\n"), done.stderr
