"""Collecting a batch: every answer checked with the guardrails, as a live run would, and written out.

A passing draft's files go into ``DIR/<key>/`` (with ``<step>.json``; a folder whose four steps are all
in gets ``kit.json``). Everything else is listed in ``DIR/failures.jsonl``, one JSON object per line:
``kind`` is ``reask`` (the answer failed its checks and may be re-asked), ``guardrails`` (out of
re-asks), ``refused``, ``truncated``, ``provider`` (the server failed, or never ran the request) or
``input`` (its situation cannot be found); each line keeps the answers so far, so ``reask`` can send
the compact re-ask a live run would, and a later ``collect`` of that re-ask picks up where it left off.
``DIR/collect.json`` remembers where the situations are. A step already in ``DIR`` is never written again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from .._errors import GuardrailError, InputError, RefusalError, TruncatedError
from ..drafts._draft import DRAFT_TYPES, Draft, Kit
from ..drafts._files import write_files
from ..drafts._usage import Usage
from ..drafts._values import STEPS, Step
from ..situation._files import load_json, read_json, read_text, validated
from ..situation._situation import Situation
from ._inputs import SituationIndex, safe_key
from ._results import BatchAnswer, read_answers

if TYPE_CHECKING:
    from ..engine._conversation import StepRun
    from ..engine._lemonade import Lemonade

__all__ = ["FAILURES", "STATE", "BatchCollected", "collect_answers", "read_failures", "read_state", "replayed"]

FAILURES, STATE, STATE_SCHEMA = "failures.jsonl", "collect.json", 1


class BatchCollected(BaseModel):
    """What a collect did: steps written, steps already there, kits completed, failures by kind, and the usage."""

    model_config = ConfigDict(frozen=True)

    folder: Path
    drafted: int = 0
    kept: int = 0
    kits: int = 0
    failures: dict[str, int] = {}
    usage: Usage = Usage(cost_usd=0.0)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


def replayed(lm: Lemonade, step: Step, situation: Situation, answers: list[dict[str, Any]]) -> StepRun:
    """The step's run with its earlier answers taken again, so its next request is the re-ask a live run sends."""
    from openai.types.chat import ChatCompletion

    run = lm._run(step, situation)
    for body in answers:
        sent = run.request()["messages"]
        if run.take(ChatCompletion.construct(**body), 1, sent) is not None:
            break
    return run


def read_state(folder: Path) -> dict[str, Any]:
    """``DIR/collect.json``: where the situations are."""
    path = folder / STATE
    if not path.exists():
        raise InputError(f"{folder} holds no {STATE}: collect a batch into it first", field=str(folder))
    state, _ = read_json(path, what=f"a {STATE}")
    if not isinstance(state, dict) or not isinstance(state.get("situations"), str):
        raise InputError(f"{path}: situations: expected the path of the situations file", field="situations")
    schema = state.get("schema", 0)
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise InputError(f"{path}: schema: expected a whole number, not {schema!r}", field="schema")
    if schema > STATE_SCHEMA:
        raise InputError(f"{path} was written by a newer lemonade (schema {schema})", field="schema")
    return state


