"""Link finding and X's weighted length."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lemonade import x_length
from lemonade.guardrails._links import find_links, same_link


def test_finds_urls_www_and_bare_domains_but_not_emails() -> None:
    text = "See https://example.org/a), www.test.com and docs.example.io/guide. Mail me: jill@example.com"
    assert [link.text for link in find_links(text)] == [
        "https://example.org/a",
        "www.test.com",
        "docs.example.io/guide",
    ]


def test_same_link_ignores_scheme_www_case_and_trailing_slash() -> None:
    assert same_link("WWW.Example.org/guide/", ["https://example.org/guide"])
    assert not same_link("https://example.org/guide2", ["https://example.org/guide"])


def test_x_length_rules() -> None:
    assert x_length("hello") == 5
    assert x_length("https://example.org/" + "a" * 100) == 23
    assert x_length("日本") == 4  # CJK weighs 2
    assert x_length("👍") == 2
    assert x_length("👍🏽") == 2  # skin tone modifier joins the emoji
    assert x_length("👩‍👩‍👧") == 2  # a zero-width-joined family is one emoji
    assert x_length("🇺🇸🇫🇷") == 4  # two flags
    assert x_length("é") == x_length("e\u0301") == 1  # NFC first
    assert x_length("\u201cquoted\u201d \u2013 ok") == 13


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E).filter(lambda c: c not in "./:@")))
def test_plain_ascii_counts_one_per_character(text: str) -> None:
    assert x_length(text) == len(text)


@given(st.text(alphabet="abc ", max_size=50), st.text(alphabet="abcdefgh", min_size=1, max_size=200))
def test_every_link_counts_23(prefix: str, path: str) -> None:
    assert x_length(f"{prefix} https://example.org/{path}") == len(prefix) + 1 + 23
