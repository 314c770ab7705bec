"""The batch workflow: prepare writes the requests a live run sends, submit/status/cancel/collect go through the real
openai client over HTTP to the scripted server's files and batches API, collect reads OpenAI's and vLLM's files,
and reask sends the compact re-asks for the failing answers only."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openai
import pytest
from conftest import GOOD, TODAY, good, situation_data

from lemonade import InputError, Kit, Lemonade, Situation, collect_batch, prepare_batch, submit_batch
from lemonade.batch._prepare import custom_id, parse_custom_id
from lemonade.cli import main
from lemonade.testing import BatchServer, Reply, ScriptedServer


def writer(**options: Any) -> Lemonade:
    return Lemonade(backend="offline", model="gpt-4o-mini", strict=False, today=lambda: TODAY, **options)


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def situations_file(tmp_path: Path, count: int = 3) -> Path:
    path = tmp_path / "cohort.jsonl"
    lines = [
        {"key": f"client {i}", **situation_data(notes=f"Met Dana three times (client {i}).")} for i in range(count)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# -- prepare ---------------------------------------------------------------------------------------------


def test_each_line_carries_exactly_what_a_live_request_sends(tmp_path: Path) -> None:
    lm = writer()
    [batch] = prepare_batch(lm, situations_file(tmp_path), tmp_path / "batch.jsonl")
    lines = jsonl(batch)
    assert len(lines) == 12
    assert {line["custom_id"] for line in lines} == {f"client {i}/{s}" for i in range(3) for s in GOOD["rejected"]}
    one = next(line for line in lines if line["custom_id"] == "client 1/thank_you")
    assert (one["method"], one["url"]) == ("POST", "/v1/chat/completions")
    s = Situation.model_validate(situation_data(notes="Met Dana three times (client 1)."))
    assert one["body"] == lm._run("thank_you", s).request()
    assert one["body"]["response_format"]["json_schema"]["strict"] is True
    assert one["body"]["max_tokens"] == 1200 and one["body"]["model"] == "gpt-4o-mini"
    kept = jsonl(tmp_path / "batch.situations.jsonl")
    assert [k["key"] for k in kept] == ["client 0", "client 1", "client 2"]
    assert Situation.model_validate({k: v for k, v in kept[1].items() if k != "key"}) == s


def test_output_past_the_limits_is_split_and_each_part_keeps_its_situations(tmp_path: Path) -> None:
    files = prepare_batch(writer(), situations_file(tmp_path, 3), tmp_path / "batch.jsonl", max_requests=5)
    assert [f.name for f in files] == ["batch.jsonl", "batch-2.jsonl", "batch-3.jsonl"]
    assert [len(jsonl(f)) for f in files] == [5, 5, 2]
    for f in files:
        kept = {k["key"] for k in jsonl(f.with_name(f.stem + ".situations.jsonl"))}
        assert kept == {line["custom_id"].rsplit("/", 1)[0] for line in jsonl(f)}
    size = max(len(line.encode()) + 1 for line in (tmp_path / "batch.jsonl").read_text().splitlines())
    by_size = prepare_batch(writer(), situations_file(tmp_path, 3), tmp_path / "sized.jsonl", max_bytes=size * 3)
    assert all(f.stat().st_size <= size * 3 for f in by_size) and len(by_size) == 4


def test_a_repeated_key_writes_nothing(tmp_path: Path) -> None:
    s = Situation.model_validate(situation_data())
    with pytest.raises(InputError, match="written twice"):
        prepare_batch(writer(), [("jill", s), ("jill", s)], tmp_path / "batch.jsonl")
    assert list(tmp_path.iterdir()) == []
    source = situations_file(tmp_path, 2)
    source.write_text(source.read_text() + json.dumps({"key": "client 0", **situation_data()}) + "\n")
    code, _, err = cli("batch", "prepare", str(source), "--out", str(tmp_path / "b.jsonl"))
    assert code == 2 and "cohort.jsonl:3" in err and "unique" in err
    assert not (tmp_path / "b.jsonl").exists()


def test_a_bad_situation_line_is_named_by_file_line_and_field(tmp_path: Path) -> None:
    source = situations_file(tmp_path, 2)
    bad = situation_data()
    del bad["company"]
    source.write_text(source.read_text() + json.dumps(bad) + "\n")
    code, _, err = cli("batch", "prepare", str(source), "--out", str(tmp_path / "b.jsonl"))
    assert code == 2 and "cohort.jsonl:3" in err and "company" in err


@pytest.mark.parametrize(
    ("cid", "parsed"),
    [
        ("jill/call_request", ("jill", "call_request", 1)),
        ("a/b/thank_you/3", ("a/b", "thank_you", 3)),
        ("2026/value_add", ("2026", "value_add", 1)),
    ],
)
def test_custom_ids_trace_back_to_key_step_and_answer(cid: str, parsed: tuple[str, str, int]) -> None:
    assert parse_custom_id(cid) == parsed
    assert custom_id(*parsed) == cid


@pytest.mark.parametrize("cid", ["request-1", "jill/cover_letter", "/call_request", "call_request"])
def test_foreign_custom_ids_are_refused(cid: str) -> None:
    with pytest.raises(InputError, match="not written by lemonade"):
        parse_custom_id(cid)


# -- over HTTP ---------------------------------------------------------------------------------------------


def good_defaults() -> dict[str, Reply]:
    return {step: Reply(content=answer) for step, answer in GOOD["rejected"].items()}


def test_submit_status_and_collect_over_http_write_every_kit(tmp_path: Path) -> None:
    with BatchServer(defaults=good_defaults()) as server:
        client = openai.OpenAI(base_url=server.url, api_key="test")
        [batch_file] = prepare_batch(writer(), situations_file(tmp_path), tmp_path / "batch.jsonl")
        batch = submit_batch(batch_file, client=client)
        stored = server.batches[batch.id]
        assert stored["status"] == "completed" and stored["request_counts"]["completed"] == 12
        assert server.files[stored["input_file_id"]] == batch_file.read_bytes()  # uploaded as written
        assert stored["metadata"]["lemonade_situations"] == str((tmp_path / "batch.situations.jsonl").resolve())
        code, out, _ = cli("batch", "status", batch.id, "--base-url", server.url)
        assert code == 0 and f"{batch.id}: completed (12 done, 0 failed of 12)" in out
        code, out, _ = cli("batch", "collect", batch.id, "--out", str(tmp_path / "kits"), "--base-url", server.url)
        client.close()
    assert code == 0, out
    assert "12 draft(s) written" in out and "3 kit(s) completed" in out
    for i in range(3):
        kit = Kit.load(tmp_path / "kits" / f"client-{i}")
        assert kit.ok and kit.thank_you.usage.requests == 1
    assert (tmp_path / "kits" / "failures.jsonl").read_text() == ""
    assert (tmp_path / "kits" / f"{batch.id}_output.jsonl").exists()  # kept, to collect again offline


def test_a_failing_answer_is_reasked_in_a_second_batch_and_then_collected(tmp_path: Path) -> None:
    too_long = Reply(content=good("call_request", call_minutes=45))
    with BatchServer(defaults=good_defaults()) as server:
        client = openai.OpenAI(base_url=server.url, api_key="test")
        server.script("call_request", too_long)
        [first] = prepare_batch(writer(), situations_file(tmp_path, 2), tmp_path / "batch.jsonl")
        batch = submit_batch(first, client=client)
        kits = tmp_path / "kits"
        collected = collect_batch(writer(), batch.id, kits, client=client)
        assert collected.drafted == 7 and collected.failures == {"reask": 1}
        [failure] = jsonl(kits / "failures.jsonl")
        assert "call_too_long" in failure["codes"] and len(failure["answers"]) == 1
        code, _, _ = cli("batch", "reask", str(kits), "--out", str(tmp_path / "batch2.jsonl"))
        assert code == 0
        [reask] = jsonl(tmp_path / "batch2.jsonl")
        assert reask["custom_id"] == failure["key"] + "/call_request/2"
        messages = reask["body"]["messages"]
        assert messages[-2]["role"] == "assistant" and "45" in messages[-2]["content"]
        assert "call_too_long" in messages[-1]["content"]  # the compact re-ask a live run sends
        second = submit_batch(tmp_path / "batch2.jsonl", client=client)
        done = collect_batch(writer(), second.id, kits, client=client)
        client.close()
    assert done.drafted == 1 and done.failures == {} and done.kits == 1
    key = failure["key"].replace(" ", "-")
    kit = Kit.load(kits / key)
    assert kit.call_request.attempts == 2 and kit.call_request.usage.reasks == 1
    assert (kits / "failures.jsonl").read_text() == ""


def test_cancel_and_a_held_batch_over_http(tmp_path: Path) -> None:
    with BatchServer(defaults=good_defaults(), hold_batches=True) as server:
        [batch_file] = prepare_batch(writer(), situations_file(tmp_path, 1), tmp_path / "batch.jsonl")
        code, out, _ = cli("batch", "submit", str(batch_file), "--base-url", server.url)
        batch_id = out.strip()
        assert code == 0 and server.batches[batch_id]["status"] == "in_progress"
        code, _, err = cli("batch", "collect", batch_id, "--out", str(tmp_path / "kits"), "--base-url", server.url)
        assert code == 2 and "in_progress, not finished yet" in err
        code, out, _ = cli("batch", "cancel", batch_id, "--base-url", server.url)
        assert code == 0 and "cancelled" in out
        code, out, _ = cli("batch", "collect", batch_id, "--out", str(tmp_path / "kits"), "--base-url", server.url)
    assert code == 3 and "4 provider" in out  # the four requests never ran: listed, and retried by reask
    assert {f["kind"] for f in jsonl(tmp_path / "kits" / "failures.jsonl")} == {"provider"}


def test_the_server_refuses_a_batch_with_a_repeated_custom_id(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    [batch_file] = prepare_batch(writer(), situations_file(tmp_path, 1), path)
    path.write_text(batch_file.read_text() + batch_file.read_text().splitlines()[0] + "\n")
    with BatchServer(defaults=good_defaults()) as server:
        client = openai.OpenAI(base_url=server.url, api_key="test")
        batch = submit_batch(path, client=client)
        client.close()
    assert batch.status == "failed" and batch.errors is not None
    assert [e.code for e in batch.errors.data or []] == ["duplicate_custom_id"]


# -- the files other servers write ---------------------------------------------------------------------------


def completion(content: dict[str, Any]) -> dict[str, Any]:
    return {"id": "cmpl-1", "object": "chat.completion", "created": 1, "model": "llama-3.1-8b",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                                                                        "content": json.dumps(content)}}],
            "usage": {"prompt_tokens": 900, "completion_tokens": 180, "total_tokens": 1080}}  # fmt: skip


def test_vllm_run_batch_output_with_inline_errors_is_collected(tmp_path: Path) -> None:
    source = situations_file(tmp_path, 1)
    [batch_file] = prepare_batch(writer(), source, tmp_path / "batch.jsonl")
    out_lines = []
    for line in jsonl(batch_file):
        step = line["custom_id"].split("/")[1]
        response: dict[str, Any] = {"status_code": 200, "request_id": "vllm-batch-1",
                                    "body": completion(GOOD["rejected"][step])}  # fmt: skip
        error = None
        if step == "value_add":  # vLLM: the error inline, a 400 and no body
            response, error = {"status_code": 400, "request_id": "vllm-batch-2", "body": None}, "context too long"
        out_lines.append({"id": "vllm-abc", "custom_id": line["custom_id"], "response": response, "error": error})
    results = tmp_path / "results.jsonl"
    results.write_text("".join(json.dumps(line) + "\n" for line in out_lines))
    code, out, _ = cli("batch", "collect", str(results), "--out", str(tmp_path / "kits"))
    assert code == 3 and "3 draft(s) written" in out
    [failure] = jsonl(tmp_path / "kits" / "failures.jsonl")
    assert (failure["kind"], failure["status"], failure["message"]) == ("provider", 400, "context too long")
    assert (tmp_path / "kits" / "client-0" / "thank_you.json").exists()


def test_an_openai_error_file_line_with_a_4xx_status_and_no_error_is_a_failure(tmp_path: Path) -> None:
    source = situations_file(tmp_path, 1)
    [batch_file] = prepare_batch(writer(), source, tmp_path / "batch.jsonl", steps=["call_request"])
    [line] = jsonl(batch_file)
    errors = tmp_path / "errors.jsonl"
    body = {"error": {"message": "Invalid schema for response_format", "type": "invalid_request_error", "code": None}}
    errors.write_text(json.dumps({"id": "batch_req_1", "custom_id": line["custom_id"],
                                  "response": {"status_code": 400, "request_id": "req_1", "body": body},
                                  "error": None}) + "\n")  # fmt: skip
    output = tmp_path / "output.jsonl"
    output.write_text("")
    code, _, _ = cli("batch", "collect", str(output), "--errors", str(errors), "--out", str(tmp_path / "kits"),
                     "--situations", str(source))  # fmt: skip
    assert code == 3
    [failure] = jsonl(tmp_path / "kits" / "failures.jsonl")
    assert failure["status"] == 400 and "Invalid schema" in failure["message"]


def test_collect_needs_to_know_where_the_situations_are(tmp_path: Path) -> None:
    output = tmp_path / "elsewhere" / "output.jsonl"
    output.parent.mkdir()
    output.write_text("")
    code, _, err = cli("batch", "collect", str(output), "--out", str(tmp_path / "kits"))
    assert code == 2 and "--situations" in err


def test_reask_with_nothing_to_reask_says_so(tmp_path: Path) -> None:
    (tmp_path / "kits").mkdir()
    (tmp_path / "kits" / "collect.json").write_text(json.dumps({"schema": 1, "situations": str(tmp_path / "s.jsonl")}))
    (tmp_path / "s.jsonl").write_text("")
    code, _, err = cli("batch", "reask", str(tmp_path / "kits"), "--out", str(tmp_path / "b2.jsonl"))
    assert code == 2 and "no answer to re-ask" in err


def test_scripted_server_still_answers_chat_with_the_batch_routes(tmp_path: Path) -> None:
    with BatchServer(defaults=good_defaults()) as server:
        client = openai.OpenAI(base_url=server.url, api_key="test")
        with pytest.raises(openai.NotFoundError):
            client.files.retrieve("file-missing")
        client.close()
        assert isinstance(server, ScriptedServer)