def read_failures(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """``DIR/failures.jsonl`` by (key, step); empty where there is none. A line that is not one lemonade wrote
    (no key, a step lemonade does not draft, answers that are not a list of objects) is refused by its line."""
    path = folder / FAILURES
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if not path.exists():
        return found
    for number, text in enumerate(read_text(path, what="a failure list").splitlines(), 1):
        if not text.strip():
            continue
        where = f"{path}:{number}"
        line = load_json(text, where, what="a failure line")
        answers = line.get("answers", []) if isinstance(line, dict) else None
        if (
            not isinstance(line, dict)
            or not isinstance(line.get("key"), str)
            or line.get("step") not in STEPS
            or not isinstance(line.get("kind"), str)
            or not isinstance(answers, list)
            or not all(isinstance(a, dict) for a in answers)
        ):
            raise InputError(f"{where}: not a failure line lemonade wrote", field=str(path))
        found[(line["key"], line["step"])] = line
    return found


def _failure(answer: BatchAnswer, kind: str, message: str, **more: Any) -> dict[str, Any]:
    return {"custom_id": answer.custom_id, "key": answer.key, "step": answer.step, "kind": kind, "message": message,
            "status": answer.status, **more}  # fmt: skip


class _Collector:
    def __init__(self, lm: Lemonade, index: SituationIndex, out: Path) -> None:
        self.lm, self.index, self.out = lm, index, out
        self.earlier = read_failures(out)
        self.failures: dict[tuple[str, str], dict[str, Any]] = {}
        self.touched: set[str] = set()
        self.drafted = self.kept = 0
        self.usage = Usage(cost_usd=0.0)

    def take(self, answer: BatchAnswer) -> None:
        from openai.types.chat import ChatCompletion

        where = (answer.key, answer.step)
        earlier = self.earlier.pop(where, None)
        prior = list(earlier.get("answers", [])) if earlier else []
        folder = self.out / safe_key(answer.key)
        if (folder / f"{answer.step}.json").exists():
            self.kept += 1
            return
        if answer.key not in self.index:
            self.failures[where] = _failure(answer, "input", f"no situation has the key {answer.key!r}")
            return
        if len(prior) < answer.answer - 1:
            message = f"answer {answer.answer} needs the {answer.answer - 1} before it, which {FAILURES} does not hold"
            self.failures[where] = _failure(answer, "input", message)
            return
        prior = prior[: answer.answer - 1]
        run = replayed(self.lm, answer.step, self.index.get(answer.key), prior)
        if not answer.ok or answer.body is None:
            self.failures[where] = _failure(answer, "provider", answer.problem or "no answer", answers=prior)
            return
        try:
            draft = run.take(ChatCompletion.construct(**answer.body), 1, run.request()["messages"])
        except (GuardrailError, RefusalError, TruncatedError) as e:
            kind = {GuardrailError: "guardrails", RefusalError: "refused", TruncatedError: "truncated"}[type(e)]
            value = e.value.model_dump(mode="json") if isinstance(e, GuardrailError) and e.value is not None else None
            self.failures[where] = _failure(answer, kind, str(e), codes=sorted(run.last_report.codes), value=value)
            self.usage = self.usage + run.usage
            return
        self.usage = self.usage + run.usage
        if draft is None or not draft.report.ok:
            kind = "reask" if draft is None else "guardrails"
            errors = "; ".join(f"{v.code} ({v.field}): {v.message}" for v in run.last_report.errors)
            value = draft.value.model_dump(mode="json") if draft is not None else None
            self.failures[where] = _failure(answer, kind, errors, codes=sorted(run.last_report.codes),
                                            answers=[*prior, answer.body], value=value)  # fmt: skip
            return
        files = draft.files()
        files[f"{answer.step}.json"] = draft.model_dump_json(indent=2).encode()  # last: it marks the step done
        write_files(folder, files)
        self.drafted += 1
        self.touched.add(answer.key)

    def kits(self) -> int:
        made = 0
        for key in self.touched:
            folder = self.out / safe_key(key)
            steps = {step: folder / f"{step}.json" for step in STEPS}
            if (folder / "kit.json").exists() or not all(p.exists() for p in steps.values()):
                continue
            drafts = {s: _step_draft(s, path) for s, path in steps.items()}
            write_files(folder, {"kit.json": Kit(**drafts).model_dump_json(indent=2).encode()})
            made += 1
        return made


def _step_draft(step: Step, path: Path) -> Draft[Any]:
    """A step's draft as collected into ``path`` (``STEP.json``); ``InputError`` naming the file and the field
    where a person changed it into something that is not one."""
    data, text = read_json(path, what="a draft")
    return validated(DRAFT_TYPES[step], data, path=path, text=text, root="draft")


def collect_answers(lm: Lemonade, sources: Iterable[Path], out: Path, *, situations: Path) -> BatchCollected:
    """Check every answer in ``sources`` (output and error files) and write kits and failures into ``out``."""
    index = SituationIndex(situations)
    out.mkdir(parents=True, exist_ok=True)
    collector = _Collector(lm, index, out)
    for source in sources:
        for answer in read_answers(source):
            collector.take(answer)
    kits = collector.kits()
    failures = {**collector.earlier, **collector.failures}
    lines = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in failures.values())
    state = {"schema": STATE_SCHEMA, "situations": str(situations.resolve())}
    write_files(out, {FAILURES: lines.encode(), STATE: (json.dumps(state, indent=2) + "\n").encode()})
    kinds: dict[str, int] = {}
    for failure in failures.values():
        kinds[failure["kind"]] = kinds.get(failure["kind"], 0) + 1
    return BatchCollected(folder=out, drafted=collector.drafted, kept=collector.kept, kits=kits, failures=kinds,
                     usage=collector.usage)  # fmt: skip
