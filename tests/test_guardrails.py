"""Every guardrail code: one case where it fires and one where it must not."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GOOD, TODAY, good, situation
from pydantic import ValidationError

from lemonade import (
    CODES,
    CallRequest,
    InputError,
    Letter,
    ReferralQuestions,
    ThankYouNote,
    ValueAddShare,
    check,
)

TYPES: dict[str, Any] = {
    "call_request": CallRequest,
    "referral_questions": ReferralQuestions,
    "thank_you": ThankYouNote,
    "value_add": ValueAddShare,
}


def build(step: str, outcome: str = "rejected", **changes: Any) -> Any:
    data = good(step, outcome, **changes)
    if step == "thank_you":
        letter = Letter.for_situation(situation(outcome), data["letter_paragraphs"], on=TODAY)
        data["letter"] = letter.model_dump()
    return TYPES[step].model_validate(data)


def codes(
    step: str, outcome: str = "rejected", situation_changes: dict[str, Any] | None = None, **changes: Any
) -> set[tuple[str, str]]:
    report = check(build(step, outcome, **changes), situation(outcome, **(situation_changes or {})))
    return {(v.code, v.field) for v in report.violations}


def code_set(*args: Any, **kwargs: Any) -> set[str]:
    return {c for c, _ in codes(*args, **kwargs)}


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
@pytest.mark.parametrize("step", list(TYPES))
def test_good_drafts_have_no_findings(step: str, outcome: str) -> None:
    report = check(build(step, outcome), situation(outcome))
    assert report.violations == ()
    assert report.ok


BODY: str = GOOD["rejected"]["call_request"]["body"]


def with_body(sentence: str) -> str:
    return BODY.replace("I am glad to work around your schedule.", sentence)


# (step, field changes, code that must fire) and the near miss that must not.
FIRING = [
    ("call_request", {"subject": "Quick call about [Company Name]?"}, "placeholder"),
    ("call_request", {"body": with_body("Let me know what works for {name}.")}, "placeholder"),
    ("call_request", {"body": with_body("Regards, <NAME>.")}, "placeholder"),
    ("call_request", {"body": with_body("I am free on XX March.")}, "placeholder"),
    ("call_request", {"body": with_body("Times TBD.")}, "placeholder"),
    ("call_request", {"body": "As an AI, I cannot sign this.\n" + BODY}, "placeholder"),
    ("referral_questions", {"opener": "I'm sorry, but I can't help with that."}, "placeholder"),
    ("call_request", {"subject": ""}, "empty"),
    ("call_request", {"call_minutes": 30, "body": BODY.replace("15 minutes", "30 minutes")}, "call_too_long"),
    ("call_request", {"body": with_body("Could we talk for half an hour?")}, "call_too_long"),
    ("call_request", {"body": with_body("Could we chat for an hour?")}, "call_too_long"),
    ("call_request", {"call_minutes": 10}, "call_minutes_mismatch"),
    ("call_request", {"body": with_body("Would you reconsider my application?")}, "reconsider"),
    ("call_request", {"body": with_body("I hope you will revisit the decision.")}, "reconsider"),
    (
        "thank_you",
        {
            "email_body": GOOD["rejected"]["thank_you"]["email_body"].replace(
                "Should a need", "If the chosen candidate does not work out, or should a need"
            )
        },
        "reconsider",
    ),
    ("call_request", {"body": with_body("Honestly the process felt unfair.")}, "negative_tone"),
    ("call_request", {"body": with_body("I deserved better. I was disappointed, very disappointed.")}, "negative_tone"),
    ("call_request", {"body": with_body("Thank you for the job offer, which I had to decline.")}, "wrong_outcome"),
    (
        "call_request",
        {"subject": "A quick call for advice?", "body": BODY.replace("ABC Corp", "your team")},
        "missing_company",
    ),
    ("call_request", {"body": BODY.replace("Dear Ms. Ruiz", "Dear Hiring Manager")}, "wrong_recipient"),
    ("call_request", {"body": BODY.replace("Dear Ms. Ruiz,\n\n", "")}, "missing_greeting"),
    ("call_request", {"body": BODY.replace("Best regards,\nJill Moreno", "Best regards")}, "unsigned"),
    ("call_request", {"body": with_body("My portfolio: https://jill.example.net/work")}, "unknown_link"),
    ("value_add", {"x_post": "Worth a read on dbt: example.org/other-guide"}, "unknown_link"),
    ("value_add", {"x_post": "A clear, practical guide to moving reporting to dbt, from my notes."}, "no_link"),
    ("value_add", {"x_post": "dbt " * 70 + "https://example.org/dbt-guide"}, "x_too_long"),
    (
        "value_add",
        {"linkedin_message": "Hi Dana, " + "a" * 1900 + " https://example.org/dbt-guide"},
        "linkedin_too_long",
    ),
    ("call_request", {"subject": "A" * 61}, "subject_too_long"),
    ("call_request", {"body": with_body("word " * 120)}, "too_long"),
    ("thank_you", {"letter_paragraphs": ["ABC Corp " + "word " * 260]}, "too_long"),
    (
        "referral_questions",
        {"questions": ["Who should I meet next", "Which teams hire analysts?", "What do you read?"]},
        "not_a_question",
    ),
    (
        "referral_questions",
        {"questions": ["Do you know anyone hiring?", "Which teams hire analysts?", "What do you read?"]},
        "not_open_question",
    ),
    (
        "referral_questions",
        {"questions": ["Which teams hire analysts?", "Which teams hire analysts?", "What do you read?"]},
        "duplicate_question",
    ),
    ("referral_questions", {"questions": ["Which teams hire analysts?", "What do you read?"]}, "question_count"),
    ("call_request", {"body": with_body("I am passionate about data.")}, "buzzword"),
    ("call_request", {"body": with_body("Could you spare 30 minutes?")}, "call_too_long"),
    ("call_request", {"body": with_body("No pressure \u2014 would you reconsider?")}, "reconsider"),
    ("call_request", {"body": with_body("Would you take one more look at my application?")}, "reconsider"),
    ("call_request", {"body": with_body("If anything changes, please let me know.")}, "reconsider"),
    ("call_request", {"body": with_body("Could the decision change if the hire falls through?")}, "reconsider"),
    ("call_request", {"body": with_body("Is there any chance the role is still open?")}, "reconsider"),
    ("call_request", {"body": BODY.replace("A quick", "A quick") + "\n\x1b[31m"}, "control_character"),
    ("call_request", {"subject": "A quick call\nBcc: someone@example.com"}, "control_character"),
    ("call_request", {"body": with_body("I will make sure that the candidate that was selected does well.")},
     "wrong_voice"),
    ("call_request", {"body": with_body("Jill Moreno is a strong analyst with a great record.")}, "wrong_voice"),
    (
        "referral_questions",
        {"questions": ["Why should we select them?", "Which teams hire analysts?", "What do you read?"]},
        "wrong_voice",
    ),
    (
        "referral_questions",
        {"questions": ["What made you think you could do this?", "Which teams hire analysts?", "Who do you read?"]},
        "off_topic_question",
    ),
    ("call_request", {"body": with_body("The Senior Data Analyst Job Offer")}, "wrong_outcome"),
    ("value_add", {"x_post": "Read this: evil.zip/login and https://example.org/dbt-guide"}, "unknown_link"),
    ("value_add", {"x_post": "Read this: evil.example/phish https://example.org/dbt-guide"}, "unknown_link"),
    ("call_request", {"body": with_body("My portfolio: //evil.com/login")}, "unknown_link"),
    ("call_request", {"body": with_body("Please reply to jill.moreno@evil.com instead.")}, "unknown_email"),
    ("call_request", {"subject": "=?utf-8?q?A_call=0D=0ABcc:_eve@evil.io?="}, "encoded_word"),
]  # fmt: skip


@pytest.mark.parametrize(("step", "changes", "code"), FIRING, ids=[f"{c}-{i}" for i, (_, _, c) in enumerate(FIRING)])
def test_rule_fires(step: str, changes: dict[str, Any], code: str) -> None:
    assert code in code_set(step, **changes)


NOT_FIRING = [
    ("call_request", {"body": with_body("See the [dbt guide](https://example.org/dbt-guide).")}, "placeholder"),
    ("call_request", {"body": with_body("I am not asking you to reconsider; I value your advice.")}, "reconsider"),
    ("call_request", {"body": with_body("I was disappointed, but I learned a lot.")}, "negative_tone"),
    ("call_request", {"body": with_body("I would be glad to offer any help with the dbt work.")}, "wrong_outcome"),
    ("call_request", {"body": BODY.replace("Dear Ms. Ruiz", "Hi Dana")}, "wrong_recipient"),
    ("call_request", {"body": BODY.replace("Jill Moreno", "Jill")}, "unsigned"),
    ("call_request", {"body": with_body("My email is jill@example.com.")}, "unknown_link"),
    ("call_request", {"body": with_body("My email is mailto:jill@example.com.")}, "unknown_email"),
    ("call_request", {"body": with_body("We tried A/B testing and/or cohort views.")}, "unknown_link"),
    ("value_add", {"x_post": "Worth a read on dbt: example.org/dbt-guide/"}, "unknown_link"),
    ("value_add", {"x_post": "dbt " * 60 + "https://example.org/dbt-guide"}, "x_too_long"),
    ("call_request", {"subject": "A" * 50}, "subject_too_long"),
    ("call_request", {"body": with_body("I still use the 30-day plan we sketched together.")}, "call_too_long"),
    ("call_request", {"body": with_body("A 15-minute phone call would be plenty.")}, "call_minutes_mismatch"),
    ("referral_questions", {"permission_question": "Would you mind if I mention your name?"}, "not_open_question"),
    ("call_request", {"body": with_body("I enjoyed the team's energy.")}, "buzzword"),
    ("thank_you", {"email_body": GOOD["rejected"]["thank_you"]["email_body"].replace(
        "Should a need", "If anything changes on your side, I'd be glad to hear. Should a need")}, "reconsider"),
    ("call_request", {"body": with_body("I am not writing to ask you to reconsider; advice is all I hope for.")},
     "reconsider"),
    ("call_request", {"body": with_body("Is there any chance you could spare 15 minutes?")}, "reconsider"),
    ("call_request", {"body": with_body("Thank you for the offer of your time.")}, "wrong_outcome"),
    ("call_request", {"body": with_body("I was glad to be a candidate for the role.")}, "wrong_voice"),
    ("referral_questions", {"questions": ["What made the difference for people you hired?",
                                          "Which teams hire analysts?", "Who do you read?"]}, "off_topic_question"),
    ("call_request", {"subject": "A quick call for advice?\n"}, "control_character"),
    ("call_request", {"subject": "Q&A =? A quick call?"}, "encoded_word"),
    ("call_request", {"body": BODY.replace("\n", "\r\n").replace("Thank you", "Thank\tyou")}, "control_character"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("step", "changes", "code"), NOT_FIRING, ids=[f"{c}-{i}" for i, (_, _, c) in enumerate(NOT_FIRING)]
)
def test_rule_does_not_fire(step: str, changes: dict[str, Any], code: str) -> None:
    found = code_set(step, **changes)
    assert code not in found
    assert found <= {"buzzword"} or code == "buzzword"


def test_every_code_has_a_firing_case() -> None:
    # letter_mismatch and wrong_outcome have tests of their own below; invalid_json and schema come from
    # the engine's parsing (test_engine's re-ask test and test_offline's fallback test).
    fired = {code for _, _, code in FIRING} | {"letter_mismatch", "wrong_outcome", "invalid_json", "schema"}
    # The follow-up steps' codes fire in test_followup_guardrails.
    fired |= {"guilt", "asks_for_job", "no_connection", "not_forwardable", "ask_count", "missing_referral",
              "no_call_detail", "not_open_to_role", "missing_context"}  # fmt: skip
    assert set(CODES) <= fired


def test_wrong_outcome_for_declined_offer() -> None:
    body = GOOD["declined_offer"]["call_request"]["body"].replace(
        "Would you have", "Although I was not selected, would you have"
    )
    assert ("wrong_outcome", "body") in codes("call_request", "declined_offer", body=body)
    assert "wrong_outcome" not in code_set("call_request", "declined_offer")
    # The same sentence is right for a rejection.
    assert "wrong_outcome" not in code_set("call_request", "rejected", body=body)


def test_letter_mismatch_when_edited_apart() -> None:
    note = build("thank_you")
    edited = ThankYouNote.model_validate(
        {**note.model_dump(), "letter_paragraphs": ["ABC Corp was kind to consider me."]}
    )
    assert "letter_mismatch" in {v.code for v in check(edited, situation()).violations}
    assert "letter_mismatch" not in {v.code for v in check(note, situation()).violations}


def test_warnings_do_not_fail_the_report() -> None:
    report = check(build("call_request", subject="A" * 55), situation())
    assert report.ok
    assert [v.code for v in report.warnings] == ["subject_too_long"]
    assert report.errors == ()


def test_severity_of_linkedin_thresholds() -> None:
    long = "Hi Dana, " + "a" * 600 + " https://example.org/dbt-guide"
    report = check(build("value_add", linkedin_message=long), situation())
    assert [(v.code, v.severity) for v in report.violations] == [("linkedin_too_long", "warning")]


def test_ignore_leaves_codes_out() -> None:
    value = build("call_request", body=with_body("I am passionate about data."))
    assert "buzzword" in check(value, situation()).codes
    assert "buzzword" not in check(value, situation(), ignore={"buzzword"}).codes


def test_construction_checks_structure_only() -> None:
    # A failing draft still constructs, so a person can load and edit it.
    value = CallRequest(subject="[Subject]", body="no greeting", call_minutes=90)
    assert value.call_minutes == 90
    with pytest.raises(ValidationError, match="call_minutes"):
        CallRequest.model_validate({"subject": "s", "body": "b"})
    with pytest.raises(ValidationError, match="extra"):
        CallRequest.model_validate({"subject": "s", "body": "b", "call_minutes": 5, "p.s.": "x"})


def test_validation_context_with_situation_raises_on_errors() -> None:
    data = good("call_request", subject="About [Company]")
    with pytest.raises(ValidationError, match="placeholder"):
        CallRequest.model_validate(data, context={"situation": situation()})
    assert CallRequest.model_validate(good("call_request"), context={"situation": situation()}).call_minutes == 15


def test_unknown_link_allows_candidates_own_profile() -> None:
    changes = {"candidate": {"name": "Jill Moreno", "linkedin_url": "https://www.linkedin.com/in/jill-moreno"}}
    body = BODY + "\nlinkedin.com/in/jill-moreno"
    assert "unknown_link" not in code_set("call_request", situation_changes=changes, body=body)
    assert "unknown_link" in code_set("call_request", body=body)


def test_check_needs_a_situation() -> None:
    with pytest.raises(InputError, match="Situation") as info:
        check(build("call_request"), {"outcome": "rejected"})
    assert info.value.field == "situation"
