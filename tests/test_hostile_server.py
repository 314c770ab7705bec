"""Hostile servers, over real HTTP through the real openai client: answers that are not chat completions,
waits a server asks for, timeouts, refusals of json_schema in each real server's words, keys echoed back,
the caller's client settings, and concurrency. Each case asserts the exact error and the request count."""

from __future__ import annotations

import asyncio
import gc
import json
import random
from typing import Any

import openai
import pytest
from conftest import GOOD, client_for, engine, good, no_wait_async_retrying, no_wait_retrying, situation

from lemonade import (
    InputError,
    Kit,
    Lemonade,
    LemonadeError,
    MalformedResponseError,
    ProviderError,
    RetryError,
    default_retrying,
)
from lemonade.testing import Reply, ScriptedServer

GOOD_CALL = good("call_request")
HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


# -- answers that are not chat completions ------------------------------------------------------------

NOT_COMPLETIONS = {
    "html page": (Reply(raw=HTML, content_type="text/html"), "text/html", "not JSON"),
    "empty body": (Reply(raw=b""), "application/json", "empty body"),
    "cut-off json": (
        Reply(raw='{"id": "x", "choices": [{"message": {"content": "{\\"sub'),
        "application/json",
        "parse",
    ),
    "unasked stream": (
        Reply(raw='data: {"choices": []}\n\ndata: [DONE]\n\n', content_type="text/event-stream"),
        "text/event-stream",
        "stream",
    ),
    "json, not a completion": (Reply(raw='{"foo": 1}'), "application/json", "not a chat completion"),
    "choices null": (Reply(raw='{"id": "x", "choices": null}'), "application/json", "not a chat completion"),
    "choices empty": (Reply(raw='{"id": "x", "choices": []}'), "application/json", "not a chat completion"),
    "a json list": (Reply(raw="[1, 2]"), "application/json", "not a chat completion"),
    "plain text": (Reply(raw="upstream connect error", content_type="text/plain"), "text/plain", "not JSON"),
}


@pytest.mark.parametrize("case", NOT_COMPLETIONS, ids=list(NOT_COMPLETIONS))
def test_answers_that_are_not_completions_are_retried_then_described(server: ScriptedServer, case: str) -> None:
    reply, content_type, why = NOT_COMPLETIONS[case]
    server.script("call_request", *[reply] * 4)
    with pytest.raises(MalformedResponseError) as info:
        engine(server).call_request(situation())
    error = info.value
    assert isinstance(error, ProviderError)
    assert server.count() == 4 and error.attempts == 4  # transient: the whole retry budget, no more
    assert error.status == 200 and error.content_type == content_type
    assert error.size == len(reply.payload({})) and len(error.preview) <= 200
    assert why in str(error)
    assert "invalid_json" not in str(error)  # the model is not blamed


@pytest.mark.parametrize("case", ["html page", "choices empty", "unasked stream"])
def test_one_bad_answer_from_a_gateway_is_a_hiccup(server: ScriptedServer, case: str) -> None:
    server.script("call_request", NOT_COMPLETIONS[case][0], Reply(content=GOOD_CALL))
    draft = engine(server).call_request(situation())
    assert draft.report.ok and draft.usage.requests == 2 and server.count() == 2


def test_a_huge_html_page_is_summed_up_not_dumped(server: ScriptedServer) -> None:
    page = "<html>" + "x" * 5_000_000 + "</html>"
    server.script("call_request", *[Reply(raw=page, content_type="text/html")] * 2)
    with pytest.raises(MalformedResponseError) as info:
        engine(server, retrying=no_wait_retrying(attempts=2)).call_request(situation())
    assert info.value.size == len(page) and len(info.value.preview) == 200 and len(str(info.value)) < 400
    assert server.count() == 2


def test_a_body_cut_off_mid_transfer_is_a_lost_connection(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=GOOD_CALL, cut_off=True), Reply(content=GOOD_CALL))
    assert engine(server).call_request(situation()).report.ok
    assert server.count() == 2


def test_a_connection_reset_every_time_ends_in_retry_error(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(reset=True)] * 3)
    with pytest.raises(RetryError) as info:
        engine(server, retrying=no_wait_retrying(attempts=3)).call_request(situation())
    assert isinstance(info.value.last_error, openai.APIConnectionError)
    assert info.value.attempts == 3 and server.count() == 3


