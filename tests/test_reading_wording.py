"""The wording rules read a text as a reader does: a word split by a hyphen, a space or an invisible character,
or spelt with look-alike letters, is still that word; the same asks in other words and other languages are
found; honest wording around them, disguised the same way, stays clean."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GOOD, TODAY, situation
from hypothesis import given, settings
from hypothesis import strategies as st

from lemonade import CallRequest, Letter, ThankYouNote, check
from lemonade.guardrails._phrases import words_in
from lemonade.guardrails._reading import _LOOK_ALIKES, as_read
from lemonade.guardrails._rules import _EVERY_TEXT

LATIN_TO_LOOK_ALIKES: dict[str, list[str]] = {}
for look_alike, latin in _LOOK_ALIKES.items():
    LATIN_TO_LOOK_ALIKES.setdefault(latin, []).append(look_alike)
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u034f", "\U000e0020"]
SPLITS = ["-", " ", "\u2010", "\u2011", "_", "-\n", "*", "\u00a0"]


def body_with(paragraph: str) -> str:
    paragraphs = GOOD["rejected"]["call_request"]["body"].split("\n\n")
    paragraphs.insert(2, paragraph)
    return "\n\n".join(paragraphs)


def codes(paragraph: str) -> set[str]:
    value = CallRequest.model_validate({**GOOD["rejected"]["call_request"], "body": body_with(paragraph)})
    return set(check(value, situation()).codes)


@st.composite
def disguised(draw: st.DrawFn, word: str, invisible: tuple[str, ...] = tuple(INVISIBLE)) -> str:
    """``word`` with some letters swapped for look-alikes, invisible characters between some, full-width forms."""
    out = []
    for i, char in enumerate(word):
        how = draw(st.sampled_from(["as is", "look-alike", "full width", "invisible after"]))
        if how == "look-alike" and char in LATIN_TO_LOOK_ALIKES:
            char = draw(st.sampled_from(LATIN_TO_LOOK_ALIKES[char]))
        elif how == "full width" and char.isascii() and char.isalpha():
            char = chr(ord(char) + 0xFEE0)
        elif how == "invisible after" and i < len(word) - 1:
            char += draw(st.sampled_from(invisible))
        out.append(char)
    return "".join(out)


@st.composite
def split(draw: st.DrawFn, word: str) -> str:
    """``word`` cut once or more by hyphens, spaces and the like, as a person splits a word."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=len(word) - 1), min_size=1, max_size=3)))
    pieces = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
    return "".join(p + (draw(st.sampled_from(SPLITS)) if i < len(pieces) - 1 else "") for i, p in enumerate(pieces))


# (sentence, the word in it to disguise, the code it must raise)
WATCHED_SENTENCES = [
    ("Would you reconsider my application?", "reconsider", "reconsider"),
    ("Could the team reevaluate the outcome?", "reevaluate", "reconsider"),
    ("I hope you will revisit the decision.", "revisit", "reconsider"),
    ("Honestly the process felt unfair.", "unfair", "negative_tone"),
    ("Thank you for the job offer.", "offer", "wrong_outcome"),
    ("Let me know what works for [Company Name].", "Company", "placeholder"),
    ("I am passionate about data.", "passionate", "buzzword"),
    ("I will make sure that the candidate that was selected does well.", "candidate", "wrong_voice"),
]


@pytest.mark.parametrize(("sentence", "word", "code"), WATCHED_SENTENCES)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_look_alike_letters_and_invisible_characters_hide_no_phrase(
    data: st.DataObject, sentence: str, word: str, code: str
) -> None:
    assert code in codes(sentence.replace(word, data.draw(disguised(word))))


@pytest.mark.parametrize(("sentence", "word", "code"), [w for w in WATCHED_SENTENCES if w[2] != "placeholder"][:4])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_watched_word_split_in_pieces_is_still_read(data: st.DataObject, sentence: str, word: str, code: str) -> None:
    assert code in codes(sentence.replace(word, data.draw(split(word))))


HONEST = [
    "I am not asking you to reconsider; I value your advice.",
    "Thank you for considering me for the role.",
    "I know you are considering many people this season.",
    "I would be glad to be considered for future roles at ABC Corp.",
    "Please keep me in mind for future openings.",
    "Thank you for the offer of your time.",
    "Thank you for taking the time to review my application.",
    "I reviewed the decision tree we built for churn.",
    "I learned a lot from the process.",
    "Please consider me for future roles.",
    "Should another opportunity arise, I would be glad to hear of it.",
    "I took another look at the dbt guide you shared.",
    "Our Q3 and Q4 reviews went well; B2B churn fell 15%.",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(HONEST), st.data())
