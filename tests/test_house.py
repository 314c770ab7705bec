"""The package's layout: every module says what it is for and stays small, imports run one way
(`lint-imports`, run here too), and `import lemonade` does not load openai."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "lemonade"
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_each_module_opens_with_what_it_is_for_and_stays_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(text)), f"{path.name} has no opening docstring"
    assert len(text.splitlines()) <= 400


def test_the_stages_are_subpackages_named_for_the_data_path() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"situation", "guardrails", "drafts", "prompting", "offline", "engine", "cli", "testing"} <= stages


def test_imports_run_one_way() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is a dev dependency"
    done = subprocess.run([lint], capture_output=True, text=True, cwd=PACKAGE.parents[1], check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


OFFLINE_WORK = """
import io, sys, lemonade
from lemonade.cli import main
s = lemonade.Situation.example()
kit = lemonade.Lemonade(backend="offline").kit(s)
assert kit.ok and lemonade.check(kit.call_request.value, s).ok
assert main(["draft", "--backend", "offline", "{example}"], out=io.StringIO(), err=io.StringIO()) == 0
print(sorted(m for m in ("openai", "httpx2") if m in sys.modules))
"""


def test_offline_work_never_loads_openai() -> None:
    example = PACKAGE.parents[1] / "examples" / "rejected.toml"
    code = OFFLINE_WORK.format(example=example)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_import_lemonade_loads_names_on_first_use() -> None:
    code = (
        "import sys, lemonade; print('pydantic' in sys.modules, lemonade.Situation.__name__, 'pydantic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "Situation", "True"]