def test_async_path_describes_bad_answers_too(server: ScriptedServer) -> None:
    server.script("thank_you", *[Reply(raw=HTML, content_type="text/html")] * 4)
    with pytest.raises(MalformedResponseError):
        asyncio.run(engine(server).athank_you(situation()))
    assert server.count("thank_you") == 4


def test_a_users_own_policy_retries_bad_answers_as_transient(server: ScriptedServer) -> None:
    import tenacity

    policy = tenacity.Retrying(
        retry=tenacity.retry_if_exception(__import__("lemonade").is_transient),
        stop=tenacity.stop_after_attempt(2),
        sleep=lambda _s: None,
        reraise=True,
    )
    server.script("call_request", Reply(raw=HTML, content_type="text/html"), Reply(content=GOOD_CALL))
    assert engine(server, retrying=policy).call_request(situation()).report.ok
    assert server.count() == 2


# -- waits the server asks for -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"retry-after": "3600"}, {"retry-after-ms": "3600000"}, {"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"}],
    ids=["seconds", "milliseconds", "http-date"],
)
def test_a_wait_longer_than_the_cap_stops_at_once(server: ScriptedServer, headers: dict[str, str]) -> None:
    waits: list[float] = []
    server.script("call_request", *[Reply(status=429, headers=headers)] * 4)
    with pytest.raises(RetryError) as info:
        engine(server, retrying=default_retrying(sleep=waits.append)).call_request(situation())
    assert server.count() == 1 and waits == []  # the server asked for time: it gets it
    assert info.value.retry_after is not None and info.value.retry_after >= 3600
    assert "max_retry_wait=60" in str(info.value) and "asked to wait" in str(info.value)


def test_a_long_wait_within_a_raised_cap_is_honoured(server: ScriptedServer) -> None:
    waits: list[float] = []
    server.script("call_request", Reply(status=429, headers={"retry-after": "120"}), Reply(content=GOOD_CALL))
    policy = default_retrying(sleep=waits.append, max_retry_wait=300)
    lm = engine(server, retrying=policy, max_retry_wait=300)
    assert lm.call_request(situation()).report.ok
    assert waits == [120.0] and server.count() == 2


def test_x_should_retry_false_is_obeyed(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(status=503, headers={"x-should-retry": "false"})] * 4)
    with pytest.raises(ProviderError) as info:
        engine(server).call_request(situation())
    assert info.value.status == 503 and server.count() == 1


def test_x_should_retry_true_is_obeyed(server: ScriptedServer) -> None:
    server.script("call_request", Reply(status=400, headers={"x-should-retry": "true"}), Reply(content=GOOD_CALL))
    assert engine(server).call_request(situation()).report.ok
    assert server.count() == 2


def test_a_conflict_is_retried_like_the_sdk_does(server: ScriptedServer) -> None:
    server.script("call_request", Reply(status=409), Reply(content=GOOD_CALL))
    assert engine(server).call_request(situation()).report.ok
    assert server.count() == 2


# -- timeouts ---------------------------------------------------------------------------------------


def test_a_timeout_is_retried_once_and_the_error_says_how_to_raise_it(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content=GOOD_CALL, delay=2.0)] * 4)
    with pytest.raises(RetryError) as info:
        engine(server, timeout=0.2).call_request(situation())
    assert server.count() == 2  # not four: a slow model restarts from scratch on every try
    assert isinstance(info.value.last_error, openai.APITimeoutError)
    message = str(info.value)
    assert "timeout=0.2 s" in message and "Lemonade(timeout=...)" in message and "--timeout" in message


def test_without_timeout_the_clients_own_is_kept(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content=GOOD_CALL, delay=2.0)] * 2)
    client = client_for(server, timeout=0.2)
    lm = Lemonade(client=client, retrying=no_wait_retrying())
    with pytest.raises(RetryError, match=r"timeout=0.2 s"):
        lm.call_request(situation())
    assert server.count() == 2
    assert client.timeout == 0.2  # and it is left as it was


def test_an_explicit_timeout_wins_over_the_clients(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=GOOD_CALL, delay=0.5))
    client = client_for(server, timeout=0.1)
    draft = Lemonade(client=client, timeout=5.0, retrying=no_wait_retrying()).call_request(situation())
    assert draft.report.ok and server.count() == 1
    assert client.timeout == 0.1


