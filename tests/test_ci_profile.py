"""Hypothesis in CI tries the same examples on every run: the profile tests/conftest.py loads when ``CI`` is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# What a test process with CI set runs under: the profile, and the settings the property tests build on.
PROBE = """\
import json
import tests.conftest
from hypothesis import settings
from tests.test_properties import FAST
from tests.test_properties_editions import BUILDS

print(json.dumps({
    name: {"derandomize": s.derandomize, "database": repr(s.database), "deadline": repr(s.deadline)}
    for name, s in (("current", settings()), ("FAST", FAST), ("BUILDS", BUILDS))
} | {"profile": settings.get_current_profile_name()}))
"""


def test_the_ci_profile_is_derandomized_without_an_example_database() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.database is None
    assert ci.deadline is None


def test_this_run_is_under_the_ci_profile_exactly_when_ci_is_set() -> None:
    ci = bool(os.environ.get("CI"))
    assert (settings.get_current_profile_name() == "ci") is ci
    assert settings().derandomize is ci
    if ci:
        assert settings().database is None


def test_with_ci_set_the_property_tests_are_derandomized_without_an_example_database() -> None:
    """As ``.ci/run`` runs the suite: the profile is loaded before the test modules build their settings."""
    env = {**os.environ, "CI": "true"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found.pop("profile") == "ci"
    assert found == {
        name: {"derandomize": True, "database": "None", "deadline": "None"} for name in ("current", "FAST", "BUILDS")
    }
