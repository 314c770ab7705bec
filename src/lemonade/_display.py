"""How drafts, kits and reports show in a notebook: the text, then findings with their field, then usage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._guardrails import GuardrailReport

if TYPE_CHECKING:
    from ._drafts import Draft, Kit, Usage

__all__ = ["draft_markdown", "kit_markdown", "report_markdown"]


def report_markdown(report: GuardrailReport) -> str:
    if not report.violations:
        lines = ["**Guardrails:** ✅ no findings"]
    else:
        head = "✅ ok, with warnings" if report.ok else f"❌ {len(report.errors)} error(s)"
        lines = [f"**Guardrails:** {head}", ""]
        for v in report.violations:
            mark = "❌" if v.severity == "error" else "⚠️"
            lines.append(f"- {mark} **{v.code}** in `{v.field}`: {v.message}")
    lines += [f"\n*{note}*" for note in report.notes]
    return "\n".join(lines)


def _usage(usage: Usage, model: str) -> str:
    cost = f", ${usage.cost_usd:.5f}" if usage.cost_usd else ""
    estimate = " (estimated)" if usage.estimated else ""
    return (
        f"<small>model `{model}` · {usage.requests} request(s) · {usage.prompt_tokens} prompt + "
        f"{usage.completion_tokens} completion tokens{estimate}{cost}</small>"
    )


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def draft_markdown(draft: Draft[Any]) -> str:
    title = type(draft.value).__name__
    return (
        f"### {title}\n\n{_quoted(draft.text)}\n\n{report_markdown(draft.report)}\n\n{_usage(draft.usage, draft.model)}"
    )


def kit_markdown(kit: Kit) -> str:
    parts = [f"## Follow-up kit {'✅' if kit.ok else '❌'}"]
    parts += [draft_markdown(d) for d in kit.drafts.values()]
    return "\n\n---\n\n".join(parts)