def test_a_timeout_that_is_not_a_number_of_seconds_is_refused() -> None:
    with pytest.raises(ValueError, match="timeout"):
        Lemonade(backend="offline", timeout=0)


# -- json_schema refused, in each real server's words ----------------------------------------------------

REFUSALS = {
    "llama.cpp server": (500, 'response_format type must be one of "text" or "json_object", but got: json_schema'),
    "llama-cpp-python": (
        500,
        "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
        "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]",
    ),
    "llama-cpp-python as 422": (422, "response_format.type: Input should be 'text' or 'json_object'"),
    "vLLM": (400, "The provided JSON schema contains features not supported by xgrammar."),
    "not implemented": (501, "response_format json_schema is not supported by this server"),
}


@pytest.mark.parametrize("name", REFUSALS, ids=list(REFUSALS))
def test_json_schema_refused_in_real_wordings_falls_back_at_once(server: ScriptedServer, name: str) -> None:
    status, wording = REFUSALS[name]
    server.script("call_request", Reply(status=status, error=wording), Reply(content=GOOD_CALL))
    draft = engine(server).call_request(situation())
    assert draft.report.ok
    assert server.count() == 2  # no retries of a 500 that is really a refusal
    first, second = (r.body["response_format"]["type"] for r in server.requests)
    assert (first, second) == ("json_schema", "json_object")
    assert "schema name: call_request" in server.requests[1].body["messages"][0]["content"]


def test_lm_studio_refusing_json_object_is_not_read_as_refusing_json_schema(server: ScriptedServer) -> None:
    server.script("call_request", Reply(status=400, raw=json.dumps({"error": "'response_format.type' must be "
                                                                      "'json_schema' or 'text'"})))  # fmt: skip
    with pytest.raises(ProviderError) as info:
        engine(server).call_request(situation())
    assert server.count() == 1 and info.value.status == 400
    assert "must be 'json_schema' or 'text'" in info.value.message


def test_the_fallback_is_remembered_across_a_kit() -> None:
    with ScriptedServer(reject_json_schema=True) as server:
        for step, answer in GOOD["rejected"].items():
            server.script(step, Reply(content=answer))
        kit = engine(server).kit(situation())
    assert kit.ok
    assert server.count() == 5  # one refusal, then four requests in JSON mode


def test_the_fallback_is_remembered_across_async_kits() -> None:
    with ScriptedServer(reject_json_schema=True) as server:
        for step, answer in GOOD["rejected"].items():
            server.script(step, *[Reply(content=answer)] * 2)
        lm = engine(server)
        asyncio.run(lm.akit(situation()))
        first = server.count()
        asyncio.run(lm.akit(situation()))
    assert first <= 8 and server.count() - first == 4


# -- the model gives up ----------------------------------------------------------------------------------


def test_a_refusal_with_a_fallback_gives_the_offline_draft(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=None, refusal="I can't help with that."))
    draft = engine(server, fallback="offline").call_request(situation())
    assert draft.model == "offline" and draft.report.ok and draft.usage.requests == 1
    assert server.count() == 1


# -- keys never echoed -------------------------------------------------------------------------------


def test_a_key_echoed_in_an_error_is_redacted(server: ScriptedServer) -> None:
    server.script("call_request", Reply(status=401, error="Incorrect API key provided: test-key-abcdef123456"))
    lm = Lemonade(client=openai.OpenAI(base_url=server.url, api_key="test-key-abcdef123456"))
    with pytest.raises(ProviderError) as info:
        lm.call_request(situation())
    assert "test-key-abcdef123456" not in str(info.value) and "[redacted]" in str(info.value)
    assert "test-key-abcdef123456" not in json.dumps(info.value.body)


def test_a_key_echoed_in_a_retried_error_is_redacted(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(status=503, error="bad upstream for key sk-secret-0123456789")] * 2)
    lm = Lemonade(client=client_for(server).with_options(api_key="sk-secret-0123456789"),
                  retrying=no_wait_retrying(attempts=2))  # fmt: skip
    with pytest.raises(RetryError) as info:
        lm.call_request(situation())
    assert "sk-secret-0123456789" not in str(info.value)


