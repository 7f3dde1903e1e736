"""Measure tradecli against its floors and against jq, side by side, and check the targets.

    python benchmarks/run.py                # 21 runs of each bundled case, 7 of each large one,
                                            # then the scale table: 10k, 30k, 100k, 300k facts
    python benchmarks/run.py --quick        # 3 runs each, 10,000 facts: a smoke run
    python benchmarks/run.py --repeat 5 --facts 50000 --workdir benchmarks/out
    python benchmarks/run.py --repeat 1 --warmup 0  # one measured run each, for slow builds

Each command runs as a whole process: one warm-up, then K measured runs, taken round-robin so that
a slow moment of the machine falls on every command alike. The table gives the median wall time
(time.perf_counter around the process), its ratio to the group's reference, and the peak resident
memory of the process itself (ru_maxrss from os.wait4, so no other child is counted). Linux
carries the starting process's peak into its child's at exec, so this runner reads no command's
output and no store: the floor of every memory figure is its own size (`python -c pass`).

Only the standard library is needed, with tradecli installed or importable (``PYTHONPATH=src``);
jq is measured if it is on PATH. A command that fails is reported with its exit code, not raised.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate.py"
SOURCE_TREE = HERE.parent / "src"
WORD = "canola"


@dataclass(frozen=True)
class Sample:
    """One whole-process run."""

    seconds: float
    max_rss_mib: float | None
    exit_code: int
    cpu_seconds: float | None = None


@dataclass
class Bench:
    """A command to measure, and the targets it must meet against its group's reference."""

    label: str
    argv: list[str]
    name: str = ""
    time_target: float | None = None
    memory_target: bool = False
    before: Callable[[], None] | None = None
    samples: list[Sample] = field(default_factory=list)
    message: str = ""
    first_byte: bool = False
    cpu: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)

    def seconds(self, sample: Sample) -> float:
        """What counts of a run: its wall time, or its CPU time for a CPU target."""
        return sample.cpu_seconds if self.cpu and sample.cpu_seconds is not None else sample.seconds

    def median(self) -> float | None:
        """Median seconds of the measured runs, if any."""
        return statistics.median(self.seconds(s) for s in self.samples) if self.samples else None

    def peak_mib(self) -> float | None:
        """The highest peak RSS of any measured run, in MiB."""
        values = [s.max_rss_mib for s in self.samples if s.max_rss_mib is not None]
        return max(values) if values else None

    def exit_code(self) -> int | None:
        """The first non-zero exit code of any run, else 0 (None before any run)."""
        codes = [s.exit_code for s in self.samples]
        return next((code for code in codes if code != 0), 0) if codes else None


def _rss_mib(max_rss: int) -> float:
    # Linux reports KiB, macOS bytes.
    return max_rss / 2**20 if sys.platform == "darwin" else max_rss / 1024


def _start(argv: Sequence[str], env: dict[str, str], stdout: int) -> subprocess.Popen[bytes]:
    """Start one measured process, its input and messages discarded (raises OSError)."""
    return subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.DEVNULL, env=env
    )


def _reap(process: subprocess.Popen[bytes]) -> tuple[int, float | None, float | None]:
    """Wait for a process: its exit code, peak memory in MiB and CPU seconds (None where the
    platform has no wait4)."""
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        return process.returncode, _rss_mib(usage.ru_maxrss), cpu
    return process.wait(), None, None  # pragma: no cover


