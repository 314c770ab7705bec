"""An example situation (Jill, a finalist for a Senior Data Analyst role at ABC Corp) and answers a good
model might give for each step, both outcomes: for tests, demos and the benchmark."""

from __future__ import annotations

from typing import Any

__all__ = ["EXAMPLE_ANSWERS", "example_situation_data"]


def example_situation_data(outcome: str = "rejected", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "outcome": outcome,
        "candidate": {
            "name": "Jill Moreno",
            "email": "jill@example.com",
            "address": {
                "lines": ["12 Elm Street"],
                "city": "Springfield",
                "region": "IL",
                "postal_code": "62701",
                "country": "USA",
            },
        },
        "hiring_manager": {"name": "Dana Ruiz", "title": "Director of Analytics", "courtesy_title": "Ms."},
        "company": {
            "name": "ABC Corp",
            "address": {
                "lines": ["500 Market Street", "Floor 9"],
                "city": "Chicago",
                "region": "IL",
                "postal_code": "60601",
                "country": "USA",
            },
        },
        "role": "Senior Data Analyst",
        "interview_topics": ["moving reporting to dbt", "churn forecasting"],
        "notes": "Three conversations with Dana; she liked my churn demo.",
        "resources": [
            {
                "url": "https://example.org/dbt-guide",
                "title": "A dbt migration guide",
                "topic": "moving reporting to dbt",
            }
        ],
        "tone": "warm",
    }
    if outcome == "declined_offer":
        data["decline_reason"] = "timing: relocating next year"
    data.update(changes)
    return data


EXAMPLE_ANSWERS: dict[str, dict[str, dict[str, Any]]] = {
    "rejected": {
        "call_request": {
            "subject": "A quick call for advice?",
            "body": (
                "Dear Ms. Ruiz,\n\nThank you for the conversations about the Senior Data Analyst role at ABC Corp. "
                "I enjoyed our talks about moving reporting to dbt.\n\nWould you have 15 minutes for a short call "
                "in the next few weeks? I would value your advice on my search and any people you think I should "
                "meet. I am glad to work around your schedule.\n\nBest regards,\nJill Moreno"
            ),
            "call_minutes": 15,
        },
        "referral_questions": {
            "opener": "Thank you for making time for me, Dana; I know your week is full.",
            "questions": [
                "Who else in the Chicago analytics community should I be talking to about dbt migrations?",
                "Which teams or companies do you see investing in churn forecasting this year?",
                "What kind of analytics leader do you think would value the work I showed you?",
                "Where do you hear about senior analyst openings before they are posted?",
            ],
            "permission_question": "May I mention your name when I reach out to the people you suggest?",
            "closing": "Thank you again; I will follow up with each person and let you know how it goes.",
        },
        "thank_you": {
            "email_subject": "Thank you, and let us stay in touch",
            "email_body": (
                "Hi Dana,\n\nThank you for considering me for the Senior Data Analyst role. I was glad to be "
                "considered by ABC Corp, a company I have long admired, and I enjoyed our talk about churn "
                "forecasting.\n\nShould a need arise in the future, I would be happy to meet again.\n\n"
                "Warm regards,\nJill Moreno"
            ),
            "letter_paragraphs": [
                "Thank you for the time you and your team gave me during the Senior Data Analyst process. "
                "I was glad to be considered by ABC Corp, a company I have long admired and respected.",
                "I especially enjoyed our conversation about moving reporting to dbt. Should a need arise in "
                "the future for what I offer, I would be happy to meet with you again.",
            ],
        },
        "value_add": {
            "email_subject": "A dbt migration guide you might like",
            "email_body": (
                "Hi Dana,\n\nSince we talked about moving reporting to dbt, I thought you might find this "
                "guide useful: https://example.org/dbt-guide\n\nIt covers the staging approach we discussed.\n\n"
                "All the best,\nJill Moreno"
            ),
            "x_post": "A clear, practical guide to moving reporting to dbt: https://example.org/dbt-guide",
            "linkedin_message": (
                "Hi Dana, this dbt migration guide made me think of our conversation: "
                "https://example.org/dbt-guide. Hope it is useful!"
            ),
        },
    },
}

EXAMPLE_ANSWERS["declined_offer"] = {
    "call_request": {
        **EXAMPLE_ANSWERS["rejected"]["call_request"],
        "body": (
            "Dear Ms. Ruiz,\n\nThank you again for the offer for the Senior Data Analyst role at ABC Corp and "
            "for understanding my decision; the timing of my move next year made it the right call for now.\n\n"
            "Would you have 15 minutes for a short call in the coming weeks? I would value your advice and "
            "would love to stay in touch about future roles.\n\nBest regards,\nJill Moreno"
        ),
    },
    "referral_questions": EXAMPLE_ANSWERS["rejected"]["referral_questions"],
    "thank_you": {
        **EXAMPLE_ANSWERS["rejected"]["thank_you"],
        "email_body": (
            "Hi Dana,\n\nThank you for the offer for the Senior Data Analyst role and for the confidence it "
            "showed. I was glad to be considered by ABC Corp, a company I admire.\n\nShould a role that fits "
            "my timing come up, I would be happy to meet again.\n\nWarm regards,\nJill Moreno"
        ),
    },
    "value_add": EXAMPLE_ANSWERS["rejected"]["value_add"],
}