def test_a_key_echoed_in_a_gateway_page_is_redacted(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-42")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    server.script("call_request", *[Reply(raw="<p>key sk-from-the-environment-42</p>", content_type="text/html")] * 4)
    with pytest.raises(MalformedResponseError) as info:
        Lemonade(retrying=no_wait_retrying()).call_request(situation())
    assert "sk-from-the-environment-42" not in str(info.value) and "[redacted]" in info.value.preview


# -- the caller's client is theirs -------------------------------------------------------------------


def test_async_calls_keep_default_headers_and_query(server: ScriptedServer) -> None:
    for step, answer in GOOD["rejected"].items():
        server.script(step, Reply(content=answer))
    client = client_for(server, default_headers={"X-Gateway-Key": "g-1"}, default_query={"api-version": "2024-06-01"})
    asyncio.run(Lemonade(client=client).akit(situation()))
    assert server.count() == 4
    for record in server.requests:
        assert record.headers["x-gateway-key"] == "g-1"
        assert record.path.endswith("?api-version=2024-06-01")
    assert client.max_retries == 2 and client._custom_headers == {"X-Gateway-Key": "g-1"}  # unchanged


def test_an_azure_client_keeps_its_deployment_and_api_version_when_async(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=GOOD_CALL))
    client = openai.AzureOpenAI(
        azure_endpoint=server.url.removesuffix("/v1"), azure_deployment="drafts", api_version="2024-06-01",
        api_key="azure-key",
    )  # fmt: skip
    try:
        assert asyncio.run(Lemonade(client=client).acall_request(situation())).report.ok
    finally:
        client.close()
    (record,) = server.requests
    assert record.path == "/openai/deployments/drafts/chat/completions?api-version=2024-06-01"
    assert record.headers["api-key"] == "azure-key"


def test_one_async_client_per_loop_reuses_its_connection(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content=GOOD_CALL)] * 10)
    lm = engine(server)

    async def ten() -> None:
        for _ in range(10):
            await lm.acall_request(situation())

    asyncio.run(ten())
    assert server.count() == 10
    assert len({r.peer for r in server.requests}) == 1  # one keep-alive connection, not ten clients


def test_a_client_lemonade_made_is_closed_with_its_loop(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content=GOOD_CALL)] * 2)
    asyncio.run(engine(server).acall_request(situation()))  # the engine is dropped here
    asyncio.run(engine(server).acall_request(situation()))
    gc.collect()  # an unclosed socket would surface here as a ResourceWarning, and fail the test
    assert server.count() == 2


def test_aclose_closes_what_lemonade_made(server: ScriptedServer) -> None:
    server.script("call_request", *[Reply(content=GOOD_CALL)] * 2)

    async def twice() -> int:
        async with engine(server) as lm:
            await lm.acall_request(situation())
        async with engine(server) as lm:
            await lm.acall_request(situation())
        return len({r.peer for r in server.requests})

    assert asyncio.run(twice()) == 2  # closed in between: the second engine opened its own connection


# -- concurrency ----------------------------------------------------------------------------------------


def test_a_failing_step_in_akit_cancels_the_rest_and_keeps_what_was_paid_for(server: ScriptedServer) -> None:
    for step in ("call_request", "thank_you", "value_add"):
        server.script(step, Reply(content=GOOD["rejected"][step]))
    server.script("referral_questions", Reply(status=403, error="forbidden", delay=0.2))
    with pytest.raises(ProviderError) as info:
        asyncio.run(engine(server).akit(situation()))
    error = info.value
    assert error.status == 403
    assert set(error.finished) == {"call_request", "thank_you", "value_add"}
    assert error.usage is not None and error.usage.requests == server.count() == 4


def test_a_failing_step_in_kit_keeps_the_drafts_before_it(server: ScriptedServer) -> None:
    server.script("call_request", Reply(content=GOOD_CALL))
    server.script("referral_questions", Reply(status=404, error="no such model"))
    with pytest.raises(ProviderError) as info:
        engine(server).kit(situation())
    assert set(info.value.finished) == {"call_request"}
    assert info.value.usage is not None and info.value.usage.requests == 2


