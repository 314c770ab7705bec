"""How long the guardrails take on hostile answers, up to 10 MB: a server that ignores max_tokens, a model that
loops, and texts built to make a rule work hard. Target: every case under 50 ms on this machine.

Times ``check_answer`` (the answer's value built, every rule run, the report made) for each case, the best of
a few rounds, and prints the figures. The JSON parse before it is the engine's and is not counted.

    python bench/guardrails.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from lemonade import Situation
from lemonade.drafts._check import check_answer
from lemonade.guardrails._rules import FAR_OVER
from lemonade.testing import EXAMPLE_ANSWERS, example_situation_data

MB = 1_000_000
GOOD = EXAMPLE_ANSWERS["rejected"]


def _repeat(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, step, answer) for each hostile answer."""
    under = FAR_OVER - 1  # the most a text can hold and still meet every rule
    hostile = {
        "words": "word ",
        "dotted labels": "a.",
        "hyphen labels": "a-a.",
        "open parens": "(",
        "schemes": "http://",
        "reconsider, disclaimed": "I'm not asking you to reconsider ",
        "durations": "30 minutes ",
        "placeholders": "[Name] ",
        "links": "evil.zip/login ",
        "split words": "r e c o n s i d e r ",
        "invisible characters": "a\u200b\u00ad",
        "look-alike letters": "\u0440\u0435\u0441\u043e\u0440 ",
        "links after hyphens": "-a.b-c_d.e ",
        "a local part": "a",
        "email addresses": "a.b@c.de ",
        "hour shorthand": "for 1h for 30' ",
        "the candidate's names": "Moreno would Jill has ",
        "encoded words": "=?utf-8?b?",
    }
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("call body, 10 MB of words", "call_request", {**GOOD["call_request"], "body": _repeat("word ", 10 * MB)}),
        ("call body, 10 MB of a.a.a.", "call_request", {**GOOD["call_request"], "body": _repeat("a.", 10 * MB)}),
        ("x post, 10 MB", "value_add", {**GOOD["value_add"], "x_post": _repeat("a.", 10 * MB)}),
        ("subject, 10 MB", "call_request", {**GOOD["call_request"], "subject": _repeat("Hi ", 10 * MB)}),
        (
            "500,000 questions (10 MB)",
            "referral_questions",
            {**GOOD["referral_questions"], "questions": ["Who do you know in dbt?"] * 500_000},
        ),
        (
            "100,000 letter paragraphs (10 MB)",
            "thank_you",
            {**GOOD["thank_you"], "letter_paragraphs": [_repeat("ABC Corp word ", 100)] * 100_000},
        ),
        (
            "50 distinct questions of 400 characters",
            "referral_questions",
            {
                **GOOD["referral_questions"],
                "questions": [f"Who {i} " + _repeat(f"w{i} ", 390) + "?" for i in range(50)],
            },
        ),
    ]
    for name, piece in hostile.items():
        text = _repeat(piece, under - 2) + ("@x" if piece == "a" else piece[:2])
        out.append((f"call body, {under:,} chars of {name}", "call_request", {**GOOD["call_request"], "body": text}))
        out.append((f"x post, {under:,} chars of {name}", "value_add", {**GOOD["value_add"], "x_post": text}))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    situation = Situation.model_validate(example_situation_data())
    today = date(2026, 11, 26)
    worst = 0.0
    print(f"best of {args.rounds} rounds; target: each under 50 ms")
    for name, step, answer in cases():
        best = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            _, found = check_answer(step, answer, situation, today=today)  # type: ignore[arg-type]
            best = min(best, time.perf_counter() - start)
        codes = sorted({v.code for v in found})
        worst = max(worst, best)
        print(f"{best * 1000:8.2f} ms  {name:55s} {', '.join(codes)[:60]}")
    print(f"worst: {worst * 1000:.2f} ms ({'under' if worst < 0.05 else 'OVER'} the 50 ms target)")


if __name__ == "__main__":
    main()
