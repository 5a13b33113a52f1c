"""Mutation testing of one module at a time: mutmut plants small bugs and the module's tests must catch them.

`./dev mutate exporter/files.py` (or several modules, or none for every module of tests/mutation.toml)
copies the working tree to build/mutate/<module>/, configures mutmut there for that module and the
tests named for it in tests/mutation.toml, runs it, and prints the kill rate: killed (timeouts count
as killed) over all mutants of the module that are not named equivalent in tests/mutation.toml.
Mutants no test reaches count as survivors. The survivors are listed with `mutmut show` commands;
docs/testing.md records the rates.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tests" / "mutation.toml"
SCRATCH = ROOT / "build" / "mutate"
# What the tests read beside the package: themes, shipped fonts, example issues.
DATA = ["themes", "fonts", "examples", "benchmarks"]
CAUGHT = {"killed", "timeout"}


@dataclass(frozen=True)
class Target:
    """A module (or some of its functions) and the tests that must catch its mutants."""

    path: str
    tests: tuple[str, ...]
    target: float
    functions: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    # (function, the changed line as mutmut writes it) → why the program does the same with it
    equivalent: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")

    @property
    def label(self) -> str:
        return self.path + (f" ({', '.join(self.functions)})" if self.functions else "")

    def owns(self, mutant: str) -> bool:
        """Whether mutmut's ``mutant`` name (module.x_function__mutmut_N) is one of this target's."""
        if not mutant.startswith(self.module + "."):
            return False
        if not self.functions:
            return True
        function = mutant[len(self.module) + 1 :].split("__mutmut_")[0]
        return any(fnmatch.fnmatch(function, f"x_{name}") for name in self.functions)

    @property
    def folder(self) -> Path:
        """Where the working tree is copied for mutmut."""
        return SCRATCH / self.label.replace("/", "_").replace(" ", "").replace(",", "+")


def targets() -> list[Target]:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    equivalent: dict[str, dict[tuple[str, str], str]] = {}
    for entry in data.get("equivalent", []):
        key = (entry["function"], entry["becomes"].strip())
        equivalent.setdefault(entry["module"], {})[key] = entry["why"]
    found = []
    for entry in data["module"]:
        found.append(
            Target(
                path=entry["path"],
                tests=tuple(entry["tests"]),
                target=float(entry.get("target", data.get("target", 0.85))),
                functions=tuple(entry.get("functions", ())),
                args=tuple(entry.get("args", ())),
                equivalent=equivalent.get(entry["path"], {}),
            )
        )
    return found


def _files() -> list[str]:
    """The working tree's files that git tracks or would track (new tests included), not ignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def _copy(folder: Path) -> Path:
    """``folder`` made afresh as a copy of the working tree."""
    shutil.rmtree(folder, ignore_errors=True)
    for name in _files():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, folder / name)
    return folder


