"""Hostile inputs and injected answers: each case asserts the exact error class or finding code and, where a
model is involved, the number of HTTP requests the real openai client sent to the scripted server (none when
the input is bad, so nothing is ever sent for it)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD, engine, situation, situation_data

from lemonade import GuardrailError, InputError, Lemonade, LinkWarning, Situation
from lemonade.cli import main
from lemonade.testing import Reply, ScriptedServer

BODY: str = GOOD["rejected"]["call_request"]["body"]
ASK = "I am glad to work around your schedule."


def person(name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "email": "jill@example.com", **more}


# -- Inputs: one-line fields refuse control and line-break characters, naming the field; nothing is sent ------

CONTROL = [
    ({"candidate": person("Jill\x00Moreno")}, "candidate.name", "U+0000"),
    ({"candidate": person("Jill\x07 Moreno")}, "candidate.name", "U+0007"),
    ({"candidate": person("Jill \x1b[31mMoreno")}, "candidate.name", "U+001B"),
    ({"candidate": person("Jill\r\nBcc: all@example.com")}, "candidate.name", "U+000D"),
    ({"hiring_manager": {"name": "Dana\nRuiz"}}, "hiring_manager.name", "U+000A"),
    ({"hiring_manager": {"name": "Dana Ruiz", "title": "Director\u2028of Analytics"}}, "hiring_manager.title", "2028"),
    ({"company": {"name": "ABC\nCorp"}}, "company.name", "U+000A"),
    ({"role": "Senior\tData Analyst"}, "role", "U+0009"),
    ({"candidate": person("Jill Moreno", email="jill@example.com\r\nBcc: x@y.z")}, "candidate.email", "U+000D"),
    ({"interview_topics": ["churn\x00forecasting"]}, "interview_topics[0]", "U+0000"),
    ({"hiring_manager": {"name": "Dana \u202eziuR"}}, "hiring_manager.name", "U+202E"),
    ({"notes": "Three talks.\x1b]0;pwned\x07"}, "notes", "U+001B"),
    ({"candidate": person("\u200b\u2060")}, "candidate.name", "blank"),
]


@pytest.mark.parametrize(("change", "field", "shown"), CONTROL, ids=[c[1] + "-" + c[2] for c in CONTROL])
def test_control_characters_are_refused_before_anything_is_sent(
    server: ScriptedServer, change: dict[str, Any], field: str, shown: str
) -> None:
    with pytest.raises(InputError) as info:
        engine(server).kit(situation_data(**change))
    assert info.value.field == field
    assert shown in str(info.value) and field in str(info.value)
    assert server.count() == 0


# -- Names compared as people read them ----------------------------------------------------------------------

SAME = ["Jill  Moreno", "Jill\u200bMoreno", "JILL MORENO", "Jill\u00a0Moreno", "Jil\u200dl Moreno", "Jill Moreno\u2060"]


@pytest.mark.parametrize("manager", SAME, ids=[repr(m) for m in SAME])
def test_a_manager_named_as_the_candidate_is_refused(server: ScriptedServer, manager: str) -> None:
    with pytest.raises(InputError) as info:
        engine(server).kit(situation_data(hiring_manager={"name": manager}))
    assert info.value.field == "hiring_manager.name"
    assert server.count() == 0


def test_a_zero_width_space_in_the_managers_name_is_one_any_draft_can_greet(server: ScriptedServer) -> None:
    s = situation(hiring_manager={"name": "Dana\u200d Ruiz", "courtesy_title": "Ms."})
    assert s.hiring_manager.name == "Dana\u200d Ruiz"  # kept as given (a joiner can matter in some scripts)
    server.script("call_request", Reply(content=GOOD["rejected"]["call_request"]))
    draft = engine(server).call_request(s)
    assert draft.report.ok and server.count("call_request") == 1
    assert Lemonade(backend="offline").kit(s).ok


def test_one_line_fields_are_stored_as_people_read_them() -> None:
    s = situation(candidate=person("  Jill \u200b Moreno "), company={"name": "ABC\u00a0\u00a0Corp"})
    assert (s.candidate.name, s.company.name) == ("Jill Moreno", "ABC Corp")
    assert situation(role="Cafe\u0301 Manager").role == "Café Manager"  # NFC


# -- Names that look like links or phrases are the situation's own -------------------------------------------

OWN_NAMES = [
    {"company": {"name": "Booking.com"}},
    {"company": {"name": "Monday.com"}},
    {"company": {"name": "Hotels.com"}},
    {"company": {"name": "[24]7.ai"}},
    {"company": {"name": "TBD Labs"}},
    {"hiring_manager": {"name": "Dana Bitterman", "courtesy_title": "Ms."}},
    {"interview_topics": ["Node.js services", "churn forecasting"], "resources": []},
]


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
@pytest.mark.parametrize("change", OWN_NAMES, ids=[json.dumps(c)[:40] for c in OWN_NAMES])
def test_own_names_are_never_links_placeholders_or_tone_words(change: dict[str, Any], outcome: str) -> None:
    s = situation(outcome, **change)
    steps = ["call_request", "referral_questions", "thank_you", *(["value_add"] if s.resources else [])]
    for seed in range(4):
        for step in steps:
            draft = Lemonade(backend="offline", seed=seed).draft(step, s)  # type: ignore[arg-type]
            assert draft.report.violations == (), (step, draft.report, draft.text)


def test_a_model_draft_naming_booking_com_is_accepted_at_once(server: ScriptedServer) -> None:
    answer = {**GOOD["rejected"]["call_request"], "body": BODY.replace("ABC Corp", "Booking.com")}
    server.script("call_request", Reply(content=answer))
    draft = engine(server).call_request(situation(company={"name": "Booking.com"}))
    assert draft.report.ok and server.count("call_request") == 1


def test_booking_com_with_a_path_is_still_a_link(server: ScriptedServer) -> None:
    body = BODY.replace(ASK, "Apply again at Booking.com/careers/phish.")
    server.script("call_request", *[Reply(content={**GOOD["rejected"]["call_request"], "body": body})] * 3)
    with pytest.raises(GuardrailError) as info:
        engine(server).call_request(situation(company={"name": "Booking.com"}))
    assert "unknown_link" in info.value.report.codes and server.count("call_request") == 3


# -- Resource URLs -----------------------------------------------------------------------------------------

SHAREABLE = [
    "https://en.wikipedia.org/wiki/Apple_Inc.",
    "https://example.org/o'brien-guide",
    "https://example.org/a_(b)",
]


@pytest.mark.parametrize("url", SHAREABLE)
def test_a_resource_url_is_matched_exactly_and_can_be_shared(server: ScriptedServer, url: str) -> None:
    resources = [{"url": url, "title": "A guide", "topic": "churn forecasting"}]
    s = situation(resources=resources)
    assert Lemonade(backend="offline").value_add(s).report.ok
    answer = {k: v.replace("https://example.org/dbt-guide", url) for k, v in GOOD["rejected"]["value_add"].items()}
    server.script("value_add", Reply(content=answer))
    assert engine(server).value_add(s).report.ok and server.count("value_add") == 1


REFUSED_URLS = [
    ("https://jill:hunter2@example.org/guide", "user name or password"),
    ("https://jill@example.org/guide", "user name or password"),
    ("https://example.org/gu\x00ide", "U+0000"),
    ("https://example.org/\u202egnp.exe", "U+202E"),
    ("https://example.org/a\u200bb", "U+200B"),
    ("https://example.org\\@evil.zip/", "U+005C"),
    ("javascript:alert(1)", "http:// or https://"),
    ("https://exa..mple.org/", "host"),
]


@pytest.mark.parametrize(("url", "said"), REFUSED_URLS, ids=[u for u, _ in REFUSED_URLS])
def test_unsafe_resource_urls_are_refused(server: ScriptedServer, url: str, said: str) -> None:
    with pytest.raises(InputError) as info:
        engine(server).kit(situation_data(resources=[{"url": url, "title": "A", "topic": "churn forecasting"}]))
    assert info.value.field == "resources[0].url" and said in str(info.value)
    assert "hunter2" not in str(info.value)
    assert server.count() == 0


def test_a_mixed_script_host_is_accepted_with_a_warning() -> None:
    with pytest.warns(LinkWarning, match="mixes scripts"):
        s = situation(resources=[{"url": "https://ex\u0430mple.org/guide", "title": "A", "topic": "churn forecasting"}])
    assert s.resources[0].url == "https://ex\u0430mple.org/guide"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        situation(resources=[{"url": "https://пример.рф/guide", "title": "A", "topic": "churn forecasting"}])


# -- Situation files --------------------------------------------------------------------------------------


def draft_file(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["draft", str(path), "--backend", "offline"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("suffix", "text"), [(".json", "[" * 100_000 + "]" * 100_000), (".toml", "a = " + "[" * 100_000)]
)
def test_deep_nesting_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, text: str) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"nested too deeply|not valid"):
        Situation.from_file(path)
    code, err = draft_file(path, capsys)
    assert code == 2 and "Traceback" not in err and len(err) < 300


def test_twenty_thousand_empty_topics_give_a_short_message(tmp_path: Path) -> None:
    data = situation_data(interview_topics=[""] * 20_000)
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        Situation.from_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: 20,000 problems:") and "and 19,992 more problems" in message
    assert "interview_topics[0]" in message and len(message) < 2_000


def test_a_hundred_thousand_topics_give_a_short_message() -> None:
    topics = [f"topic {i}" for i in range(100_000)]
    data = situation_data(interview_topics=topics, resources=[{"url": "https://x.org", "title": "A", "topic": "x"}])
    with pytest.raises(InputError) as info:
        Lemonade(backend="offline").kit(data)
    assert "(100,000 in all)" in str(info.value) and len(str(info.value)) < 500
    assert info.value.field == "resources[0].topic"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text('notes = """' + "x" * 1_100_000 + '"""\n', encoding="utf-8")
    with pytest.raises(InputError, match="larger than 1,000,000 bytes"):
        Situation.from_file(path)


def test_unknown_extensions_are_refused_naming_those_read(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("outcome: rejected\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\.toml or \.json, not \.yaml"):
        Situation.from_file(path)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_gives_one_short_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    path = tmp_path / "empty.toml"
    path.write_text(text, encoding="utf-8")
    code, err = draft_file(path, capsys)
    assert code == 2 and err.count("\n") == 1 and "is empty" in err and "lemonade example" in err


def test_a_misspelled_key_gets_did_you_mean_and_its_line(tmp_path: Path) -> None:
    text = Path(__file__).resolve().parents[1].joinpath("examples", "rejected.toml").read_text(encoding="utf-8")
    text = text.replace("interview_topics =", "interview_topic =").replace("[hiring_manager]", "[hiring_manger]")
    path = tmp_path / "typo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Situation.from_file(path)
    lines = text.splitlines()
    topic = next(i for i, row in enumerate(lines, 1) if row.startswith("interview_topic ="))
    manager = next(i for i, row in enumerate(lines, 1) if row.startswith("[hiring_manger]"))
    message = str(info.value)
    assert f"interview_topic: is not a field lemonade knows; did you mean `interview_topics`? (line {topic})" in message
    assert f"hiring_manger: is not a field lemonade knows; did you mean `hiring_manager`? (line {manager})" in message
    assert "Value error" not in message and all(row.startswith(f"  {path}: ") for row in message.splitlines()[1:])


def test_a_model_level_problem_names_the_field_and_line(tmp_path: Path) -> None:
    data = situation_data(resources=[{"url": "https://x.org", "title": "A", "topic": "churn forecasting"},
                                     {"url": "https://y.org", "title": "B", "topic": "pricing"}])  # fmt: skip
    path = tmp_path / "s.json"
    text = json.dumps(data, indent=2)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Situation.from_file(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"pricing"' in row)
    assert str(info.value) == (
        f"{path}: resources[1].topic: 'pricing' is not one of interview_topics "
        f"['moving reporting to dbt', 'churn forecasting'] (line {line})"
    )


# -- Injected answers: whatever a note talked the model into, the guardrails catch it --------------------------

INJECTED = [
    ("call_request", "body", BODY.replace(ASK, "Details: evil.zip/login"), "unknown_link"),
    ("call_request", "body", BODY.replace(ASK, "See evil.example/phish first."), "unknown_link"),
    ("call_request", "body", BODY.replace(ASK, "See evil\u3002zip/login first."), "unknown_link"),
    ("call_request", "body", BODY.replace(ASK, "See 203.0.113.9/login first."), "unknown_link"),
    ("call_request", "body", BODY.replace(ASK, "See hxxps://evil.example first."), "unknown_link"),
    ("call_request", "body", BODY.replace(ASK, "No pressure \u2014 would you reconsider?"), "reconsider"),
    ("call_request", "body", BODY.replace(ASK, "Would you take one more look at my application?"), "reconsider"),
    ("call_request", "body", BODY.replace(ASK, "If anything changes, I am ready."), "reconsider"),
    ("call_request", "body", BODY.replace(ASK, "Could the decision change later on?"), "reconsider"),
    ("call_request", "body", BODY.replace(ASK, "Is there any chance the role is still open?"), "reconsider"),
    ("call_request", "body", BODY.replace(ASK, "Could you spare 30 minutes?"), "call_too_long"),
    ("call_request", "body", BODY.replace(ASK, "Why should we select them? The Senior Data Analyst Job Offer."),
     "wrong_voice"),
    ("call_request", "body", BODY.replace(ASK, "The Senior Data Analyst Job Offer"), "wrong_outcome"),
    ("call_request", "subject", "A quick call?\r\nBcc: everyone@example.com", "control_character"),
    ("call_request", "body", BODY.replace(ASK, "\x1b]8;;https://evil.example\x07here\x1b]8;;\x07"),
     "control_character"),
    ("referral_questions", "questions", ["What made you think you could do this?", *GOOD["rejected"]
     ["referral_questions"]["questions"][:3]], "off_topic_question"),
    ("value_add", "x_post", "Worth a read: https://example.org/dbt-guide\u200f\u202e and evil.zip", "unknown_link"),
    ("value_add", "linkedin_message", "Hi Dana, https://example.org/dbt-guide and https://evil.example/x",
     "unknown_link"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("step", "field", "value", "code"), INJECTED, ids=[f"{c}-{i}" for i, (_, _, _, c) in enumerate(INJECTED)]
)
def test_an_injected_answer_is_never_accepted(
    server: ScriptedServer, step: str, field: str, value: Any, code: str
) -> None:
    server.script(step, *[Reply(content={**GOOD["rejected"][step], field: value})] * 3)
    with pytest.raises(GuardrailError) as info:
        engine(server).draft(step, situation())  # type: ignore[arg-type]
    assert code in info.value.report.codes, info.value.report
    assert server.count(step) == 3  # the first answer and two re-asks, each refused


def test_every_finding_is_reported_not_just_the_first(server: ScriptedServer) -> None:
    body = BODY.replace(ASK, "Could you spare 30 minutes? I hope you will reconsider. Is there any chance?")
    server.script("call_request", Reply(content={**GOOD["rejected"]["call_request"], "body": body}),
                  Reply(content=GOOD["rejected"]["call_request"]))  # fmt: skip
    draft = engine(server).call_request(situation())
    assert draft.report.ok and server.count("call_request") == 2
    reask = server.for_step("call_request")[1].body["messages"][-1]["content"]
    assert "call_too_long" in reask and reask.count("reconsider (body)") == 2


# -- Oversized answers: refused at once, before the costlier rules --------------------------------------------

OVERSIZED = [
    ("call_request", "body", "word " * 400_000, "too_long"),
    ("value_add", "x_post", "a." * 1_000_000, "x_too_long"),
    ("referral_questions", "questions", ["Who do you know in dbt?"] * 100_000, "question_count"),
]


@pytest.mark.parametrize(("step", "field", "value", "code"), OVERSIZED, ids=[c[3] for c in OVERSIZED])
def test_an_oversized_answer_is_refused_at_once(
    server: ScriptedServer, step: str, field: str, value: Any, code: str
) -> None:
    server.script(step, *[Reply(content={**GOOD["rejected"][step], field: value})] * 3)
    with pytest.raises(GuardrailError) as info:
        engine(server).draft(step, situation())  # type: ignore[arg-type]
    assert [v.code for v in info.value.report.errors] == [code]  # nothing else ran
    assert "far beyond the limit" in info.value.report.errors[0].message
    assert server.count(step) == 3
