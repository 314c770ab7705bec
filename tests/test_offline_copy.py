"""The offline writer's drafts, read as the hiring manager who receives them: one voice per kit, forms of address
that never guess, the organisation's kind, role names with commas, declined offers, the finalist's standing, the
call sheet, and X and LinkedIn written the way people write them. The prompt files are held to the same points."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import situation, situation_data

from lemonade import Kit, Lemonade, Person, Situation

SEEDS = range(12)
TONES = ["warm", "formal", "brief"]
HOSPITAL = {
    "outcome": "rejected",
    "role": "Nurse Manager, Pediatric ICU",
    "tone": "formal",
    "interview_topics": ["family-centred rounds", "nurse retention on night shifts"],
    "notes": "Two interviews and a unit tour; we talked a lot about night-shift retention.",
    "candidate": {"name": "Aoife Brennan", "email": "aoife@example.ie"},
    "hiring_manager": {"name": "Inés Peña Solís", "courtesy_title": "Dr.", "salutation_name": "Dr. Peña",
                       "x_handle": "InesPenaRN"},
    "company": {"name": "St. Brigid's Children's Hospital", "kind": "hospital"},
    "resources": [
        {"url": "https://example.org/research/night-shift-retention", "title": "What keeps night-shift nurses",
         "topic": "nurse retention on night shifts", "note": "It backs up the self-scheduling pilot with numbers"},
        {"url": "https://example.org/toolkits/rounds", "title": "A family-centred rounds toolkit",
         "topic": "family-centred rounds"},
    ],
}  # fmt: skip


def kit(s: Situation, seed: int = 0) -> Kit:
    return Lemonade(backend="offline", seed=seed).kit(s)


def situations() -> list[Situation]:
    out = [Situation.example("rejected"), Situation.example("declined_offer"), Situation.model_validate(HOSPITAL)]
    for outcome in ("rejected", "declined_offer"):
        out += [Situation.model_validate(situation_data(outcome, tone=tone)) for tone in TONES]
    return out


SITUATIONS = situations()
IDS = [f"{s.outcome}-{s.tone}-{s.company.name.split()[0]}" for s in SITUATIONS]


def texts(k: Kit) -> dict[str, str]:
    """Every text a kit sends or prints, by step."""
    return {step: draft.text for step, draft in k.drafts.items()}


def emails(k: Kit) -> dict[str, str]:
    return {
        "call_request": k.call_request.value.body,
        "thank_you": k.thank_you.value.email_body,
        "value_add": k.value_add.value.email_body,
    }


def first_words(body: str, n: int = 3) -> str:
    """The first ``n`` words of the first sentence after the greeting line."""
    after = body.split("\n", 1)[1].strip()
    return " ".join(re.findall(r"[\w']+", after)[:n]).lower()


def sentences(text: str) -> set[str]:
    return {" ".join(s.split()).lower() for s in re.split(r"(?<=[.?!:])\s+|\n", text) if len(s.split()) >= 4}


# -- variety ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("s", SITUATIONS, ids=IDS)
def test_twelve_seeds_give_at_least_six_bodies_per_step_and_four_x_posts(s: Situation) -> None:
    kits = [kit(s, seed) for seed in SEEDS]
    for step in ("call_request", "referral_questions", "thank_you", "value_add"):
        assert len({k.drafts[step].text for k in kits}) >= 6, step
    assert len({k.value_add.value.x_post for k in kits}) >= 4


# -- one voice per kit -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("s", SITUATIONS, ids=IDS)
def test_one_sign_off_per_kit_and_the_letter_closes_the_same_way(s: Situation) -> None:
    for seed in SEEDS:
        k = kit(s, seed)
        closings = {body.split(f"\n{s.candidate.name}", 1)[0].rsplit("\n", 1)[-1] for body in emails(k).values()}
        assert closings == {k.thank_you.value.letter.closing}, (seed, closings)
        greetings = {body.split("\n", 1)[0] for body in emails(k).values()}
        assert len(greetings) == 1


@pytest.mark.parametrize("s", SITUATIONS, ids=IDS)
def test_no_two_steps_open_alike_or_share_a_sentence(s: Situation) -> None:
    for seed in SEEDS:
        k = kit(s, seed)
        openings = [first_words(body) for body in emails(k).values()]
        openings.append(" ".join(re.findall(r"[\w']+", k.referral_questions.value.opener)[:3]).lower())
        assert len(set(openings)) == 4, (seed, openings)
        said = {step: sentences(text) for step, text in texts(k).items()}
        signature = sentences(k.call_request.value.body.split("\n\n")[-1])
        for step, mine in said.items():
            for other, theirs in said.items():
                if step < other:
                    assert not (mine & theirs) - signature, (seed, step, other, mine & theirs)
        whole = " ".join(texts(k).values()).lower()
        assert whole.count("stayed with me") <= 1


# -- the X post and LinkedIn -----------------------------------------------------------------------------------


def test_x_post_speaks_for_the_candidate_and_thanks_the_managers_handle() -> None:
    s = Situation.example("rejected")
    assert s.hiring_manager.x_handle == "@danaruiz"
    posts = [kit(s, seed).value_add.value.x_post for seed in SEEDS]
    assert all("@danaruiz" in post for post in posts)
    hooks = {post.split(' "', 1)[0] for post in posts}
    thanks = {post.rsplit("\n\n", 1)[-1] for post in posts}
    assert len(hooks) >= 4 and len(thanks) >= 4
    for post in posts:
        assert "churn forecasting" in post.split('"', 1)[0]  # why it matters: the topic it is about
        assert not re.search(r"\b(?:candidate|offer|rejected|selected|interview)\b", post, re.I)


def test_x_post_thanks_the_organisation_when_the_manager_has_no_handle() -> None:
    data = situation_data(company={"name": "ABC Corp", "x_handle": "abccorp"})
    post = kit(Situation.model_validate(data)).value_add.value.x_post
    assert "the team at @abccorp" in post
    plain = kit(Situation.model_validate(situation_data())).value_add.value.x_post
    assert "@" not in plain


def test_x_post_phrasings_number_four_per_sentence_role() -> None:
    data = situation_data(company={"name": "ABC Corp", "x_handle": "abccorp"})
    posts = [kit(Situation.model_validate(data), seed).value_add.value.x_post for seed in range(40)]
    assert len({p.split(' "', 1)[0] for p in posts}) >= 4
    assert len({p.rsplit("\n\n", 1)[-1] for p in posts}) >= 4


@pytest.mark.parametrize("s", SITUATIONS, ids=IDS)
def test_linkedin_is_written_as_a_linkedin_message(s: Situation) -> None:
    m, c = s.hiring_manager, s.candidate
    for seed in SEEDS:
        message = kit(s, seed).value_add.value.linkedin_message
        first, *_, last = message.split("\n")
        assert first == (f"Hello {m.formal_name}," if s.tone == "formal" else f"Hi {m.first_name},")
        assert last == (c.name if s.tone == "formal" else c.first_name)
        assert "Dear" not in message and "I hope it is useful" not in message
        assert len(message) < 500 and any(r.url in message for r in s.resources)


# -- the value-add email ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("s", SITUATIONS, ids=IDS)
def test_value_add_email_has_no_topic_tags_and_no_one_item_list(s: Situation) -> None:
    for seed in SEEDS:
        body = kit(s, seed).value_add.value.email_body
        for r in s.resources:
            assert f"({r.topic})" not in body
        bullets = [line for line in body.splitlines() if line.startswith("- ")]
        assert len(bullets) != 1
        assert bool(bullets) == (len(s.resources) > 1)
        assert "stayed with me" not in body


# -- organisations, names and roles ----------------------------------------------------------------------------


def test_a_hospital_is_never_called_a_company() -> None:
    s = Situation.model_validate(HOSPITAL)
    seen = ""
    for seed in SEEDS:
        whole = " ".join(texts(kit(s, seed)).values())
        assert "company" not in whole.lower()
        seen += whole
    assert "a hospital I" in seen


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        (None, "whose work I"),
        ("agency", "an agency I"),
        ("university", "a university I"),
        ("government", "whose work I"),
    ],
)
def test_the_organisations_kind_or_neutral_words(kind: str | None, phrase: str) -> None:
    data = situation_data(company={"name": "ABC Corp", **({"kind": kind} if kind else {})})
    whole = " ".join(" ".join(texts(kit(Situation.model_validate(data), seed)).values()) for seed in SEEDS)
    assert phrase in whole
    if kind != "company":
        assert "a company" not in whole


@pytest.mark.parametrize(
    ("manager", "letter", "formal_email"),
    [
        ({"name": "Inés Peña Solís", "courtesy_title": "Dr."}, "Dear Dr. Inés Peña Solís:",
         "Dear Dr. Inés Peña Solís,"),
        ({"name": "Inés Peña Solís", "courtesy_title": "Dr.", "salutation_name": "Dr. Peña"}, "Dear Dr. Peña:",
         "Dear Dr. Peña,"),
        ({"name": "Inés", "courtesy_title": "Dr."}, "Dear Inés:", "Dear Inés,"),
        ({"name": "Jan van der Berg", "courtesy_title": "Mr."}, "Dear Mr. van der Berg:", "Dear Mr. van der Berg,"),
        ({"name": "Dana Ruiz", "courtesy_title": "Ms."}, "Dear Ms. Ruiz:", "Dear Ms. Ruiz,"),
        ({"name": "Dana Ruiz"}, "Dear Dana Ruiz:", "Dear Dana Ruiz,"),
    ],
)  # fmt: skip
def test_forms_of_address_are_never_guessed(manager: dict[str, str], letter: str, formal_email: str) -> None:
    s = Situation.model_validate(situation_data(hiring_manager=manager, tone="formal"))
    k = kit(s)
    assert k.ok, [d.report for d in k.drafts.values()]
    assert k.thank_you.value.letter.salutation == letter
    assert all(body.startswith(formal_email + "\n") for body in emails(k).values())
    whole = " ".join(texts(k).values())
    assert "Dr. Solís" not in whole and "Dr. Inés," not in whole and "Dr. Inés:" not in whole
    warm = kit(Situation.model_validate(situation_data(hiring_manager=manager, tone="warm")))
    assert warm.ok and warm.call_request.value.body.split("\n")[0].endswith(f" {manager['name'].split()[0]},")


def test_salutation_name_is_the_name_alone() -> None:
    with pytest.raises(ValueError, match="without"):
        Person(name="Inés Peña Solís", salutation_name="Dear Dr. Peña")
    assert Person(name="John F. Kennedy", courtesy_title="Mr.").formal_name == "Mr. Kennedy"
    assert Person(name="Mary Kate Smith", courtesy_title="Ms.").surname is None


def test_a_role_name_with_a_comma_is_phrased_around() -> None:
    s = Situation.model_validate(HOSPITAL)
    for seed in SEEDS:
        whole = " ".join(texts(kit(s, seed)).values())
        assert "Nurse Manager, Pediatric ICU" not in whole
    bodies = " ".join(kit(s, seed).call_request.value.body for seed in SEEDS)
    assert "the Nurse Manager (Pediatric ICU) role" in bodies


# -- outcomes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "timing: relocating next year", "the team size"])
@pytest.mark.parametrize("tone", TONES)
def test_a_declined_offer_presumes_nothing_and_asks_nothing_tone_deaf(reason: str | None, tone: str) -> None:
    data = situation_data("declined_offer", tone=tone, role="Product Manager, Payments")
    data.pop("decline_reason", None)
    if reason:
        data["decline_reason"] = reason
    for seed in SEEDS:
        k = kit(Situation.model_validate(data), seed)
        whole = " ".join(texts(k).values()).lower()
        assert "understanding" not in whole
        sheet = k.referral_questions.text.lower()
        assert "hiring for" not in sheet and "similar to" not in sheet and "finalist" not in whole


@pytest.mark.parametrize("tone", TONES)
def test_a_rejection_never_speaks_of_news_or_an_offer(tone: str) -> None:
    s = Situation.model_validate(situation_data(tone=tone))
    for seed in SEEDS:
        whole = " ".join(texts(kit(s, seed)).values()).lower()
        assert "news" not in whole and "offer" not in whole and "reconsider" not in whole
        assert "the candidate" not in whole and "chance" not in whole and "if anything changes" not in whole


@pytest.mark.parametrize("tone", TONES)
def test_the_finalists_standing_is_drawn_on_with_grace(tone: str) -> None:
    s = Situation.model_validate(situation_data(tone=tone))
    for seed in SEEDS:
        k = kit(s, seed)
        assert "final" in k.call_request.value.body.lower()
        assert "final" in k.referral_questions.value.opener.lower() or "up close" in k.referral_questions.value.opener
        assert not re.search(r"\bowe|\bdeserve|\bshould have\b", k.call_request.value.body, re.I)


_RANKS = [
    r"talking to|call first|interesting work|introduce me",
    r"stay in touch|keep in touch",
    r"network|former colleagues",
    r"fit best|what I bring",
    r"teams or organizations|organizations come to mind",
    r"openings|hear about new roles",
    r"approach my search|focus on in my search",
]


def rank(question: str) -> int:
    return next(i for i, pattern in enumerate(_RANKS) if re.search(pattern, question))


@pytest.mark.parametrize("s", SITUATIONS, ids=IDS)
def test_three_to_five_questions_the_most_valuable_first(s: Situation) -> None:
    counts = set()
    for seed in SEEDS:
        questions = kit(s, seed).referral_questions.value.questions
        counts.add(len(questions))
        assert 3 <= len(questions) <= 5 and questions[0].startswith("Who")
        ranks = [rank(q) for q in questions]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert len(counts) >= 2


# -- the prompt files carry the same care ----------------------------------------------------------------------


def rendered(step: str, data: dict[str, Any]) -> str:
    preview = Lemonade(backend="offline").preview(step, Situation.model_validate(data))  # type: ignore[arg-type]
    return "\n".join(m["content"] for m in preview.messages)


def test_prompts_give_one_sign_off_and_the_forms_of_address() -> None:
    data = {**HOSPITAL, "tone": "warm"}
    for step in ("call_request", "thank_you", "value_add"):
        prompt = rendered(step, data)
        assert '"Warm regards,"' in prompt and "Dear Dr. Peña," in prompt and "Hi Inés," in prompt
    assert "Hiring manager: Dr. Peña (Inés Peña Solís)" in rendered("thank_you", data)


def test_prompts_name_the_organisations_kind_or_stay_neutral() -> None:
    assert "St. Brigid's Children's Hospital, a hospital they admire" in rendered("thank_you", HOSPITAL)
    assert "ABC Corp, an organization they admire" in rendered("thank_you", situation_data())
    assert "phrase around it" in rendered("call_request", HOSPITAL)


def test_prompts_for_a_declined_offer_presume_nothing() -> None:
    call = rendered("call_request", situation_data("declined_offer"))
    assert "do not thank them for their understanding" in call
    sheet = rendered("referral_questions", situation_data("declined_offer"))
    assert "Do not ask\nwho is hiring" in sheet or "Do not ask who is hiring" in " ".join(sheet.split())


def test_prompts_use_the_finalists_standing_and_ask_three_to_five_questions() -> None:
    assert "finalist" in rendered("call_request", situation_data())
    sheet = " ".join(rendered("referral_questions", situation_data()).split())
    assert "Between 3 and 5 questions, the most valuable first" in sheet and "finalist" in sheet
    assert "Do not thank them for delivering the news" in " ".join(rendered("call_request", situation_data()).split())


def test_the_value_add_prompt_asks_for_x_and_linkedin_as_people_write_them() -> None:
    prompt = " ".join(rendered("value_add", {**HOSPITAL, "tone": "warm"}).split())
    assert "@InesPenaRN (the hiring manager)" in prompt and "Invent no handles" in prompt
    assert "written as a LinkedIn message is written" in prompt and "never tag a link with its topic" in prompt
    assert "only for two links or more" in prompt and "has stayed with me" in prompt
    assert "thanks naming them: none" not in prompt
    assert "naming them: none" in " ".join(rendered("value_add", situation_data()).split())


WARM_WORDS = ("a lot", "a great deal", "appreciate", "grateful", "generous", "meant", "means", "mean ")


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
@pytest.mark.parametrize("tone", ["warm", "formal", "brief"])
def test_no_message_leans_on_the_same_warm_words_twice(outcome: str, tone: str) -> None:
    s = situation(outcome, tone=tone)
    for seed in range(12):
        kit = Lemonade(backend="offline", seed=seed).kit(s)
        messages = {
            "call_request": kit.call_request.value.body,
            "thank_you": kit.thank_you.value.email_body,
            "letter": " ".join(kit.thank_you.value.letter_paragraphs),
            "value_add": kit.value_add.value.email_body,
        }
        for name, text in messages.items():
            lowered = text.lower()
            for words in WARM_WORDS:
                assert lowered.count(words) <= 1, f"seed {seed}, {name}: {words!r} twice in {text!r}"
