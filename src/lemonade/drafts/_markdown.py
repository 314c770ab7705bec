"""How drafts and kits show in a notebook: the text, then the findings with their field, then usage.

These take a draft's parts, so ``Draft`` and ``Kit`` can offer them as ``_repr_markdown_``."""

from __future__ import annotations

from collections.abc import Iterable

from ..guardrails._report import GuardrailReport
from ._usage import Usage

__all__ = ["draft_markdown", "kit_markdown"]


def _usage(usage: Usage, model: str) -> str:
    return f"<small>model `{model}` · {usage.summary()}</small>"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def draft_markdown(title: str, text: str, report: GuardrailReport, usage: Usage, model: str) -> str:
    return f"### {title}\n\n{_quoted(text)}\n\n{report._repr_markdown_()}\n\n{_usage(usage, model)}"


def kit_markdown(ok: bool, drafts: Iterable[str]) -> str:
    """A kit's heading, then each draft's Markdown."""
    return "\n\n---\n\n".join([f"## Follow-up kit {'✅' if ok else '❌'}", *drafts])