def test_honest_wording_disguised_the_same_way_stays_clean(sentence: str, data: st.DataObject) -> None:
    words = sentence.split(" ")
    at = data.draw(st.integers(min_value=0, max_value=len(words) - 1))
    # U+FEFF is refused anywhere as a control character; the others are only read away.
    words[at] = data.draw(disguised(words[at], tuple(c for c in INVISIBLE if c != "\ufeff")))
    assert codes(" ".join(words)) <= {"buzzword"}


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_wording_stays_clean(sentence: str) -> None:
    assert codes(sentence) <= {"buzzword"}


OTHER_WORDS = [
    "Could I be considered again for this role?",
    "Would you consider me again for the position?",
    "Is there any way to be put back in the running for this role?",
    "Could I get back on the shortlist?",
    "Please keep my application active for this role.",
    "Could you keep the position open for me?",
    "I would love to remain under consideration.",
    "Can the decision be appealed?",
    "Is there an appeal process for the decision?",
    "Could you appeal against the decision for me?",
    "My rejection could still be revisited, I hope.",
    "Would you revisit my application?",
    "Could you look at my application again?",
    "If your first choice declines, please think of me.",
    "Pourriez-vous reconsidérer votre décision ?",
    "Pourriez-vous revenir sur votre décision ?",
    "Könnten Sie Ihre Entscheidung noch einmal überdenken?",
    "Könnten Sie es sich noch einmal überlegen?",
    "Vielleicht lässt sich die Entscheidung noch ändern?",
    "¿Podría reconsiderar su decisión?",
    "¿Podría cambiar de opinión?",
    "Poderia rever a sua decisão?",
    "Potrebbe riconsiderare la decisione?",
    "Zou u uw beslissing willen heroverwegen?",
    "I hope you'll think again about my application.",
    "Could you keep me in mind for this role?",
    "Is the position still open?",
    "\u00bfPodr\u00eda volver a considerar mi candidatura?",
    "K\u00f6nnten Sie das noch einmal pr\u00fcfen?",
    "Would you rec0nsider my application?",
    "Would you r3c0ns1d3r my application?",
]


@pytest.mark.parametrize("sentence", OTHER_WORDS)
def test_the_same_ask_in_other_words_and_languages_is_reconsider(sentence: str) -> None:
    assert "reconsider" in codes(sentence)


def test_the_thank_you_may_still_invite_new_needs() -> None:
    note = GOOD["rejected"]["thank_you"]
    body = note["email_body"].replace(
        "Should a need", "If anything changes on your side, I'd be glad to hear. Should a need"
    )
    data: dict[str, Any] = {**note, "email_body": body}
    data["letter"] = Letter.for_situation(situation(), data["letter_paragraphs"], on=TODAY).model_dump()
    assert check(ThankYouNote.model_validate(data), situation()).violations == ()


def test_reading_folds_what_a_reader_does_not_see() -> None:
    assert as_read("re\u00adcon\u200bsid\u0435r") == "reconsider"
    assert as_read("r\u00e9consid\u00e9rer \u201cit\u2019s\u201d") == 'reconsiderer "it\'s"'
    assert as_read("\uff52\uff45\uff43\uff4f\uff4e") == "recon"
    assert as_read("1\u00bd hours") == "1.5 hours"


_EVERY_TEXT_WORDS = sorted({w for phrases in _EVERY_TEXT for rule in phrases.rules for w in rule.words})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_EVERY_TEXT_WORDS) | st.sampled_from(["a", "re", "the", "un", "x", "s"]),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.sampled_from([" ", "", "-", "\n", ".", "x"]), min_size=12, max_size=12),
)
def test_one_scan_finds_every_word_a_search_for_each_would(pieces: list[str], glue: list[str]) -> None:
    text = "".join(piece + sep for piece, sep in zip(pieces, glue, strict=False))
    starts = [i for i in range(len(text)) if i == 0 or not text[i - 1].isalnum()]
    naive = {w for w in _EVERY_TEXT_WORDS if any(text.startswith(w, i) for i in starts)}
    assert words_in(text, _EVERY_TEXT) == naive


def test_a_placeholder_glued_to_a_word_is_still_found() -> None:
    assert "placeholder" in codes("Regards from the team at[Company Name].")
