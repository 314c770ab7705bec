"""Every notebook in notebooks/ runs top to bottom without an error, offline."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_is_a_quickstart_and_a_campaign() -> None:
    assert {"quickstart.ipynb", "campaign.ipynb"} <= {p.name for p in NOTEBOOKS}


def _quickstart(markdown: list[str], html: list[str], text: str) -> None:
    assert any("Follow-up kit ✅" in m for m in markdown)  # the kit rendered as Markdown
    assert any("call_too_long" in m for m in markdown)  # the edited draft's findings, with their field


def _campaign(markdown: list[str], html: list[str], text: str) -> None:
    assert any("<svg" in h and ">today</text>" in h for h in html)  # the timeline, today marked
    for step in ("call_request", "thank_you", "introduction_request:omar-haddad", "referral_outreach:priya-shah",
                 "value_add", "check_in"):  # fmt: skip
        assert f"drafted {step}:" in text  # each drafted on its day, start to check-in
    assert "already drafted call_request" in text  # drafting twice drafts nothing twice
    assert "December 4, 2026" in text  # the letter carries its step's day
    assert "CANCELLED" in text  # the nudge, once the call happened


CHECKS = {"quickstart": _quickstart, "campaign": _campaign}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]  # nbformat ships no types
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    markdown = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert path.stem in CHECKS, f"{path.name}: say what this notebook must show in CHECKS"
    CHECKS[path.stem](markdown, html, text)
    assert os.environ.get("OPENAI_API_KEY") is None
