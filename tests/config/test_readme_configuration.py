"""Every environment variable that config/settings.py reads is in the README's Configuration table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = {"env_bool", "env_int", "env_list", "os.environ.get", "os.getenv"}


def env_reads(source: str) -> set[str]:
    """Names read through os.environ.get / os.environ[...] / os.getenv / the env_* helpers."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        key: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in READERS:
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def readme_configuration_names(readme: str) -> set[str]:
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split(" | ")[0])}


def test_every_environment_variable_the_settings_read_is_documented() -> None:
    read = env_reads((ROOT / "config" / "settings.py").read_text(encoding="utf-8"))
    documented = readme_configuration_names((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"DJANGO_DEBUG", "DATABASE_URL", "LOG_LEVEL", "CHECK_STUCK_AFTER_SECONDS"} <= read
    assert sorted(read - documented) == []


def test_the_parser_finds_each_form_of_read() -> None:
    source = (
        "import os\n"
        "A = os.environ.get('ONE', 'x')\n"
        "B = os.environ['TWO']\n"
        "C = env_int('THREE', 3)\n"
        "D = os.getenv('FOUR')\n"
        "E = env_bool(name, True)\n"  # not a literal: nothing to document by name
    )
    assert env_reads(source) == {"ONE", "TWO", "THREE", "FOUR"}


def test_only_the_first_column_of_the_configuration_table_counts() -> None:
    readme = (
        "# X\n\n## Configuration\n\n| variable | default | meaning |\n|---|---|---|\n"
        "| `ONE`, `TWO` | `1` | unlike `THREE` |\n\n## Next\n\n| `FOUR` | x | y |\n"
    )
    assert readme_configuration_names(readme) == {"ONE", "TWO"}