def test_fifty_concurrent_kits_against_a_server_that_rate_limits_often() -> None:
    rng = random.Random(7)
    with ScriptedServer(defaults={step: Reply(content=a) for step, a in GOOD["rejected"].items()}) as server:
        for step, answer in GOOD["rejected"].items():
            replies = []
            for _ in range(50):
                while rng.random() < 0.3:
                    replies.append(Reply(status=429, headers={"retry-after-ms": "1"}))
                replies.append(Reply(content=answer))
            server.script(step, *replies)
        lm = Lemonade(client=client_for(server), async_retrying=no_wait_async_retrying())

        async def fifty() -> tuple[list[Kit | BaseException], set[asyncio.Task[object]]]:
            results = await asyncio.gather(*(lm.akit(situation()) for _ in range(50)), return_exceptions=True)
            return results, asyncio.all_tasks() - {asyncio.current_task()}

        results, left_running = asyncio.run(fifty())
    assert left_running == set()
    kits = [r for r in results if isinstance(r, Kit)]
    failures = [r for r in results if not isinstance(r, Kit)]
    assert all(isinstance(f, LemonadeError) for f in failures)
    assert len(kits) + len(failures) == 50 and len(kits) >= 45
    # no paid answer is lost: every request is in a kit's usage or a failure's
    spent = sum(k.usage.requests for k in kits) + sum(
        f.usage.requests for f in failures if isinstance(f, LemonadeError) and f.usage is not None
    )
    assert spent == server.count()
    assert sum(1 for r in server.requests if r.step) == server.count()


# -- what a completion may carry that lemonade must not believe ---------------------------------------------


def completion(content: object, **extra: object) -> str:
    message = {"role": "assistant", "content": content}
    return json.dumps({"id": "x", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
                       "choices": [{"index": 0, "finish_reason": "stop", "message": message}], **extra})  # fmt: skip


@pytest.mark.parametrize("content", [42, {"subject": "x"}, [{"type": "image_url", "image_url": {"url": "x"}}]])
def test_content_that_is_not_text_is_a_malformed_answer(server: ScriptedServer, content: object) -> None:
    server.script("call_request", *[Reply(raw=completion(content))] * 4)
    with pytest.raises(MalformedResponseError, match="content is not text"):
        engine(server).call_request(situation())
    assert server.count() == 4


def test_content_sent_as_text_parts_is_read(server: ScriptedServer) -> None:
    parts = [{"type": "text", "text": json.dumps(GOOD_CALL)[:40]}, {"type": "text", "text": json.dumps(GOOD_CALL)[40:]}]
    server.script("call_request", Reply(raw=completion(parts)))
    assert engine(server).call_request(situation()).report.ok


@pytest.mark.parametrize(
    "extra",
    [
        {"usage": {"prompt_tokens": None, "completion_tokens": 3}},
        {"usage": {"prompt_tokens": 1.5, "completion_tokens": 3}},
        {"usage": [1, 2]},
        {"usage": {"prompt_tokens": -100000, "completion_tokens": -5}},
        {"model": 42, "usage": {"prompt_tokens": 10, "completion_tokens": 5}},
    ],
)
def test_usage_and_model_that_make_no_sense_are_not_believed(server: ScriptedServer, extra: dict[str, object]) -> None:
    server.script("call_request", Reply(raw=completion(json.dumps(GOOD_CALL), **extra)))
    draft = engine(server).call_request(situation())
    assert draft.report.ok
    assert draft.usage.prompt_tokens >= 0 and draft.usage.completion_tokens >= 0
    assert draft.usage.cost_usd is None or draft.usage.cost_usd >= 0
    if "usage" in extra and extra["usage"] != {"prompt_tokens": 10, "completion_tokens": 5}:
        assert draft.usage.estimated  # counted by lemonade instead


def test_a_key_in_a_refusal_or_in_the_models_text_is_redacted(server: ScriptedServer) -> None:
    key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    lm = Lemonade(client=openai.OpenAI(base_url=server.url, api_key=key), retrying=no_wait_retrying(), strict=False)
    server.script("call_request", Reply(content=None, refusal=f"I cannot use key {key}"))
    with pytest.raises(LemonadeError) as info:
        lm.call_request(situation())
    assert key not in str(info.value) and key not in getattr(info.value, "refusal", "")
    body = GOOD_CALL["body"].replace("Best regards", f"Key: {key}\n\nBest regards")
    server.script("call_request", *[Reply(content={**GOOD_CALL, "body": body})] * 3)
    draft = lm.call_request(situation())
    assert key not in draft.value.body and "[redacted]" in draft.value.body
    assert not draft.report.ok  # "[redacted]" reads as a placeholder: the draft is never sendable


