"""Every snippet in the README runs as written, on a machine with no API key and no model server.

Python snippets run in a fresh interpreter; shell snippets run in bash with the installed console script. The
first snippet (make a virtual environment, install, draft) is what `.ci/run` itself runs on a clean clone, so it
is not repeated here. Each runs in its own folder, with the shipped examples beside it and the inputs a reader
brings: the `me.toml` that the README's first command-line snippet makes (`lemonade example --outcome
declined_offer > me.toml`), and clients' situations as a folder (`clients/`) and as JSONL (`clients.jsonl`).
Blocks fenced as `text` are synopses with placeholders (a batch id, a server): they are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lemonade import Situation

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m["lang"], m["body"]) for m in re.finditer(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", README, re.M | re.S)]
SNIPPETS = [(lang, body) for lang, body in BLOCKS[1:] if lang in ("python", "bash")]


def no_key_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "LEMONADE_MODEL")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_readme_opens_with_the_two_commands() -> None:
    lang, first = BLOCKS[0]
    assert lang == "bash" and README.lstrip().startswith("# lemonade\n\n```bash\n")
    setup, tests = first.strip().splitlines()
    assert setup.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e")
    assert "lemonade draft examples/rejected.toml --out kit/" in setup
    assert tests == "python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install --quiet -e ".[dev]"' in ci and "lemonade draft examples/rejected.toml" in ci


def test_there_are_snippets_of_both_kinds() -> None:
    assert {lang for lang, _ in SNIPPETS} == {"python", "bash"}
    assert len(SNIPPETS) >= 3


@pytest.mark.parametrize(("lang", "body"), SNIPPETS, ids=[f"{i}-{lang}" for i, (lang, _) in enumerate(SNIPPETS)])
def test_snippet_runs_as_written(lang: str, body: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "examples" / "declined_offer.toml", tmp_path / "me.toml")
    shutil.copytree(ROOT / "examples", tmp_path / "clients")
    clients = [
        Situation.example(outcome).model_dump_json(exclude_none=True) for outcome in ("rejected", "declined_offer")
    ]
    (tmp_path / "clients.jsonl").write_text("\n".join(clients) + "\n", encoding="utf-8")
    command = [sys.executable, "-c", body] if lang == "python" else ["bash", "-e", "-c", body]
    done = subprocess.run(
        command, cwd=tmp_path, env=no_key_env(), capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{body}\n---- stdout\n{done.stdout[-2000:]}\n---- stderr\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr


def test_the_library_snippet_drafts_offline_and_saves_dated_emails(tmp_path: Path) -> None:
    body = next(b for lang, b in SNIPPETS if lang == "python" and "kit.save" in b)
    done = subprocess.run([sys.executable, "-c", body], cwd=tmp_path, env=no_key_env(), capture_output=True,
                          text=True, timeout=180, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Dear" in done.stdout or "Hi Dana" in done.stdout
    eml = (tmp_path / "kit" / "call_request.eml").read_text(encoding="ascii")
    assert "Date: Tue, 01 Dec 2026 09:00:00" in eml
    assert "Date: Wed, 02 Dec 2026 09:00:00" in (tmp_path / "kit" / "thank_you.eml").read_text(encoding="ascii")
