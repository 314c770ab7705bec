"""Reading the server's wait, and the exports' refusals and renderings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx2
import openai
import pytest
from conftest import situation

from lemonade import InputError, Lemonade, check
from lemonade.engine._retry import is_transient, retry_after


def status_error(status: int, headers: dict[str, str]) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    return openai.APIStatusError("scripted", response=response, body=None)


def test_retry_after_headers() -> None:
    assert retry_after(status_error(429, {"retry-after-ms": "1500"})) == 1.5
    assert retry_after(status_error(429, {"retry-after": "3"})) == 3.0
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert retry_after(status_error(503, {"retry-after": later}), now=now.timestamp) == pytest.approx(7.0)
    assert retry_after(status_error(429, {"retry-after": "soon"})) is None
    assert retry_after(status_error(429, {})) is None
    assert retry_after(ValueError("not an API error")) is None


@pytest.mark.parametrize(("status", "transient"), [(400, False), (401, False), (403, False), (404, False),
                                                   (408, True), (429, True), (500, True), (503, True)])  # fmt: skip
def test_which_statuses_are_transient(status: int, transient: bool) -> None:
    assert is_transient(status_error(status, {})) is transient


def test_save_needs_the_candidates_email_and_writes_nothing_without_it(tmp_path: Path) -> None:
    s = situation(candidate={"name": "Jill Moreno"})
    kit = Lemonade(backend="offline").kit(s)
    with pytest.raises(InputError, match=r"candidate\.email is needed") as info:
        kit.save(tmp_path / "kit")
    assert info.value.field == "candidate.email"
    assert not (tmp_path / "kit").exists()
    with pytest.raises(InputError, match="not an email"):
        kit.referral_questions.to_eml()


def test_to_eml_without_a_manager_address_has_no_to(tmp_path: Path) -> None:
    kit = Lemonade(backend="offline").kit(situation())
    message = kit.thank_you.to_eml()
    assert message["To"] is None and message["X-Unsent"] == "1"
    assert message["From"].addresses[0].display_name == "Jill Moreno"


def test_report_markdown_marks_errors_and_warnings() -> None:
    value = Lemonade(backend="offline").call_request(situation()).value
    body = "Dear Hiring Manager,\n" + value.body.split("\n", 1)[1]
    edited = value.model_copy(update={"subject": "A" * 55, "body": body})
    text = check(edited, situation())._repr_markdown_()
    assert "❌ **wrong_recipient** in `body`" in text
    assert "⚠️ **subject_too_long** in `subject`" in text
