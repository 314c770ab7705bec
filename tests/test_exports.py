"""The files a kit is written as: .eml files every mail program reads (checked with a strict parser written apart
from Python's and with Python's own), dated per step, folded as mail programs expect; failing drafts never
written as files to send; hand edits never overwritten; and every file read back into the value it came from."""

from __future__ import annotations

import email
import email.policy
import json
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import fast_mail_parser
import pytest
from conftest import situation_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_offline import situations

from lemonade import Campaign, Draft, GuardrailError, InputError, Kit, Lemonade, Situation, check
from lemonade.cli._draft import send_dates
from lemonade.drafts._email import email_message, flowed, read_email, unflowed
from lemonade.drafts._folder import MANIFEST
from lemonade.drafts._readback import read_back

TODAY = date(2026, 11, 26)
ACCENTED = situation_data(
    candidate={"name": "Zoë Ó Briain", "email": "zoe@example.ie"},
    hiring_manager={"name": "Inés Peña Solís", "courtesy_title": "Dr.", "salutation_name": "Dr. Peña",
                    "email": "ines.pena@hospital.example"},
)  # fmt: skip


def offline_kit(data: dict[str, Any] | None = None, seed: int = 0) -> Kit:
    return Lemonade(backend="offline", seed=seed, today=lambda: TODAY).kit(Situation.model_validate(data or ACCENTED))


def edited(draft: Draft[Any], **changes: Any) -> Draft[Any]:
    """``draft`` with its value changed, and its report re-run as ``check`` would."""
    value = draft.value.model_copy(update=changes)
    assert draft.situation is not None
    return draft.model_copy(update={"value": value, "report": check(value, draft.situation)})


def failing_kit() -> Kit:
    k = offline_kit()
    bad = edited(k.value_add, x_post="Read this: https://evil.example/phish " + k.value_add.value.x_post)
    assert not bad.report.ok
    return k.model_copy(update={"value_add": bad})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- .eml headers and bodies -----------------------------------------------------------------------------------


def test_headers_are_ascii_with_encoded_words_and_both_parsers_read_them(tmp_path: Path) -> None:
    k = offline_kit()
    k = k.model_copy(update={"thank_you": edited(k.thank_you, email_subject="Gracias — con mis mejores deseos")})
    k.save(tmp_path)
    for name in ("call_request.eml", "thank_you.eml", "value_add.eml"):
        data = (tmp_path / name).read_bytes()
        head = data.split(b"\r\n\r\n", 1)[0]
        assert head.isascii() and b"=?utf-8?" in head
        strict = fast_mail_parser.parse_email(data, strict=True)
        assert strict.warnings == []
        assert strict.from_ is not None and strict.from_.display_name == "Zoë Ó Briain"
        assert strict.to[0].display_name == "Inés Peña Solís"
        ours = email.message_from_bytes(data, policy=email.policy.strict)
        assert ours["From"].addresses[0].display_name == "Zoë Ó Briain"
        assert ours["To"].addresses[0].addr_spec == "ines.pena@hospital.example"
        assert ours["Subject"] == strict.subject and ours["X-Unsent"] == "1"
        assert not ours.defects and not any(h.defects for h in (ours["From"], ours["To"], ours["Subject"]))
    assert fast_mail_parser.parse_email((tmp_path / "thank_you.eml").read_bytes()).subject == (
        "Gracias — con mis mejores deseos"
    )


def test_an_international_domain_is_idna_and_a_local_part_beyond_ascii_uses_utf8_headers(tmp_path: Path) -> None:
    s = Situation.model_validate(situation_data(candidate={"name": "Jill Moreno", "email": "jill@bücher.example"}))
    eml = bytes(Lemonade(backend="offline").call_request(s).to_eml())
    assert b"<jill@xn--bcher-kva.example>" in eml and eml.split(b"\r\n\r\n")[0].isascii()
    s = Situation.model_validate(situation_data(candidate={"name": "José Ruiz", "email": "josé@example.com"}))
    draft = Lemonade(backend="offline").call_request(s)
    eml = bytes(draft.to_eml())
    sender = fast_mail_parser.parse_email(eml, strict=True).from_
    assert sender is not None and sender.address == "josé@example.com"
    utf8 = email.message_from_string(eml.decode("utf-8"), policy=email.policy.default)
    assert utf8["From"].addresses[0].username == "josé"
    assert read_email(eml, where="x") == (draft.value.subject, draft.value.body)


def test_bodies_are_flowed_at_72_columns_and_read_back_exactly(tmp_path: Path) -> None:
    k = offline_kit(situation_data())
    k.save(tmp_path)
    for name, body in (
        ("call_request.eml", k.call_request.value.body),
        ("value_add.eml", k.value_add.value.email_body),
    ):
        data = (tmp_path / name).read_bytes()
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert message.get_content_type() == "text/plain" and message.get_param("format") == "flowed"
        lines = message.get_content().replace("\r\n", "\n").split("\n")
        assert all(len(line) <= 73 or "://" in line for line in lines)
        assert any(line.endswith(" ") for line in lines)  # soft breaks, for the mail program to re-flow
        assert read_email(data, where=name) == (message["Subject"], body)
        strict = fast_mail_parser.parse_email(data, strict=True)
        assert unflowed(strict.text_plain[0].replace("\r\n", "\n")).strip() == body


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85") | st.just(
    "\n") | st.just(" "), max_size=400)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(min_value=20, max_value=90))
