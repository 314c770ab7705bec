"""X's weighted length: twitter-text's own conformance suite, and agreement with an independent port.

The suite is twitter-text's ``conformance/validate.yml`` (twitter/twitter-text at commit
30e2430d90cff3b46393ea54caf511441983c260, Apache License 2.0). Its copy is kept beside the project in
``shared/twitter-text/validate.yml`` (or ``tests/conformance/validate.yml``); every case of its v3 sections
(``WeightedTweetsWithDiscountedEmojiCounterTest``, ``UnicodeDirectionalMarkerCounterTest``) must hold.

The property test compares with the PyPI package ``twitter-text-parser`` (a dev dependency, used only here
as an oracle). Where that port and twitter-text's JavaScript differ, lemonade follows the JavaScript, and the
generated posts stay clear of those cases: hosts with characters that IDNA 2003's nameprep maps away (the
port checks hosts with Python's ``idna`` codec, the JavaScript with bare punycode), and emoji joined to
something other than the emoji of a listed sequence (the port knows Emoji 12.0's list only).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lemonade import x_length
from lemonade.guardrails._xcount import x_count
from lemonade.guardrails._xurls import x_urls

_HERE = Path(__file__).resolve().parent
_SUITE = next(
    (p for p in (_HERE / "conformance" / "validate.yml", _HERE.parents[1] / "shared" / "twitter-text" / "validate.yml")
     if p.is_file()),
    None,
)  # fmt: skip
V3 = ("WeightedTweetsWithDiscountedEmojiCounterTest", "UnicodeDirectionalMarkerCounterTest")


def _cases() -> list[Any]:
    if _SUITE is None:
        return [
            pytest.param(None, marks=pytest.mark.skip(reason="twitter-text's validate.yml is not beside the project"))
        ]
    suite = yaml.safe_load(_SUITE.read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(case, id=f"{section}: {case['description']}"[:90]) for section in V3 for case in suite[section]
    ]


@pytest.mark.parametrize("case", _cases())
def test_twitter_text_v3_conformance(case: dict[str, Any]) -> None:
    got = x_count(case["text"])
    expected = case["expected"]
    assert {
        "weightedLength": got.weighted_length,
        "valid": got.valid,
        "permillage": got.permillage,
        "displayRangeStart": 0,
        "displayRangeEnd": got.display_range_end,
        "validRangeStart": 0,
        "validRangeEnd": got.valid_range_end,
    } == expected
    assert x_length(case["text"]) == expected["weightedLength"]


def test_the_suite_has_every_v3_case() -> None:
    if _SUITE is None:
        pytest.skip("twitter-text's validate.yml is not beside the project")
    assert len(_cases()) == 24


with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the port loads its emoji list with pkg_resources, which warns
    from twitter_text import extract_urls_with_indices, parse_tweet
    from twitter_text.regexp.emoji import emoji_list

EMOJI = sorted({e.emoji for e in emoji_list})
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789éüñçøЖждя日本語中文한국", min_size=1, max_size=12)
LINK = st.one_of(
    st.builds(lambda host, tld, path: f"https://{host}.{tld}{path}", WORD,
              st.sampled_from(["com", "org", "co.uk", "jp", "\u0440\u0444", "みんな", "xyz", "zip", "example", "py"]),
              st.sampled_from(["", "/", "/a-b", "/x?y=1", "/(a)", "/a."])),
    st.builds(lambda host, tld: f"{host}.{tld}", WORD, st.sampled_from(["com", "shop", "py", "io", "example", "co"])),
    st.sampled_from(["http://localhost", "http://x", "t.co/abc", "https://t.co/abc?x=1", "www.example.com/a)"]),
    st.builds(lambda n: "a" * n + ".com", st.integers(min_value=60, max_value=66)),
)  # fmt: skip
SPACE = st.sampled_from([" ", " ", "\n", ", ", ". ", " (", ") ", ": ", " \u2014 ", "\u3000", "\u200e", " @", " #", "$"])
ATOM = st.one_of(WORD, st.sampled_from(EMOJI), LINK, st.sampled_from(["©", "®", "\u2013", "\u201c", "…", "\ufeff"]))
POST = st.lists(st.tuples(ATOM, SPACE), max_size=40).map(lambda parts: "".join(a + s for a, s in parts))


@settings(max_examples=400, deadline=None)
@given(POST)
def test_agrees_with_twitter_text_parser(post: str) -> None:
    theirs = parse_tweet(post)
    ours = x_count(post)
    assert (ours.weighted_length, ours.valid, ours.permillage, ours.valid_range_end, ours.display_range_end) == (
        theirs.weightedLength,
        theirs.valid,
        theirs.permillage,
        theirs.validRangeEnd,
        theirs.displayRangeEnd,
    )
    assert [(u.start, u.end) for u in x_urls(post)] == [tuple(u["indices"]) for u in extract_urls_with_indices(post)]
    assert x_length(post) == theirs.weightedLength


@pytest.mark.parametrize(
    ("post", "length"),
    [
        ("See example.shop now", 4 + 23 + 4),  # any listed top-level domain counts without a scheme
        ("Run setup.py", 4 + 23),
        ("http://localhost and http://x", len("http://localhost and http://x")),  # not domains: plain text
        ("a" * 64 + ".com", 68),  # a label over 63 characters is no link
        ("https://example.com\u200f\u202c", 23 + 2 + 2),  # direction marks after a link are not part of it
        ("@example.com", 12),  # glued to @: no link
    ],
)
def test_where_the_old_counter_was_wrong(post: str, length: int) -> None:
    assert x_length(post) == length
