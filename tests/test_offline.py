"""The offline writer: every draft it writes passes every guardrail, for any reasonable situation."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from conftest import situation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lemonade import STEPS, GuardrailError, Lemonade, OfflineWarning, Situation, check
from lemonade.testing import Reply, ScriptedServer

FIRST = ["Jill", "Zoë", "Anne-Marie", "José", "Siobhán", "Li", "Øystein", "Mary Kate", "Jean-Luc", "Ngozi"]
LAST = ["Moreno", "O'Brien", "Ruiz-Díaz", "Nguyen", "Müller", "van der Berg", "Okafor", "Łukasz", "Smith", "Dubois"]
WORDS = ["churn", "forecasting", "pricing", "dbt", "migration", "reporting", "onboarding", "retention", "data",
         "quality", "experiments", "dashboards", "latency", "search", "ranking", "supply", "chain", "hiring",
         "payments", "fraud", "models", "roadmap", "mobile", "growth", "privacy", "analytics", "platform"]  # fmt: skip
COMPANIES = ["ABC Corp", "Müller & Söhne GmbH", "Northwind Traders", "Acme", "Zeta-Labs", "Café Olé Ltd"]
ROLES = ["Senior Data Analyst", "Product Manager", "Staff Engineer", "Head of Growth", "UX Researcher"]

topic = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5, unique=True).map(" ".join)
sentence = st.lists(st.sampled_from([*WORDS, "the", "we", "talked", "about", "she", "liked", "my", "demo"]),
                    min_size=3, max_size=20).map(lambda w: " ".join(w).capitalize() + ".")  # fmt: skip
address = st.none() | st.fixed_dictionaries(
    {"lines": st.just(["1 Main Street"]), "city": st.sampled_from(["Berlin", "Lyon", "Austin"]),
     "postal_code": st.just("10115"), "country": st.sampled_from(["Germany", "France", "USA"])},
    optional={"region": st.just("TX")},
)  # fmt: skip


@st.composite
def situations(draw: st.DrawFn) -> Situation:
    first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    m_first, m_last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    if (first, last) == (m_first, m_last):
        m_last = "Okafor" if last != "Okafor" else "Smith"
    topics = draw(st.lists(topic, min_size=1, max_size=8, unique=True))
    outcome = draw(st.sampled_from(["rejected", "declined_offer"]))
    resources = [
        {"url": f"https://example.org/{i}/{'-'.join(t.split())}", "title": draw(topic).title(), "topic": t}
        | ({"note": draw(sentence)} if draw(st.booleans()) else {})
        for i, t in enumerate(draw(st.lists(st.sampled_from(topics), min_size=1, max_size=4)))
    ]
    data: dict[str, Any] = {
        "outcome": outcome,
        "candidate": {"name": f"{first} {last}", "address": draw(address)}
        | ({"email": "me@example.com"} if draw(st.booleans()) else {}),
        "hiring_manager": {"name": f"{m_first} {m_last}"}
        | ({"courtesy_title": draw(st.sampled_from(["Ms.", "Mr.", "Dr.", "Mx."]))} if draw(st.booleans()) else {}),
        "company": {"name": draw(st.sampled_from(COMPANIES)), "address": draw(address)},
        "role": draw(st.sampled_from(ROLES)),
        "interview_topics": topics,
        "notes": draw(st.none() | st.lists(sentence, min_size=1, max_size=60).map(" ".join)),
        "resources": resources,
        "tone": draw(st.sampled_from(["warm", "formal", "brief"])),
    }
    if outcome == "declined_offer" and draw(st.booleans()):
        data["decline_reason"] = draw(st.sampled_from(["timing: relocating next year", "the team size", "fit"]))
    return Situation.model_validate(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations(), st.integers(min_value=0, max_value=10_000))
def test_every_offline_draft_passes_every_guardrail(s: Situation, seed: int) -> None:
    kit = Lemonade(backend="offline", seed=seed).kit(s)
    for step, draft in kit.drafts.items():
        assert draft.report.violations == (), (step, draft.report, draft.text)
        assert check(draft.value, s).errors == ()
        assert draft.model == "offline"


@settings(max_examples=40, deadline=None)
@given(situations())
def test_deterministic_for_a_seed_and_varied_across_seeds(s: Situation) -> None:
    one = Lemonade(backend="offline", seed=1).kit(s)
    assert one == Lemonade(backend="offline", seed=1).kit(s)
    bodies = {Lemonade(backend="offline", seed=seed).call_request(s).value.body for seed in range(12)}
    assert len(bodies) >= 4


def test_warns_once_naming_how_to_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    lm = Lemonade()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lm.call_request(situation())
        lm.thank_you(situation())
    messages = [str(w.message) for w in caught if issubclass(w.category, OfflineWarning)]
    assert len(messages) == 1
    assert "OPENAI_API_KEY" in messages[0] and "OPENAI_BASE_URL" in messages[0]


def test_auto_is_offline_without_key_or_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert Lemonade().backend == "offline"
    draft = Lemonade().thank_you(situation("declined_offer"))
    assert draft.model == "offline" and draft.usage.requests == 0
    assert "no model was used" in draft.report.notes[0]
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert Lemonade().backend == "openai"


def test_uses_topics_notes_and_resources_without_inventing_links() -> None:
    s = situation(notes="Two conversations; she liked my churn demo.")
    kit = Lemonade(backend="offline").kit(s)
    assert "churn forecasting" in kit.thank_you.value.email_body  # the topic the notes mention leads
    several = {Lemonade(backend="offline", seed=n).call_request(s).value.body for n in range(20)}
    one = {Lemonade(backend="offline", seed=n).call_request(situation(notes=None)).value.body for n in range(20)}
    assert any("conversations about" in body for body in several)
    assert not any("conversations" in body for body in one)
    assert "https://example.org/dbt-guide" in kit.value_add.value.x_post
    assert "she liked" not in kit.call_request.value.body  # notes are never quoted


def test_declined_offer_framing() -> None:
    kit = Lemonade(backend="offline").kit(situation("declined_offer"))
    assert "offer" in kit.call_request.value.body
    assert "timing" in kit.call_request.value.body  # from the decline reason
    assert "offer" not in Lemonade(backend="offline").kit(situation()).call_request.value.body


@pytest.mark.parametrize("step", STEPS)
def test_fallback_returns_the_offline_draft_with_a_note(step: str) -> None:
    with ScriptedServer(defaults={step: Reply(content={"nonsense": True})}) as server:
        import openai

        client = openai.OpenAI(base_url=server.url, api_key="k")
        lm = Lemonade(client=client, fallback="offline")
        draft = lm.draft(step, situation())  # type: ignore[arg-type]
        assert server.count() == 3
        assert draft.model == "offline"
        assert draft.attempts == 3 and draft.usage.requests == 3
        assert "after 3 answer(s)" in draft.report.notes[0] and draft.report.ok
        with pytest.raises(GuardrailError):
            Lemonade(client=client).draft(step, situation())  # type: ignore[arg-type]
        client.close()


def test_bad_backend_and_fallback() -> None:
    with pytest.raises(ValueError, match="backend"):
        Lemonade(backend="cloud")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fallback"):
        Lemonade(fallback="template")  # type: ignore[arg-type]


def test_the_warning_points_at_the_callers_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Lemonade().kit(situation())
    (warning,) = [w for w in caught if issubclass(w.category, OfflineWarning)]
    assert warning.filename == __file__


def test_offline_by_choice_says_nothing() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kit = Lemonade(backend="offline").kit(situation())
    assert kit.ok
    assert not [w for w in caught if issubclass(w.category, OfflineWarning)]