def run_once(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run one process to completion with output discarded; time it and read its peak memory."""
    started = time.perf_counter()
    try:
        process = _start(argv, env, subprocess.DEVNULL)
    except OSError:
        return Sample(time.perf_counter() - started, None, 127)
    code, peak, cpu = _reap(process)
    return Sample(time.perf_counter() - started, peak, code, cpu)


def first_byte(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run one process until its first byte of output arrives, as ``| head -c 1`` would see it,
    then close the pipe; the time is to that byte, the memory the process's peak until then."""
    started = time.perf_counter()
    try:
        process = _start(argv, env, subprocess.PIPE)
    except OSError:
        return Sample(time.perf_counter() - started, None, 127)
    assert process.stdout is not None
    got = process.stdout.read(1)
    seconds = time.perf_counter() - started
    process.stdout.close()  # the reader has what it wanted, as head has
    code, peak, _cpu = _reap(process)
    return Sample(seconds, peak, 0 if got else (code or 1))


def first_error_line(argv: Sequence[str], env: dict[str, str]) -> str:
    """Run once with stderr captured; return its first line if the command fails.

    Standard output is discarded, not read: a large listing held here would raise this
    process's peak memory, which Linux hands on to every command it starts afterwards.
    """
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    except OSError as error:
        return f"cannot run: {error.strerror}"
    if done.returncode == 0:
        return ""
    lines = done.stderr.strip().splitlines()
    return lines[0][:100] if lines else ""


def tradecli_command(env: dict[str, str]) -> tuple[list[str], str]:
    """How to run tradecli: the console script next to this Python if present, else ``-m``."""
    script = Path(sys.executable).parent / ("tradecli.exe" if os.name == "nt" else "tradecli")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], f"console script {script}"
    if importlib.util.find_spec("tradecli") is None and (SOURCE_TREE / "tradecli").is_dir():
        # Not installed: run from the source tree, as a developer would with PYTHONPATH=src.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE_TREE), env.get("PYTHONPATH")]))
        return [sys.executable, "-m", "tradecli"], (
            f"{sys.executable} -m tradecli (no console script; PYTHONPATH={SOURCE_TREE})"
        )
    return [sys.executable, "-m", "tradecli"], f"{sys.executable} -m tradecli (no console script)"


def clear(directory: Path) -> Callable[[], None]:
    """A step that empties a directory, to measure a run with a cold cache."""

    def empty() -> None:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)

    return empty


def measure(benches: list[Bench], *, repeat: int, warmup: int, env: dict[str, str]) -> None:
    """Warm up every command, then run them round-robin ``repeat`` times each."""
    for bench in benches:
        print(f"  warm-up: {bench.label}", file=sys.stderr, flush=True)
        for index in range(warmup):
            if bench.before is not None:
                bench.before()
            own = {**env, **bench.extra_env}
            if index == 0:
                bench.message = first_error_line(bench.argv, own)
            else:
                (first_byte if bench.first_byte else run_once)(bench.argv, own)
    for round_number in range(1, repeat + 1):
        print(f"  round {round_number}/{repeat}", file=sys.stderr, flush=True)
        for bench in benches:
            if bench.before is not None:
                bench.before()
            run = first_byte if bench.first_byte else run_once
            bench.samples.append(run(bench.argv, {**env, **bench.extra_env}))


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    group: str
    bench: Bench
    reference: Bench | None