def test_flowing_and_unflowing_gives_the_text_back(text: str, width: int) -> None:
    want = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    assert unflowed(flowed(text, width)) == want
    for line in flowed(text, width).split("\n"):
        assert len(line) <= width + 1 or " " not in line.strip(" ")  # only a word too long to fold runs over


@settings(max_examples=60, deadline=None)
@given(_TEXT.filter(lambda t: t.strip()))
def test_any_body_survives_the_eml_and_both_parsers(text: str) -> None:
    s = Situation.model_validate(ACCENTED)
    message = email_message("Subject", text, s.candidate, s.hiring_manager, when=datetime(2026, 12, 1, tzinfo=UTC),
                            subject_field="subject")  # fmt: skip
    data = bytes(message)
    want = "\n".join(line.rstrip(" ") for line in text.strip().split("\n")).strip()
    assert read_email(data, where="x")[1] == "\n".join(line.rstrip(" \t") for line in want.split("\n")).strip()
    assert fast_mail_parser.parse_email(data, strict=True).warnings == []


# -- dates -----------------------------------------------------------------------------------------------------


def test_each_email_is_dated_with_the_day_it_is_meant_to_go_out(tmp_path: Path) -> None:
    k = offline_kit()
    moment = datetime(2026, 12, 1, 14, 30, tzinfo=timezone(timedelta(hours=-5)))
    k.save(tmp_path, dates={"call_request": moment, "thank_you": date(2026, 12, 2), "value_add": date(2026, 12, 15)})
    dates = {
        name: email.message_from_bytes((tmp_path / name).read_bytes(), policy=email.policy.default)["Date"].datetime
        for name in ("call_request.eml", "thank_you.eml", "value_add.eml")
    }
    assert dates["call_request.eml"] == moment
    assert dates["thank_you.eml"].date() == date(2026, 12, 2) and dates["thank_you.eml"].hour == 9
    assert dates["value_add.eml"].date() == date(2026, 12, 15) and dates["value_add.eml"].tzinfo is not None
    undated = k.call_request.to_eml()["Date"].datetime
    assert abs(undated - datetime.now(UTC)) < timedelta(minutes=5)
    assert k.thank_you.to_eml(date=date(2027, 1, 4))["Date"].datetime.date() == date(2027, 1, 4)
    with pytest.raises(InputError, match="dates names no step") as info:
        k.save(tmp_path / "other", dates={"cover_letter": date(2026, 12, 1)})  # type: ignore[dict-item]
    assert info.value.field == "dates" and not (tmp_path / "other").exists()


@pytest.mark.parametrize("today", [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 21)])
def test_the_cli_dates_each_email_as_the_campaign_plan_would_send_it(today: date, tmp_path: Path) -> None:
    now = datetime.combine(today, datetime.min.time(), UTC).replace(hour=16)
    dates = send_dates(now)
    plan = {
        p.step: p.on for p in Campaign.start(Situation.example(), folder=tmp_path, start=today, timezone="UTC").plan
    }
    assert set(dates) == {"call_request", "thank_you", "value_add"}
    assert dates["call_request"] == (now if plan["call_request"] == today else plan["call_request"])
    assert (dates["thank_you"], dates["value_add"]) == (plan["thank_you"], plan["value_add"])
    assert dates["thank_you"].weekday() < 5 and dates["value_add"].weekday() < 5
    assert dates["value_add"] > dates["thank_you"]


# -- nothing unsafe is written ---------------------------------------------------------------------------------


def test_a_failing_draft_is_written_only_as_a_failing_json(tmp_path: Path) -> None:
    k = failing_kit()
    k.save(tmp_path)
    names = set(snapshot(tmp_path))
    assert "value_add.failing.json" in names
    assert not {"value_add.eml", "x_post.txt", "linkedin_message.txt"} & names
    assert {"call_request.eml", "thank_you.eml", "thank_you_letter.txt", "referral_questions.md"} <= names
    assert b"evil.example" not in b"".join(v for n, v in snapshot(tmp_path).items() if not n.endswith(".json"))
    saved = Draft.model_validate_json((tmp_path / "value_add.failing.json").read_text(encoding="utf-8"))
    assert "unknown_link" in saved.report.codes
    with pytest.raises(GuardrailError, match="unknown_link"):
        k.value_add.to_eml()