def test_a_key_across_the_previews_cut_is_redacted_before_the_cut(server: ScriptedServer) -> None:
    key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    page = "x" * 180 + key + "y" * 100
    server.script("call_request", *[Reply(raw=page, content_type="text/html")] * 4)
    lm = Lemonade(client=openai.OpenAI(base_url=server.url, api_key=key), retrying=no_wait_retrying())
    with pytest.raises(MalformedResponseError) as info:
        lm.call_request(situation())
    assert key[:12] not in info.value.preview and key[:12] not in str(info.value)


@pytest.mark.parametrize(
    "options",
    [{"default_headers": {"Ocp-Apim-Subscription-Key": "gw-live-SUPERSECRETKEY99"}},
     {"default_query": {"key": "gw-live-SUPERSECRETKEY99"}},
     {"default_headers": {"Authorization": "Bearer gw-live-SUPERSECRETKEY99"}}],
)  # fmt: skip
def test_gateway_credentials_are_redacted_too(server: ScriptedServer, options: dict[str, Any]) -> None:
    server.script("call_request", Reply(status=401, error="access denied for key gw-live-SUPERSECRETKEY99"))
    with pytest.raises(ProviderError) as info:
        Lemonade(client=client_for(server, **options)).call_request(situation())
    assert "SUPERSECRET" not in str(info.value) and "SUPERSECRET" not in json.dumps(info.value.body)


def test_a_permanent_error_page_is_described_not_quoted_whole(server: ScriptedServer) -> None:
    page = "<!DOCTYPE html><html><body>" + "<p>lost</p>" * 20_000 + "</body></html>"
    server.script("call_request", Reply(status=404, raw=page, content_type="text/html"))
    with pytest.raises(ProviderError) as info:
        engine(server).call_request(situation())
    assert info.value.status == 404 and len(str(info.value)) < 400
    assert "text/html" in str(info.value) and f"{len(page):,} bytes" in str(info.value)


def test_terminal_control_from_a_server_is_shown_escaped(server: ScriptedServer) -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J\x1b[32mall drafts passed\x1b[0m\u202e"
    server.script("call_request", Reply(status=400, error=hostile))
    with pytest.raises(ProviderError) as info:
        engine(server).call_request(situation())
    shown = str(info.value)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\\x1b" in shown
    server.script("call_request", Reply(content=None, refusal=hostile))
    with pytest.raises(LemonadeError) as refused:
        engine(server).call_request(situation())
    assert "\x1b" not in str(refused.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/v1"])
def test_a_base_url_no_request_can_go_to_is_bad_input(url: str) -> None:
    lm = Lemonade(client=openai.OpenAI(base_url=url, api_key="k"), async_retrying=no_wait_async_retrying())
    with pytest.raises(LemonadeError) as info:
        asyncio.run(lm.acall_request(situation()))
    assert isinstance(info.value, InputError | RetryError)


@pytest.mark.parametrize(
    ("headers", "waits"),
    [({"retry-after-ms": "-5", "retry-after": "2"}, [2.0]),  # a negative wait is no wait: the other header counts
     ({"retry-after": "1_000"}, None),  # not a number a server writes: backoff instead
     ({"retry-after": "inf"}, None)],
)  # fmt: skip
def test_odd_retry_after_values(server: ScriptedServer, headers: dict[str, str], waits: list[float] | None) -> None:
    seen: list[float] = []
    server.script("call_request", Reply(status=429, headers=headers), Reply(content=GOOD_CALL))
    assert engine(server, retrying=default_retrying(sleep=seen.append)).call_request(situation()).report.ok
    if waits is not None:
        assert seen == waits
    else:
        assert len(seen) == 1 and seen[0] <= 20  # jittered backoff, not 1,000 s or forever


@pytest.mark.parametrize(
    "options",
    [{"max_tokens": "5"}, {"max_reasks": -1}, {"timeout": float("nan")}, {"seed": "x"}, {"ignore": "buzzword"},
     {"temperature": "hot"}, {"max_retry_wait": 0}],
)  # fmt: skip
def test_options_of_the_wrong_kind_name_themselves(options: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        Lemonade(backend="offline", **options)
    assert info.value.field == next(iter(options))