def verdict(bench: Bench, reference: Bench | None) -> tuple[str, str, str]:
    """(ratio text, target text, result) of a bench against its reference."""
    median = bench.median()
    if reference is None or bench is reference:
        return ("1.00x" if bench is reference else "—"), "reference" if reference else "—", ""
    base = reference.median()
    if bench.cpu and reference.samples:  # CPU against CPU
        base = statistics.median(
            s.cpu_seconds if s.cpu_seconds is not None else s.seconds for s in reference.samples
        )
    ratio = median / base if median is not None and base else None
    ratio_text = f"{ratio:.2f}x" if ratio is not None else "n/a"
    targets: list[str] = []
    checks: list[bool | None] = []
    if bench.time_target is not None:
        what = "CPU" if bench.cpu else "first byte" if bench.first_byte else "time"
        targets.append(f"{what} ≤ {bench.time_target:g}x")
        checks.append(None if ratio is None else ratio <= bench.time_target)
    if bench.memory_target:
        targets.append("RSS ≤ ref")
        mine, theirs = bench.peak_mib(), reference.peak_mib()
        checks.append(None if mine is None or theirs is None else mine <= theirs)
    if not targets:
        return ratio_text, "—", ""
    if bench.exit_code() != 0:
        return ratio_text, ", ".join(targets), "FAIL (exit)"
    if reference.exit_code() != 0 or None in checks:
        return ratio_text, ", ".join(targets), "n/a"
    return ratio_text, ", ".join(targets), "pass" if all(checks) else "FAIL"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    header = (
        "| group | command | median s | ratio | vs | peak RSS MiB | target | result | exit |",
        "|---|---|---:|---:|---|---:|---|---|---:|",
    )
    lines = list(header)
    for row in rows:
        bench = row.bench
        median, peak = bench.median(), bench.peak_mib()
        ratio, target, result = verdict(bench, row.reference)
        vs = ""
        if row.reference is not None and row.reference is not bench:
            vs = row.reference.name or row.reference.label
        exit_code = bench.exit_code()
        lines.append(
            f"| {row.group} | `{bench.label}` | "
            f"{'n/a' if median is None else f'{median:.3f}'} | {ratio} | {vs} | "
            f"{'n/a' if peak is None else f'{peak:.1f}'} | {target} | {result} | "
            f"{'n/a' if exit_code is None else exit_code} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Benchmark tradecli start-up and queries against Python, its dependencies "
        "and jq, and check the performance targets.",
    )
    parser.add_argument(
        "--repeat", type=int, default=7, help="measured runs per command on the large store (7)"
    )
    parser.add_argument(
        "--repeat-bundled",
        type=int,
        default=21,
        help="measured runs per command on the bundled data (21): each takes a fraction of a "
        "second, so more runs steady the median on a busy machine",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="unmeasured runs first (1); with 0, a failing command's message is not shown",
    )
    parser.add_argument(
        "--facts", type=int, default=100_000, help="facts in the generated store (100000)"
    )
    parser.add_argument("--seed", type=int, default=None, help="generator seed (its default)")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 3 repeats and 10,000 facts"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where to write the store and the cache (kept); default a temporary directory",
    )
    parser.add_argument(
        "--skip-big", action="store_true", help="measure only the bundled data, no generated store"
    )
    parser.add_argument(
        "--no-scale",
        action="store_true",
        help="leave out the scale table (10k, 30k, 100k and 300k facts; 10k and 30k with --quick)",
    )
    parser.add_argument(
        "--repeat-scale", type=int, default=3, help="measured runs per command and size (3)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.facts = min(args.repeat, 3), min(args.facts, 10_000)
        args.repeat_bundled = min(args.repeat_bundled, 3)
        args.repeat_scale = min(args.repeat_scale, 1)
    if args.repeat < 1 or args.repeat_bundled < 1 or args.warmup < 0:
        parser.error("--repeat and --repeat-bundled must be at least 1, --warmup at least 0")

    scratch = None
    if args.workdir is None:
        scratch = tempfile.TemporaryDirectory(prefix="tradecli-bench-")
        workdir = Path(scratch.name)
    else:
        workdir = args.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, workdir)
    finally:
        if scratch is not None:
            scratch.cleanup()