@pytest.mark.parametrize(("where", "change", "field"), [
    ("subject", "A call?\r\nBcc: everyone@example.com", "subject"),
    ("subject", "A call?\nX-Priority: 1", "subject"),
    ("subject", "A call\u202e?", "subject"),
    ("candidate", "Jill\nMoreno", "candidate.name"),
    ("candidate", "Jill\x00Moreno", "candidate.name"),
    ("candidate", "Jill\x1b[31mMoreno", "candidate.name"),
    ("manager", "Dana\rRuiz", "hiring_manager.name"),
])  # fmt: skip
def test_save_refuses_header_breaking_text_with_an_input_error(
    where: str, change: str, field: str, tmp_path: Path
) -> None:
    k = offline_kit(situation_data(hiring_manager={"name": "Dana Ruiz", "email": "dana@example.com"}))
    if where == "subject":
        k = k.model_copy(
            update={
                "call_request": k.call_request.model_copy(
                    update={"value": k.call_request.value.model_copy(update={"subject": change})}
                )
            }
        )
    else:  # a situation that skipped validation, as one loaded without it could
        s = k.call_request.situation
        assert s is not None
        key = "candidate" if where == "candidate" else "hiring_manager"
        person = getattr(s, key).model_copy(update={"name": change})
        broken = s.model_copy(update={key: person})
        k = Kit(**{step: d.model_copy(update={"situation": broken}) for step, d in k.drafts.items()})
    with pytest.raises(InputError) as info:
        k.save(tmp_path / "kit")
    assert type(info.value) is InputError and info.value.field == field
    assert not (tmp_path / "kit").exists()  # fmt: skip


# -- the manifest: hand edits are never overwritten ------------------------------------------------------------


def test_writing_again_replaces_only_what_nobody_changed(tmp_path: Path) -> None:
    k = offline_kit()
    k.save(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and "kit.json" in manifest["files"]
    offline_kit(seed=3).save(tmp_path)  # nothing edited: replaced
    (tmp_path / "x_post.txt").write_text("My own words https://example.org/dbt-guide\n", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(InputError, match=r"x_post\.txt changed since lemonade wrote") as info:
        offline_kit(seed=5).save(tmp_path)
    assert info.value.field == "folder" and snapshot(tmp_path) == before
    offline_kit(seed=5).save(tmp_path, force=True)
    assert (tmp_path / "x_post.txt").read_text(encoding="utf-8") != "My own words https://example.org/dbt-guide\n"


def test_files_lemonade_did_not_write_are_refused_or_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "kit.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"kit\.json"):
        offline_kit().save(tmp_path)
    assert set(snapshot(tmp_path)) == {"notes.txt", "kit.json"}
    offline_kit().save(tmp_path, force=True)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_step_that_fails_now_leaves_no_stale_file_to_send(tmp_path: Path) -> None:
    offline_kit().save(tmp_path)
    failing_kit().save(tmp_path)
    names = set(snapshot(tmp_path))
    assert "value_add.failing.json" in names and "x_post.txt" not in names and "value_add.eml" not in names
    offline_kit().save(tmp_path)  # fixed again: the failing file goes, the files to send come back
    assert "value_add.failing.json" not in set(snapshot(tmp_path)) and (tmp_path / "x_post.txt").exists()


def test_an_edited_failing_draft_is_kept(tmp_path: Path) -> None:
    failing_kit().save(tmp_path)
    path = tmp_path / "value_add.failing.json"
    path.write_text(path.read_text(encoding="utf-8").replace("evil.example/phish", "example.org/dbt-guide"),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match=r"value_add\.failing\.json"):
        offline_kit().save(tmp_path)
    assert "example.org/dbt-guide" in path.read_text(encoding="utf-8")


def test_a_manifest_cannot_reach_outside_its_folder(tmp_path: Path) -> None:
    folder, outside = tmp_path / "kit", tmp_path / "precious.txt"
    outside.write_text("keep", encoding="utf-8")
    folder.mkdir()
    files = {"../precious.txt": "0" * 64, "/etc/hostname": "0" * 64}
    (folder / MANIFEST).write_text(json.dumps({"version": 1, "files": files}), encoding="utf-8")
    offline_kit().save(folder)
    assert outside.read_text(encoding="utf-8") == "keep"


def test_a_newer_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text(json.dumps({"version": 2, "files": {}}), encoding="utf-8")
    with pytest.raises(InputError, match="newer lemonade"):
        offline_kit().save(tmp_path)


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    offline_kit().save(tmp_path)
    mask = os.umask(0o022)
    os.umask(mask)
    assert (tmp_path / "x_post.txt").stat().st_mode & 0o777 == 0o666 & ~mask
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != MANIFEST]  # no temp files


# -- reading the files back ------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=situations(), seed=st.integers(min_value=0, max_value=1000))
def test_every_file_reads_back_into_the_value_it_was_written_from(
    s: Situation, seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not s.candidate.email:
        s = s.model_copy(update={"candidate": s.candidate.model_copy(update={"email": "me@example.com"})})
    k = Lemonade(backend="offline", seed=seed, today=lambda: TODAY).kit(s)
    folder = tmp_path_factory.mktemp("kit")
    k.save(folder)
    (folder / "kit.json").unlink()  # the files alone, as a person would edit them
    back = {found.step: found for found in read_back(folder, s, today=TODAY)}
    assert set(back) == set(k.drafts)
    for step, draft in k.drafts.items():
        assert back[step].value == draft.value, step
        assert check(back[step].value, s).ok
