"""The engine over real HTTP: the real openai client against the local scripted server."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import openai
import pytest
from conftest import (
    GOOD,
    client_for,
    engine,
    good,
    no_wait_async_retrying,
    no_wait_retrying,
    script_good,
    situation,
    situation_data,
)

from lemonade import (
    CallRequest,
    GuardrailError,
    InputError,
    Kit,
    Lemonade,
    ProviderError,
    RefusalError,
    RetryError,
    ThankYouNote,
    TruncatedError,
    default_retrying,
)
from lemonade.testing import Reply, ScriptedServer


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_kit_both_outcomes(server: ScriptedServer, outcome: str) -> None:
    script_good(server, outcome)
    kit = engine(server).kit(situation(outcome))
    assert isinstance(kit, Kit)
    assert kit.ok
    assert server.count() == 4
    assert {r.step for r in server.requests} == {"call_request", "referral_questions", "thank_you", "value_add"}
    assert kit.call_request.value == CallRequest(**GOOD[outcome]["call_request"])
    assert kit.call_request.attempts == 1
    assert kit.call_request.model == "gpt-4o-mini"
    assert kit.call_request.prompt.id == "call_request"
    assert kit.call_request.text.startswith("Subject: A quick call for advice?\n\nDear Ms. Ruiz,")
    assert kit.usage.requests == 4
    # every situation fact reached the prompt of every step
    for record in server.requests:
        user = record.body["messages"][1]["content"]
        assert "ABC Corp" in user and "Jill Moreno" in user and "Senior Data Analyst" in user


def test_request_carries_strict_schema_and_budget(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=good("call_request")))
    engine(server, max_tokens=700).call_request(situation())
    (record,) = server.requests
    body = record.body
    assert record.path == "/v1/chat/completions"
    assert body["model"] == "gpt-4o-mini"
    assert body["max_tokens"] == 700
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "call_request"
    assert fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert schema["required"] == ["subject", "body", "call_minutes"]
    assert schema["additionalProperties"] is False
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert record.headers["authorization"] == "Bearer test-key"


def test_thank_you_letter_built_from_situation(server: ScriptedServer) -> None:
    server.script("thank_you", Reply(content=good("thank_you")))
    draft = engine(server).thank_you(situation())
    assert isinstance(draft.value, ThankYouNote)
    letter = draft.value.letter
    assert letter.salutation == "Dear Ms. Ruiz:"
    assert letter.recipient_lines[:3] == ["Ms. Dana Ruiz", "Director of Analytics", "ABC Corp"]
    rendered = letter.render()
    assert "November 26, 2026" in rendered
    assert rendered.index("12 Elm Street") < rendered.index("November 26, 2026") < rendered.index("Ms. Dana Ruiz")
    assert max(len(line) for line in rendered.splitlines()) <= 65
    assert "---- Letter ----" in draft.text


def test_rate_limit_honours_retry_after_ms(server: ScriptedServer) -> None:
    waits: list[float] = []
    server.script(
        "call_request",
        Reply(status=429, headers={"retry-after-ms": "250"}),
        Reply(content=good("call_request")),
    )
    lm = engine(server, retrying=default_retrying(sleep=waits.append))
    draft = lm.call_request(situation())
    assert server.count() == 2
    assert waits == [0.25]
    assert draft.usage.requests == 2
    assert draft.attempts == 1


def test_server_errors_are_retried_then_succeed(server: ScriptedServer) -> None:
    server.script("call_request", Reply(status=500), Reply(status=503), Reply(content=good("call_request")))
    draft = engine(server).call_request(situation())
    assert server.count() == 3
    assert draft.usage.requests == 3


def test_transient_failures_run_out(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(status=502)] * 10)
    with pytest.raises(RetryError) as info:
        engine(server, retrying=no_wait_retrying(attempts=3)).call_request(situation())
    assert info.value.attempts == 3
    assert server.count() == 3  # no multiplication by the SDK's own retries
    assert isinstance(info.value.last_error, openai.InternalServerError)
    assert isinstance(info.value.__cause__, openai.InternalServerError)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_permanent_errors_are_not_retried(server: ScriptedServer, status: int) -> None:
    server.script("call_request", Reply(status=status, error="nope, permanently"))
    with pytest.raises(ProviderError) as info:
        engine(server).call_request(situation())
    assert info.value.status == status
    assert "nope, permanently" in info.value.message
    assert server.count() == 1


def test_timeout_is_retried(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=good("call_request"), delay=1.5), Reply(content=good("call_request")))
    draft = engine(server, timeout=0.3).call_request(situation())
    assert server.count() == 2
    assert draft.usage.requests == 2


def test_connection_errors_are_retried_then_reported() -> None:
    with ScriptedServer() as gone:
        url = gone.url
    lm = Lemonade(client=openai.OpenAI(base_url=url, api_key="k"), retrying=no_wait_retrying(attempts=2))
    with pytest.raises(RetryError) as info:
        lm.call_request(situation())
    assert info.value.attempts == 2
    assert isinstance(info.value.last_error, openai.APIConnectionError)


def test_invalid_json_is_re_asked_with_the_last_answer_only(server: ScriptedServer) -> None:
    server.script(
        "call_request",
        Reply(content='{"subject": "Hi", "body": '),
        Reply(content=good("call_request", subject="About [Company]")),
        Reply(content=good("call_request")),
    )
    draft = engine(server).call_request(situation())
    assert draft.attempts == 3
    assert server.count() == 3
    first, second, third = (r.body["messages"] for r in server.requests)
    assert len(first) == 2
    assert len(second) == len(third) == 4  # base + last answer + problems, never the whole history
    assert second[:2] == first and third[:2] == first
    assert second[2] == {"role": "assistant", "content": '{"subject": "Hi", "body": '}
    assert "invalid_json" in second[3]["content"]
    assert json.loads(third[2]["content"])["subject"] == "About [Company]"
    assert "placeholder (subject)" in third[3]["content"]
    assert "invalid_json" not in third[3]["content"]
    assert draft.usage.requests == 3
    assert draft.usage.prompt_tokens == sum(
        sum(len(m["content"]) for m in r.body["messages"]) // 4 for r in server.requests
    )


def test_guardrail_error_after_re_asks(server: ScriptedServer) -> None:
    bad = good("call_request", call_minutes=30, body=GOOD["rejected"]["call_request"]["body"].replace("15", "30"))
    server.script("call_request", *[Reply(content=bad)] * 5)
    with pytest.raises(GuardrailError) as info:
        engine(server).call_request(situation())
    e = info.value
    assert server.count() == 3  # the first answer and the default two re-asks
    assert e.attempts == 3
    assert isinstance(e.value, CallRequest) and e.value.call_minutes == 30
    assert "call_too_long" in e.report.codes
    assert e.usage.requests == 3 and e.usage.completion_tokens > 0
    assert json.loads(e.raw or "")["call_minutes"] == 30


def test_not_strict_returns_the_failing_draft(server: ScriptedServer) -> None:
    bad = good("call_request", subject="About [Company]")
    server.script("call_request", *[Reply(content=bad)] * 2)
    draft = engine(server, strict=False, max_reasks=1).call_request(situation())
    assert server.count() == 2
    assert not draft.report.ok
    assert draft.value.subject == "About [Company]"


def test_ignored_codes_do_not_trigger_re_asks(server: ScriptedServer) -> None:
    body = GOOD["rejected"]["call_request"]["body"].replace("short call", "short call (I am passionate about this)")
    server.script("call_request", Reply(content=good("call_request", body=body)))
    draft = engine(server, ignore={"buzzword"}).call_request(situation())
    assert draft.report.violations == ()
    assert server.count() == 1


def test_refusal(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=None, refusal="I can't help with that."))
    with pytest.raises(RefusalError, match="can't help") as info:
        engine(server).call_request(situation())
    assert info.value.refusal == "I can't help with that."
    assert server.count() == 1


def test_a_cut_off_answer_is_re_asked_for_a_shorter_one(server: ScriptedServer) -> None:
    looping = '{"subject": "A quick call", "body": "' + "Who do you know? " * 400
    server.script("call_request", Reply(content=looping, finish_reason="length"), Reply(content=good("call_request")))
    draft = engine(server, max_tokens=300).call_request(situation())
    assert draft.report.ok and draft.attempts == 2
    assert server.count() == 2
    reask = server.requests[1].body["messages"]
    assert len(reask) == 4 and "truncated" in reask[3]["content"] and "shorter" in reask[3]["content"]
    assert len(reask[2]["content"]) < len(looping)  # only the start of a looping answer is sent back


def test_truncated_every_time(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content='{"subject": "A quick', finish_reason="length")] * 3)
    with pytest.raises(TruncatedError) as info:
        engine(server, max_tokens=5).call_request(situation())
    assert info.value.max_tokens == 5
    assert "--max-tokens" in str(info.value)
    assert info.value.usage is not None and info.value.usage.requests == 3
    assert server.count() == 3  # the first answer and two re-asks


def test_truncated_every_time_falls_back_to_offline(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content='{"subject": "A quick', finish_reason="length")] * 3)
    draft = engine(server, max_tokens=5, fallback="offline").call_request(situation())
    assert draft.model == "offline" and draft.report.ok
    assert draft.usage.requests == 3 and "truncated" in draft.report.notes[0]


def test_falls_back_to_json_mode_when_json_schema_is_rejected() -> None:
    with ScriptedServer(reject_json_schema=True) as server:
        server.script("call_request", Reply(content="```json\n" + json.dumps(good("call_request")) + "\n```"))
        server.script("thank_you", Reply(content=good("thank_you")))
        lm = engine(server)
        draft = lm.call_request(situation())
        assert draft.report.ok
        rejected, accepted = server.requests
        assert rejected.body["response_format"]["type"] == "json_schema"
        assert accepted.body["response_format"] == {"type": "json_object"}
        system = accepted.body["messages"][0]["content"]
        assert "(schema name: call_request)" in system and '"call_minutes"' in system
        # The engine remembers: the next step goes straight to JSON mode.
        lm.thank_you(situation())
        assert server.count() == 3
        assert server.requests[2].body["response_format"] == {"type": "json_object"}
        assert lm.preview("value_add", situation()).messages[0]["content"].count("schema name: value_add") == 1


def test_bad_input_sends_nothing(server: ScriptedServer) -> None:
    lm = engine(server)
    with pytest.raises(InputError) as info:
        lm.value_add(situation(resources=[]))
    assert info.value.field == "resources"
    with pytest.raises(InputError):
        lm.kit(situation(resources=[]))
    data = situation_data()
    data["hiring_manager"] = {"name": "  "}
    with pytest.raises(InputError) as bad_name:
        lm.call_request(data)
    assert bad_name.value.field == "hiring_manager.name"
    assert isinstance(bad_name.value, ValueError)
    assert server.count() == 0


def test_accepts_a_mapping_and_does_not_mutate_it(server: ScriptedServer) -> None:
    data = situation_data()
    before = json.dumps(data, sort_keys=True)
    server.script("call_request", Reply(content=good("call_request")))
    assert engine(server).call_request(data).report.ok
    assert json.dumps(data, sort_keys=True) == before


def test_callers_client_is_not_changed(server: ScriptedServer) -> None:
    client = client_for(server, max_retries=5, timeout=99.0)
    server.script("call_request", Reply(status=500), Reply(content=good("call_request")))
    Lemonade(client=client, retrying=no_wait_retrying()).call_request(situation())
    assert client.max_retries == 5
    assert client.timeout == 99.0
    assert server.count() == 2


def test_model_from_environment(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEMONADE_MODEL", "llama3.1:8b")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")
    server.script("call_request", Reply(content=good("call_request")))
    draft = Lemonade(retrying=no_wait_retrying()).call_request(situation())
    assert server.requests[0].body["model"] == "llama3.1:8b"
    assert server.requests[0].headers["authorization"] == "Bearer env-key"
    assert draft.model == "llama3.1:8b"
    assert draft.usage.cost_usd is None  # no price known for a local model
    assert Lemonade(model="gpt-4o").model == "gpt-4o"


def test_cost_from_price_table(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=good("call_request"), model="gpt-4o-mini-2024-07-18"))
    usage = engine(server).call_request(situation()).usage
    assert usage.cost_usd == pytest.approx((usage.prompt_tokens * 0.15 + usage.completion_tokens * 0.60) / 1e6)


def test_usage_estimated_when_server_reports_none(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=good("call_request"), usage=False))
    usage = engine(server).call_request(situation()).usage
    assert usage.estimated is True  # lemonade's own count, not the server's word
    assert usage.prompt_tokens > 300 and usage.completion_tokens > 50


def test_async_kit_runs_the_four_steps_concurrently(server: ScriptedServer) -> None:
    for step, content in GOOD["rejected"].items():
        server.script(step, Reply(content=content, delay=0.4))
    kit = asyncio.run(engine(server).akit(situation()))
    assert kit.ok
    assert server.count() == 4
    arrivals = sorted(r.arrived for r in server.requests)
    assert arrivals[-1] - arrivals[0] < 0.4  # all four were in flight before the first answered


def test_async_retries_and_steps(server: ScriptedServer) -> None:
    server.script("referral_questions", Reply(status=429), Reply(content=good("referral_questions")))
    lm = engine(server)
    draft = asyncio.run(lm.areferral_questions(situation()))
    assert draft.value.questions[0].startswith("Who else")
    assert server.count() == 2
    server.script("value_add", Reply(content=good("value_add")))
    assert asyncio.run(lm.avalue_add(situation())).report.ok


def test_async_uses_given_async_client(server: ScriptedServer) -> None:
    server.script("thank_you", Reply(content=good("thank_you")))
    server.script("call_request", Reply(content=good("call_request")))
    client = openai.AsyncOpenAI(base_url=server.url, api_key="async-key")
    lm = Lemonade(async_client=client, today=lambda: date(2026, 1, 2))

    async def both() -> None:
        assert (await lm.athank_you(situation())).value.letter.date.isoformat() == "2026-01-02"
        assert (await lm.acall_request(situation())).report.ok
        await client.close()

    asyncio.run(both())
    # the sync side is made from the async client's settings
    server.script("call_request", Reply(content=good("call_request")))
    lm.call_request(situation())
    assert {r.headers["authorization"] for r in server.requests} == {"Bearer async-key"}


def test_unknown_step(server: ScriptedServer) -> None:
    with pytest.raises(InputError, match="unknown step"):
        engine(server).draft("cover_letter", situation())  # type: ignore[arg-type]
    assert server.count() == 0


def test_draft_value_types_round_trip(server: ScriptedServer) -> None:
    script_good(server)
    kit = engine(server).kit(situation())
    again = Kit.model_validate_json(kit.model_dump_json())
    assert again == kit


def test_readme_demo_runs_the_whole_path() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "lemonade.testing", "--demo", "--outcome", "declined_offer"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for step in ("call_request", "referral_questions", "thank_you", "value_add"):
        assert f"==== {step} (ok: no guardrail findings) ====" in done.stdout
    assert "Thank you again for the offer" in done.stdout
    assert "requests=4" in done.stdout


def test_rendered_prompts_are_cached_per_situation_and_never_shared_out(server: ScriptedServer) -> None:
    lm = engine(server)
    s = situation()
    first = lm.preview("call_request", s)
    first.messages[0]["content"] = "changed by the caller"
    again = lm.preview("call_request", s)
    assert again.messages[0]["content"].startswith("You help job seekers")
    other = lm.preview("call_request", situation(company={"name": "XYZ Ltd"}))
    assert "XYZ Ltd" in other.messages[1]["content"] and "ABC Corp" not in other.messages[1]["content"]
    server.script("call_request", Reply(content=good("call_request")))
    lm.call_request(s)
    assert server.requests[0].body["messages"] == again.messages


def test_local_server_from_environment_needs_no_key(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    server.script("call_request", Reply(content=good("call_request")))
    server.script("thank_you", Reply(content=good("thank_you")))
    lm = Lemonade(retrying=no_wait_retrying(), async_retrying=no_wait_async_retrying())
    assert lm.backend == "openai"
    assert lm.call_request(situation()).report.ok
    assert asyncio.run(lm.athank_you(situation())).report.ok
    assert server.count() == 2


def test_openai_backend_without_any_server_is_a_clear_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(InputError, match="no model server is configured") as info:
        Lemonade(backend="openai").call_request(situation())
    assert info.value.field == "client"


def test_wrong_keys_are_re_asked_as_schema_problems(server: ScriptedServer) -> None:
    wrong = {"subject": "A quick call?", "body": GOOD["rejected"]["call_request"]["body"], "minutes": 15}
    server.script("call_request", Reply(content=wrong), Reply(content=good("call_request")))
    draft = engine(server).call_request(situation())
    assert draft.attempts == 2
    problems = server.requests[1].body["messages"][3]["content"]
    assert "- schema (call_minutes): Field required" in problems
    assert "- schema (minutes): Extra inputs are not permitted" in problems


def test_a_users_own_retry_policy(server: ScriptedServer) -> None:
    from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_none

    from lemonade import is_transient

    mine = Retrying(stop=stop_after_attempt(2), retry=retry_if_exception(is_transient), wait=wait_none(), reraise=True)
    server.script("call_request", *[Reply(status=500)] * 2)
    with pytest.raises(RetryError) as info:
        engine(server, retrying=mine).call_request(situation())
    assert info.value.attempts == 2 and server.count() == 2
    assert isinstance(info.value.last_error, openai.InternalServerError)
    server.script("call_request", Reply(status=500), Reply(content=good("call_request")))
    assert engine(server, retrying=mine).call_request(situation()).usage.requests == 2  # the policy is reusable


class RecordingPacer:
    """A pacer that books nothing and waits 10 ms, recording what the engine tells it."""

    def __init__(self) -> None:
        self.reserved: list[int] = []
        self.settled: list[tuple[int | None, str | None]] = []

    def reserve(self, tokens: int) -> float:
        self.reserved.append(tokens)
        return 0.01

    def settle(self, status: int | None, headers: Any) -> None:
        self.settled.append((status, headers.get("x-ratelimit-remaining-requests")))


def test_a_pacer_books_every_attempt_and_hears_every_answer(server: ScriptedServer) -> None:
    limits = {"x-ratelimit-remaining-requests": "7"}
    server.script("call_request", Reply(status=429, headers={"retry-after-ms": "1", **limits}),
                  Reply(content=good("call_request"), headers=limits))  # fmt: skip
    pacer = RecordingPacer()
    lm = engine(server, pacer=pacer, max_tokens=500)
    assert lm.call_request(situation()).report.ok
    assert len(pacer.reserved) == 2 and all(tokens > 500 for tokens in pacer.reserved)  # prompt + max_tokens
    assert pacer.settled == [(429, "7"), (200, "7")]
    server.script("thank_you", Reply(reset=True), Reply(content=good("thank_you")))
    assert asyncio.run(lm.athank_you(situation())).report.ok
    assert pacer.settled[2:] == [(None, None), (200, None)]  # a lost connection is reported too
