"""A run builds only the command it runs (cli.app_for), and behaves exactly as the whole app."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from conftest import BUNDLED
from tradecli import cli
from tradecli.cli import measures, root

SAME = [
    ["tariffs", "-f", "json"],
    ["--no-cache", "tariffs", "-f", "csv"],
    [f"--data={BUNDLED}", "meetings", "--date", "2026-01-15"],
    ["--data", str(BUNDLED), "quote", "carney", "-f", "markdown"],
    ["search", "canola", "-n", "3"],
    ["show", "meeting-xi", "-f", "json"],
    ["show", "no-such-fact"],
    ["tariffs", "--help"],
    ["tariffs", "--min-rate", "x"],
    ["tariffs", "--no-such-option"],
    ["export", "--help"],
    ["export", "sqlite", "--help"],
    ["schema"],
    ["validate"],
]


def test_a_plain_command_line_gets_an_app_with_only_its_command() -> None:
    """Global options are skipped to find the command; the lean app holds it alone."""
    lean = cli.app_for(["--data", "x.json", "--no-cache", "tariffs", "-f", "json"])
    assert lean is not cli.app
    assert [info.callback for info in lean.registered_commands] == [measures.tariffs]
    assert lean.registered_groups == []
    group = cli.app_for(["export", "csv", "out"])
    assert [info.name for info in group.registered_groups] == ["export"]
    assert group.registered_commands == []
    assert len(cli.app.registered_commands) > 10, "the whole app keeps every command"


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["--version"], ["-h", "tariffs"], ["tarifs"], ["--data"], ["--bogus", "x"]],
)
def test_anything_else_gets_the_whole_app(args: list[str]) -> None:
    """No command, help or version first, a word that names no command: the whole app answers."""
    assert cli.app_for(args) is cli.app


def test_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shell completion lists every command, so it always gets the whole app."""
    monkeypatch.setenv("_TRADECLI_COMPLETE", "complete_bash")
    assert cli.app_for(["tariffs"]) is cli.app


def test_the_global_options_skipped_are_the_roots() -> None:
    """app_for skips exactly the root's options that come before a command (not --version,
    --help or Typer's completion installers, which answer instead of one)."""
    group = typer.main.get_command(cli.app)
    flags = {name for p in group.params if getattr(p, "is_flag", False) for name in p.opts}
    values = {name for p in group.params if not getattr(p, "is_flag", False) for name in p.opts}
    answering = {"--version", "--install-completion", "--show-completion"}
    assert flags - answering == root.ROOT_FLAGS
    assert values == root.ROOT_VALUES


@pytest.mark.parametrize("args", SAME, ids=[" ".join(a) for a in SAME])
def test_the_lean_app_answers_as_the_whole_app(runner: CliRunner, args: list[str]) -> None:
    """Same exit code, stdout and stderr, for results, help and errors."""
    lean = cli.app_for(args)
    assert lean is not cli.app
    whole = runner.invoke(cli.app, args, prog_name="tradecli")
    alone = runner.invoke(lean, args, prog_name="tradecli")
    assert (alone.exit_code, alone.stdout, alone.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )
