"""The batch workflow as library calls: prepare, submit, status, cancel, collect and reask.

``prepare_batch`` writes the requests a live run would send; ``submit_batch`` uploads them through the
openai client's files API (``purpose="batch"``) and starts a batch (``completion_window="24h"``), noting
in its metadata where the situations are; ``collect_batch`` reads the results of a batch by id, or an
output file (OpenAI's, or vLLM ``run_batch``'s), checks every answer and writes the kits;
``reask_batch`` prepares a second batch of the compact re-asks, for the failing answers only. The same
batch file runs on OpenAI's Batch API or on a vLLM cluster (``python -m vllm.entrypoints.openai.run_batch
-i batch.jsonl -o results.jsonl --model ...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import InputError
from ..situation._situation import Situation
from ._collect import FAILURES, BatchCollected, collect_answers, read_failures, read_state, replayed
from ._inputs import Keyed, read_situations
from ._prepare import ENDPOINT, MAX_BYTES, MAX_REQUESTS, BatchWriter, situations_beside, write_batch

if TYPE_CHECKING:
    import openai
    from openai.types import Batch

    from ..engine._lemonade import Lemonade

__all__ = ["SITUATIONS_METADATA", "batch_status", "cancel_batch", "collect_batch", "prepare_batch", "reask_batch",
           "submit_batch"]  # fmt: skip

SITUATIONS_METADATA = "lemonade_situations"
FINISHED = ("completed", "expired", "cancelled")


def _keyed(situations: Path | Iterable[Keyed | tuple[str, Situation]]) -> Iterator[Keyed]:
    if isinstance(situations, Path):
        yield from read_situations(situations)
        return
    for item in situations:
        yield item if isinstance(item, Keyed) else Keyed(str(item[0]), item[1], str(item[0]))


def prepare_batch(
    lm: Lemonade,
    situations: Path | Iterable[Keyed | tuple[str, Situation]],
    out: str | Path,
    *,
    steps: Iterable[str] | None = None,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
) -> list[Path]:
    """Write OpenAI Batch JSONL for every (situation, step) to ``out`` (split past the limits), with the
    situations beside each file; returns the batch files. A bad situation or a repeated key writes nothing."""
    from ..cohort._cohort import cohort_steps

    asked = cohort_steps(steps)
    writer = BatchWriter(Path(out), max_requests=max_requests, max_bytes=max_bytes)

    def requests() -> Iterator[tuple[str, Situation, Any, dict[str, Any], int]]:
        for keyed in _keyed(situations):
            try:
                situation = lm._situation_for(asked, keyed.situation)
            except InputError as e:
                raise InputError(f"{keyed.where}: {e}", field=e.field) from e
            for step in asked:
                yield keyed.key, situation, step, lm._run(step, situation).request(), 1

    return write_batch(requests(), writer)


def _client(client: openai.OpenAI | None) -> openai.OpenAI:
    if client is not None:
        return client
    import openai

    from ..engine._clients import environment_options

    try:
        return openai.OpenAI(**environment_options())
    except openai.OpenAIError as e:
        raise InputError(f"no model server is configured: {e}", field="client") from e


def submit_batch(path: str | Path, *, client: openai.OpenAI | None = None) -> Batch:
    """Upload a batch file and start the batch; returns it (``.id`` is what ``collect_batch`` takes)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such batch file", field="path")
    client = _client(client)
    beside = situations_beside(path).resolve()
    metadata = {SITUATIONS_METADATA: str(beside)} if beside.exists() and len(str(beside)) <= 512 else None
    with path.open("rb") as handle:
        uploaded = client.files.create(file=(path.name, handle), purpose="batch")
    return client.batches.create(
        input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h", metadata=metadata
    )


def batch_status(batch_id: str, *, client: openai.OpenAI | None = None) -> Batch:
    """The batch as the server has it now: ``status``, ``request_counts``, its output and error files."""
    return _client(client).batches.retrieve(batch_id)


def cancel_batch(batch_id: str, *, client: openai.OpenAI | None = None) -> Batch:
    """Ask the server to stop the batch; requests that already ran are still in its output."""
    return _client(client).batches.cancel(batch_id)


def _download(client: openai.OpenAI, file_id: str, target: Path) -> Path:
    from ..drafts._files import write_files

    with client.files.with_streaming_response.content(file_id) as response:
        data = b"".join(response.iter_bytes())
    write_files(target.parent, {target.name: data})
    return target


def collect_batch(
    lm: Lemonade,
    source: str | Path,
    out: str | Path,
    *,
    errors: str | Path | None = None,
    situations: str | Path | None = None,
    client: openai.OpenAI | None = None,
) -> BatchCollected:
    """Check every answer of a batch and write its kits and failures into ``out``.

    ``source`` is a batch id (its output and error files are downloaded into ``out`` first) or an output
    file; ``errors`` an error file to read too. The situations are ``situations``, else the ones
    ``submit_batch`` noted in the batch, else the one ``*.situations.jsonl`` beside the output file."""
    out = Path(out)
    given = Path(source)
    sources: list[Path] = []
    where: Path | None = Path(situations) if situations is not None else None
    if given.exists():
        sources.append(given)
        if where is None:
            found = sorted(given.parent.glob("*.situations.jsonl"))
            if len(found) != 1:
                raise InputError(
                    f"{given}: name its situations with --situations (found {len(found)} *.situations.jsonl beside it)",
                    field="situations",
                )
            where = found[0]
    else:
        remote = _client(client)
        batch = remote.batches.retrieve(str(source))
        if batch.status not in FINISHED:
            raise InputError(f"batch {batch.id} is {batch.status}, not finished yet; collect it later", field="source")
        for file_id, name in ((batch.output_file_id, "output"), (batch.error_file_id, "errors")):
            if file_id:
                sources.append(_download(remote, file_id, out / f"{batch.id}_{name}.jsonl"))
        noted = (batch.metadata or {}).get(SITUATIONS_METADATA)
        if where is None and noted:
            where = Path(noted)
        if where is None:
            raise InputError(f"batch {batch.id} does not say where its situations are; name them with --situations",
                             field="situations")  # fmt: skip
    if errors is not None:
        sources.append(Path(errors))
    return collect_answers(lm, sources, out, situations=where)


def reask_batch(
    lm: Lemonade,
    folder: str | Path,
    out: str | Path,
    *,
    situations: str | Path | None = None,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
) -> list[Path]:
    """A batch of the compact re-asks a live run would send, for the answers in ``folder/failures.jsonl`` that
    failed their checks with re-asks left, and the requests the server failed, sent again."""
    from ._inputs import SituationIndex

    folder = Path(folder)
    index = SituationIndex(Path(situations) if situations is not None else Path(read_state(folder)["situations"]))
    pending = [f for f in read_failures(folder).values() if f["kind"] in ("reask", "provider")]
    if not pending:
        raise InputError(f"{folder / FAILURES} lists no answer to re-ask", field=str(folder))

    def requests() -> Iterator[tuple[str, Situation, Any, dict[str, Any], int]]:
        for failure in pending:
            key, step, answers = failure["key"], failure["step"], list(failure.get("answers") or [])
            situation = index.get(key)
            run = replayed(lm, step, situation, answers)
            yield key, situation, step, run.request(), len(answers) + 1

    return write_batch(requests(), BatchWriter(Path(out), max_requests=max_requests, max_bytes=max_bytes))