def generate(python: str, facts: int, path: Path, seed: int | None, env: dict[str, str]) -> str:
    """Write a generated store; return a note on it (raise SystemExit if the generator fails)."""
    command = [python, str(GENERATOR), str(facts), str(path)]
    if seed is not None:
        command += ["--seed", str(seed)]
    print(f"generating {facts} facts into {path}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"generate.py failed with exit code {done.returncode}")
    size = path.stat().st_size
    return (
        f"generated store: {facts:,} facts, {size / 2**20:.1f} MiB "
        f"({size / facts:.0f} bytes per fact), written in {took:.1f} s"
    )


_PICK = """
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
tariffs, people = data["tariffs"], data["people"]
print(tariffs[len(tariffs) // 2]["id"])
print(people[len(people) // 2]["name"])
"""


def picks(path: Path) -> tuple[str, str]:
    """A measure's id and a person's name from the middle of a generated store, to look up.

    Read in a process of its own: Linux keeps a process's peak memory across exec, so a large
    store read here would count in the peak of every command started after it.
    """
    done = subprocess.run(
        [sys.executable, "-c", _PICK, str(path)], capture_output=True, text=True, check=True
    )
    fact_id, person = done.stdout.splitlines()[:2]
    return fact_id, person


def lookups(tradecli: list[str], path: Path, output: Path) -> list[Bench]:
    """The commands whose cost should follow the answer, not the store."""
    fact_id, person = picks(path)
    data = ["--data", str(path)]
    return [
        Bench("show ID", [*tradecli, *data, "show", fact_id]),
        Bench("people NAME", [*tradecli, *data, "people", person]),
        Bench("summary", [*tradecli, *data, "summary"]),
        Bench(
            "export sqlite",
            [*tradecli, *data, "export", "sqlite", str(output), "--force"],
        ),
        Bench(
            "timeline -f json, first byte",
            [*tradecli, *data, "timeline", "-f", "json"],
            first_byte=True,
        ),
    ]


def scale_table(sizes: list[int], results: dict[int, list[Bench]], notes: list[str]) -> str:
    """Seconds and peak MiB of each lookup at each size, and the growth per 1,000 facts."""
    head = " | ".join(f"{size // 1000}k facts" for size in sizes)
    lines = [
        f"| command | {head} | growth per 1,000 facts |",
        "|---|" + "---:|" * len(sizes) + "---:|",
    ]
    names = [bench.label for bench in results[sizes[0]]]
    for index, name in enumerate(names):
        cells = []
        medians = []
        for size in sizes:
            bench = results[size][index]
            median, peak = bench.median(), bench.peak_mib()
            medians.append(median)
            shown = "n/a" if median is None else f"{median:.3f} s"
            if peak is not None:
                shown += f", {peak:.0f} MiB"
            cells.append(shown)
        first, last = medians[0], medians[-1]
        growth = (
            f"{(last - first) / (sizes[-1] - sizes[0]) * 1000 * 1000:.2f} ms"
            if first is not None and last is not None and len(sizes) > 1
            else "n/a"
        )
        lines.append(f"| `{name}` | {' | '.join(cells)} | {growth} |")
    return "\n".join(lines)


CODE_LINES = 11_000
MODULE_LINES = 600


def code_size(source: Path) -> str:
    """The lines of tradecli's source and of its largest module, against their targets."""
    sizes = {
        path.relative_to(source).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(source.rglob("*.py"))
    }
    largest = max(sizes, key=sizes.__getitem__)
    total = sum(sizes.values())
    rows = [
        ("lines in src/", total, CODE_LINES),
        (f"lines in the largest module ({largest})", sizes[largest], MODULE_LINES),
    ]
    lines = ["| measure | value | target | result |", "|---|---:|---|---|"]
    for what, value, target in rows:
        lines.append(
            f"| {what} | {value:,} | ≤ {target:,} | {'pass' if value <= target else 'FAIL'} |"
        )
    return "\n".join(lines)


def _run(args: argparse.Namespace, workdir: Path) -> int:
    cache = workdir / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRADECLI_")}
    env["XDG_CACHE_HOME"] = str(cache)
    # Measure what users run: modules compiled once to bytecode by the warm-up, not every time.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    tradecli, how = tradecli_command(env)
    python = sys.executable

    floor = Bench("python -c pass", [python, "-c", "pass"])
    typer = Bench("python -c 'import typer'", [python, "-c", "import typer"], name="typer")
    deps = Bench(
        "python -c 'import typer, rich.console, rich.table, pydantic'",
        [python, "-c", "import typer, rich.console, rich.table, pydantic"],
    )
    show = Bench(
        "tradecli show canada-ev-surtax",
        [*tradecli, "show", "canada-ev-surtax"],
        name="bundled show",
    )
    small = [
        floor,
        typer,
        deps,
        Bench("tradecli --help", [*tradecli, "--help"]),
        # Every command line is parsed by Typer, so its import is in every run: these targets
        # are what tradecli may add to it.
        Bench("tradecli tariffs -f json", [*tradecli, "tariffs", "-f", "json"], time_target=1.5),
        Bench(
            "tradecli tariffs (the table, as on a terminal)",
            [*tradecli, "tariffs"],
            time_target=2.0,
            extra_env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"},
        ),
        Bench("tradecli tariffs (piped: lines)", [*tradecli, "tariffs"]),
        show,
        Bench(f"tradecli search {WORD}", [*tradecli, "search", WORD]),
    ]
    rows = [Row("bundled", bench, typer) for bench in small]

    print(f"tradecli: {how}", file=sys.stderr)
    print(f"bundled data: {args.repeat_bundled} runs each", file=sys.stderr)
    measure(small, repeat=args.repeat_bundled, warmup=args.warmup, env=env)

    notes = [f"tradecli run as: {how}"]
    if not args.skip_big:
        big = workdir / f"facts-{args.facts}.json"
        notes.append(generate(python, args.facts, big, args.seed, env))
        name = big.name
        jq_path = shutil.which("jq")
        jq = Bench(
            f"jq '[..|strings|select(contains(\"{WORD}\"))]|length' {name}",
            [jq_path or "jq", f'[..|strings|select(contains("{WORD}"))]|length', str(big)],
            name="jq",
        )
        if jq_path is None:
            notes.append("jq was not found on PATH: its row shows exit 127 and no ratios")
        search = [*tradecli, "--data", str(big), "search", WORD]
        cold = Bench(
            f"tradecli --data {name} search {WORD} (first run: validate and index; CPU)",
            search,
            time_target=3.0,
            before=clear(cache),
            cpu=True,
        )
        warm = Bench(
            f"tradecli --data {name} search {WORD} (repeated)",
            search,
            time_target=0.5,
            memory_target=True,
        )
        found = lookups(tradecli, big, workdir / "export.db")
        targets = {"summary": 1.0, "export sqlite": 2.0, "timeline -f json, first byte": 0.1}
        for bench in found:
            bench.time_target = targets.get(bench.label)
            bench.label = f"tradecli --data {name} {bench.label}"
        nocache = [*tradecli, "--data", str(big), "--no-cache"]
        uncached = Bench(
            f"tradecli --data {name} --no-cache export sqlite",
            [*nocache, "export", "sqlite", str(workdir / "nc.db"), "--force"],
            time_target=3.0,
        )
        validate = Bench(
            f"tradecli --data {name} validate",
            [*tradecli, "--data", str(big), "validate"],
        )
        large = [jq, cold, warm, *found, uncached, validate]
        print(f"store of {args.facts} facts: {args.repeat} runs each", file=sys.stderr)
        measure(large, repeat=args.repeat, warmup=args.warmup, env=env)
        group = f"{args.facts // 1000}k facts"
        for bench in large:
            if bench is found[0]:  # show ID: against the same lookup on the bundled data
                bench.time_target = 2.0
                rows.append(Row(group, bench, show))
            else:
                rows.append(Row(group, bench, jq))

    scale = ""
    if not args.skip_big and not args.no_scale:
        sizes = [10_000, 30_000] if args.quick else [10_000, 30_000, 100_000, 300_000]
        results: dict[int, list[Bench]] = {}
        for size in sizes:
            path = workdir / f"scale-{size}.json"
            notes.append(generate(python, size, path, args.seed, env))
            run_once([*tradecli, "--data", str(path), "search", WORD], env)  # build its index
            results[size] = lookups(tradecli, path, workdir / f"scale-{size}.db")
            print(f"scale: {size} facts, {args.repeat_scale} runs each", file=sys.stderr)
            measure(results[size], repeat=args.repeat_scale, warmup=args.warmup, env=env)
        scale = scale_table(sizes, results, notes)

    print(
        f"tradecli benchmarks: median of whole-process runs ({args.repeat_bundled} on the bundled "
        f"data, {args.repeat} on the large store) after {args.warmup} warm-up; "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs\n"
    )
    print(table(rows))
    print(f"\nCode:\n\n{code_size(SOURCE_TREE)}")
    if scale:
        print(f"\nScale ({args.repeat_scale} runs each; seconds and peak RSS):\n")
        print(scale)
    print()
    for note in notes:
        print(f"- {note}")
    for row in rows:
        if row.bench.message:
            print(f"- `{row.bench.label}` failed: {row.bench.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
