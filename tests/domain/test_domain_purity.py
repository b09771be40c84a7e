"""The domain core stays pure: standard library and its own modules only (DESIGN.md section 3)."""

import ast
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
DOMAIN = SRC / "parcelcare" / "domain"
MODULES = sorted(
    ["parcelcare.domain"]
    + [f"parcelcare.domain.{info.name}" for info in pkgutil.iter_modules([str(DOMAIN)])]
)
SOURCES = sorted(DOMAIN.rglob("*.py"))

# Prints the modules that importing the given names added, whatever the interpreter's
# start-up (site, .pth files) had loaded already.
PROBE = """
import importlib, json, sys
before = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _is_allowed(module: str) -> bool:
    """Standard library, the parcelcare package itself, or anything inside domain."""
    top = module.partition(".")[0]
    return (
        top in sys.stdlib_module_names
        or module == "parcelcare"
        or module == "parcelcare.domain"
        or module.startswith("parcelcare.domain.")
    )


def _loaded_by_importing(*names: str) -> list[str]:
    """Import `names` in a fresh interpreter and return the modules that import added."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *names],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_domain_has_modules_to_check():
    assert {"parcelcare.domain.calendar", "parcelcare.domain.detection"} <= set(MODULES)
    assert DOMAIN / "timeline.py" in SOURCES


@pytest.mark.parametrize("module", MODULES)
def test_importing_a_domain_module_loads_only_stdlib_and_domain(module):
    loaded = _loaded_by_importing(module)
    assert module in loaded
    assert [name for name in loaded if not _is_allowed(name)] == []


def test_importing_the_whole_domain_loads_only_stdlib_and_domain():
    loaded = _loaded_by_importing(*MODULES)
    assert [name for name in loaded if not _is_allowed(name)] == []


def _forbidden_imports(path: Path) -> list[str]:
    """Every import statement in a source file that is neither stdlib nor relative in domain."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, 0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.level, node.module or ""))
    return [
        f"{path.name}:{line}: {'.' * level}{module}"
        for line, level, module in found
        # Level 1 stays inside domain/; `from .. import` would reach the rest of parcelcare.
        if not (level == 1 or (level == 0 and module.partition(".")[0] in sys.stdlib_module_names))
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_every_import_statement_is_stdlib_or_relative_within_domain(path):
    assert _forbidden_imports(path) == []


def test_the_import_scan_catches_third_party_and_outward_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime, json\n"
        "from .calendar import BusinessCalendar\n"
        "from . import vocabulary\n"
        "import django.db\n"
        "from ..tracking import models\n"
        "def late():\n"
        "    from httpx import Client\n"
    )
    assert _forbidden_imports(sample) == [
        "sample.py:4: django.db",
        "sample.py:5: ..tracking",
        "sample.py:7: httpx",
    ]