def _env() -> dict[str, str]:
    """The tests' environment in a copy: without ``CI``, for the newspaper's sample is not copied (its tests
    skip; the examples prove the same)."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)
    return env


def _scratch(target: Target) -> Path:
    """A fresh copy of the working tree configured for mutmut to mutate ``target`` only."""
    folder = _copy(target.folder)
    present = [t for t in target.tests if (folder / t).exists()]
    for name in sorted(set(target.tests) - set(present)):
        print(f"tests/mutation.toml names {name} for {target.label}, but there is no such file", file=sys.stderr)
    # JSON's arrays of strings are TOML's too.
    with (folder / "pyproject.toml").open("a", encoding="utf-8") as stream:
        stream.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["exporter"]\n'
            f"only_mutate = {json.dumps([target.path])}\n"
            f"also_copy = {json.dumps(DATA)}\n"
            f"pytest_add_cli_args_test_selection = {json.dumps(present)}\n"
            f"pytest_add_cli_args = {json.dumps(['-p', 'no:cacheprovider', '-x', *target.args])}\n"
        )
    return folder


def _results(folder: Path) -> dict[str, str]:
    listed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in listed.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            found[name] = status
    return found


@dataclass(frozen=True)
class Measured:
    """What one mutmut run of a target found; equivalent mutants are not counted."""

    caught: int = 0
    counted: int = 0
    equivalent: int = 0
    survivors: tuple[str, ...] = ()

    @property
    def rate(self) -> float:
        return self.caught / self.counted if self.counted else 1.0


def mutate(target: Target) -> Measured | None:
    """Run mutmut on ``target``; None when mutmut itself fails."""
    folder = _scratch(target)
    env = _env()
    names = [f"{target.module}.x_{f}__mutmut_*" for f in target.functions]
    run = subprocess.run([sys.executable, "-m", "mutmut", "run", *names], cwd=folder, env=env)
    if run.returncode != 0:
        print(f"mutmut failed on {target.label} (exit {run.returncode}); see {folder}", file=sys.stderr)
        return None
    results = {name: status for name, status in _results(folder).items() if target.owns(name)}
    # Equivalent mutants are named by what they change, not by mutmut's numbers, which shift with the code.
    equivalent = {}
    for name, status in results.items():
        # x_function__mutmut_N, or xǁClassǁmethod__mutmut_N for a method
        function = name[len(target.module) + 3 :].split("__mutmut_")[0].replace("ǁ", ".")
        if status in CAUGHT or not any(f == function for f, _ in target.equivalent):
            continue
        for line in _changed_lines(folder, name):
            if (function, line) in target.equivalent:
                equivalent[name] = (function, line)
    counted = {name: status for name, status in results.items() if name not in equivalent}
    caught = sum(status in CAUGHT for status in counted.values())
    survivors = sorted((n for n, s in counted.items() if s not in CAUGHT), key=_order)
    for function, line in sorted(set(target.equivalent) - set(equivalent.values())):
        print(f"tests/mutation.toml: no mutant of {function} changes a line to `{line}`", file=sys.stderr)
    return Measured(caught, len(counted), len(equivalent), tuple(f"{n}: {counted[n]}" for n in survivors))


def _changed_lines(folder: Path, name: str) -> list[str]:
    """The lines a mutant puts in the code, as `mutmut show` prints them."""
    shown = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name], cwd=folder, check=True, capture_output=True, text=True
    ).stdout
    return [line[1:].strip() for line in shown.splitlines() if line.startswith("+") and not line.startswith("+++")]


def _order(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


@dataclass(frozen=True)
class Planted:
    """A bug planted by hand: one piece of code replaced, and the test that must then fail."""

    bug: str
    file: str
    old: str
    new: str
    test: str


def planted() -> int:
    """Plant each bug of tests/mutation.toml in a copy of the working tree; its test must fail there."""
    bugs = [Planted(**entry) for entry in tomllib.loads(CONFIG.read_text(encoding="utf-8"))["planted"]]
    folder = _copy(SCRATCH / "planted")
    env = _env()
    # The copy's own package: `-m pytest` from the copy puts it first on sys.path.
    pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    clean = subprocess.run([*pytest, *sorted({b.test for b in bugs})], cwd=folder, env=env, capture_output=True)
    if clean.returncode != 0:
        raise SystemExit("the planted bugs' tests fail without any bug planted: fix them first")
    rows, missed = [], 0
    for bug in bugs:
        original = (folder / bug.file).read_text(encoding="utf-8")
        if original.count(bug.old) != 1:
            raise SystemExit(f"{bug.file}: the code to replace for '{bug.bug}' is not there once: update mutation.toml")
        (folder / bug.file).write_text(original.replace(bug.old, bug.new), encoding="utf-8")
        try:
            run = subprocess.run([*pytest, bug.test], cwd=folder, env=env, capture_output=True, text=True)
        finally:
            (folder / bug.file).write_text(original, encoding="utf-8")
        caught = run.returncode == 1
        missed += not caught
        rows.append(f"| {bug.bug} | `{bug.file}` | `{bug.test.split('::')[-1]}` | {'fails' if caught else 'PASSES'} |")
        if run.returncode not in (0, 1):
            print(run.stdout[-2000:], run.stderr[-2000:], file=sys.stderr)
    print("| planted bug | where | test | with the bug |\n|---|---|---|---|")
    print("\n".join(rows))
    return 1 if missed else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="paths as in tests/mutation.toml (default: all of them)")
    parser.add_argument("--planted", action="store_true", help="plant the hand-made bugs of tests/mutation.toml")
    args = parser.parse_args(argv)
    if args.planted:
        return planted()
    known = targets()
    chosen = [t for t in known if not args.modules or t.path in args.modules or t.label in args.modules]
    unknown = set(args.modules) - {t.path for t in known} - {t.label for t in known}
    if unknown:
        parser.error(f"not in tests/mutation.toml: {', '.join(sorted(unknown))}")
    rows: list[tuple[Target, Measured | None]] = []
    for target in chosen:
        measured = mutate(target)
        rows.append((target, measured))
        if measured and measured.survivors:
            where = os.path.relpath(target.folder, ROOT)
            print(f"{target.label}: {len(measured.survivors)} not caught (see one: cd {where} && mutmut show NAME)")
        for line in measured.survivors if measured else ():
            changed = " | ".join(_changed_lines(target.folder, line.split(":")[0]))
            print(f"  {line}    {changed}")
    print("\n| module | mutants | equivalent | killed | kill rate | target |\n|---|---|---|---|---|---|")
    for target, measured in rows:
        if measured is None:
            print(f"| {target.label} | mutmut failed | | | | {target.target:.0%} |")
            continue
        print(
            f"| {target.label} | {measured.counted + measured.equivalent} | {measured.equivalent} "
            f"| {measured.caught} | {measured.rate:.1%} | {target.target:.0%} |"
        )
    return 0 if all(m is not None and m.rate >= t.target for t, m in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
