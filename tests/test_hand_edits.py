"""What lemonade reads back, edited by a person or damaged: kit.json, draft files for ``check``, campaign.json,
journal rows and manifests. Each one is refused with an ``InputError`` naming the file, the field and its line,
or read as far as it can be; nothing raises anything else, whatever the edit (hypothesis tries them)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import situation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lemonade import Campaign, InputError, Kit, Lemonade, LemonadeError, Referral, check
from lemonade.batch._inputs import safe_key
from lemonade.campaign._state import MAX_SEQUENCE
from lemonade.cohort._journal import Journal, fingerprint
from lemonade.drafts._readback import read_back
from lemonade.situation._files import MAX_DEPTH, json_lines, load_json
from lemonade.situation._followup import REFERRAL_KEY

START = dt.date(2026, 11, 27)
PRIYA = Referral(name="Priya Shah", title="Head of Data", organization="Northwind", email="priya@example.net")


def offline() -> Lemonade:
    return Lemonade(backend="offline")


@pytest.fixture(scope="module")
def kit() -> Kit:
    return offline().kit(situation())


def line_of(path: Path, text: str) -> int:
    return next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in row)


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# -- the one reader ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"a": ' + deep(100_000) + "}", "nested too deeply"),
        ('{"a": ' + deep(MAX_DEPTH + 1) + "}", "nested too deeply"),
        ('{"a": ' + "9" * 5000 + "}", "not valid JSON"),
        ('{"a": [1,\n 2,,]}', "line 2: not valid JSON"),
    ],
)
def test_the_reader_refuses_what_would_break_the_parser_or_the_writer(text: str, said: str) -> None:
    with pytest.raises(InputError, match=said) as info:
        load_json(text, "f.json")
    assert info.value.field == "f.json"


def test_the_reader_takes_what_lemonade_writes() -> None:
    assert load_json('{"a": ' + deep(MAX_DEPTH - 1) + "}", "f.json") == {"a": json.loads(deep(MAX_DEPTH - 1))}


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=20))  # fmt: skip
def test_every_value_of_a_json_document_is_found_on_its_line(data: Any) -> None:
    text = json.dumps(data, indent=1)
    lines = json_lines(text)

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        assert path in lines
        row = text.splitlines()[lines[path] - 1].strip()
        if path and isinstance(path[-1], str):
            assert row.startswith(json.dumps(path[-1]) + ":")
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            walk(child, (*path, key))

    walk(data, ())


# -- kit.json ------------------------------------------------------------------------------------------------


def test_kit_load_names_each_field_and_its_line(kit: Kit, tmp_path: Path) -> None:
    kit.save(tmp_path)
    path = tmp_path / "kit.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["call_request"]["value"]["body"] = 5
    del data["thank_you"]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(InputError) as info:
        Kit.load(tmp_path)
    said, body = str(info.value), line_of(path, '"body"')
    assert f"kit.json: call_request.value.body: Input should be a valid string (line {body})" in said
    assert "kit.json: thank_you: Field required" in said and info.value.field == "call_request.value.body"


@pytest.mark.parametrize("text", [deep(100_000), "[]", "", '{"call_request": 1e999999}'])
def test_kit_load_refuses_what_is_not_a_kit(text: str, tmp_path: Path) -> None:
    (tmp_path / "kit.json").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"kit\.json"):
        Kit.load(tmp_path)


def test_kit_load_reads_a_kit_back(kit: Kit, tmp_path: Path) -> None:
    kit.save(tmp_path)
    assert Kit.load(tmp_path) == Kit.load(tmp_path / "kit.json") == kit


# -- arguments that are not what they say ----------------------------------------------------------------------


def test_check_and_dates_name_the_argument(kit: Kit, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Situation") as info:
        check(kit.call_request.value, {"outcome": "rejected"})
    assert info.value.field == "situation"
    with pytest.raises(InputError, match="draft's value") as info:
        check("Hi Dana", situation())  # type: ignore[arg-type]
    assert info.value.field == "value"
    with pytest.raises(InputError, match="date or a datetime") as info:
        kit.call_request.to_eml(date="2026-11-27")  # type: ignore[arg-type]
    assert info.value.field == "date"
    with pytest.raises(InputError) as info:
        kit.save(tmp_path, dates={"thank_you": "tomorrow"})  # type: ignore[dict-item]
    assert info.value.field == "dates.thank_you" and not tmp_path.joinpath("kit.json").exists()


def test_days_and_moments_are_taken(kit: Kit, tmp_path: Path) -> None:
    moment = dt.datetime(2026, 11, 27, 15, 30, tzinfo=dt.UTC)
    assert kit.call_request.to_eml(date=moment)["Date"] == "Fri, 27 Nov 2026 15:30:00 +0000"
    assert "27 Nov 2026 09:00" in kit.thank_you.to_eml(date=dt.date(2026, 11, 27))["Date"]
    assert check(kit.call_request.value, situation()).ok


# -- files check reads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["value"].update(letter_paragraphs=5), "letter_paragraphs"),
        (lambda d: d["value"].update(letter_paragraphs=[1, {"a": 2}]), "letter_paragraphs[0]"),
        (lambda d: d["value"].update(email_body=["x"]), "email_body"),
    ],
)
def test_check_names_the_field_of_a_draft_it_cannot_read(change: Any, field: str, kit: Kit, tmp_path: Path) -> None:
    path = tmp_path / "thank_you.json"
    data = json.loads(kit.thank_you.model_dump_json())
    del data["value"]["letter"]
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"thank_you.json: value.{field}:")) as info:
        read_back(path, situation(), today=START)
    assert info.value.field == f"value.{field}" and "(line " in str(info.value)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, child in children:
        found += _paths(child, (*path, key))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(data)
    holder = out
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return out


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40) | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.sampled_from(["9999-12-31", "0001-01-01", "../x", "call_request", "", "a" * 400]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


DAYS = st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat) | st.sampled_from(["9999-12-31", "0001-01-01"])


def edits(value: Any) -> st.SearchStrategy[Any]:
    """Edits a person might make to ``value``: one of its own kind (another day, number or list) more often
    than not, else anything at all."""
    if isinstance(value, bool):
        like: st.SearchStrategy[Any] = st.booleans()
    elif isinstance(value, int):
        like = st.integers(min_value=-(10**12), max_value=10**12) | st.sampled_from([0, 2**31, 10**30])
    elif isinstance(value, str):
        like = DAYS | st.text(max_size=40) | st.just(value + value)
    elif isinstance(value, list):
        like = st.permutations(value) | st.lists(st.sampled_from(value), max_size=4) if value else st.just([])
    elif isinstance(value, dict):
        like = st.sampled_from(sorted(value) or [""]).map(lambda k: {n: v for n, v in value.items() if n != k})
    else:
        like = JSON_VALUES
    return like | like | JSON_VALUES


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_of_a_kit_is_read_or_refused_by_name(data: st.DataObject, kit: Kit, tmp_path: Path) -> None:
    original = json.loads(kit.model_dump_json())
    where = data.draw(st.sampled_from(_paths(original)))
    edited = _replaced(original, where, data.draw(edits(_at(original, where))))
    folder = tmp_path / f"kit-{abs(hash(str(where)))}"
    folder.mkdir(exist_ok=True)
    (folder / "kit.json").write_text(json.dumps(edited, indent=1), encoding="utf-8")
    for read in (lambda: Kit.load(folder), lambda: read_back(folder / "kit.json", situation(), today=START)):
        try:
            read()
        except InputError as e:
            assert "kit.json" in str(e)


# -- campaign.json ---------------------------------------------------------------------------------------------


def campaign_with_a_call(tmp_path: Path) -> Campaign:
    clock = lambda: dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)  # noqa: E731
    c = Campaign.start(situation(), folder=tmp_path / "campaign", start=START, timezone="UTC", clock=clock)
    c.draft_due(offline())
    c.record_call(on=dt.date(2026, 12, 3), notes="Dana suggested Priya", referrals=[PRIYA])
    c.draft_due(offline())
    return c


@pytest.fixture(scope="module")
def a_campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return campaign_with_a_call(tmp_path_factory.mktemp("once")).folder


def edit(folder: Path, change: Any) -> Path:
    path = folder / "campaign.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    text = change(data)
    path.write_text(text if isinstance(text, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


def copied(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    return target


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        (lambda d: d.update(steps=[]), "steps", "has no call_request, referral_questions, nudge, thank_you"),
        (lambda d: d["steps"].pop(2), "steps", "has no nudge step"),
        (lambda d: d["steps"].append(d["steps"][0]), "steps[7].key", "'call_request' is also steps[0]"),
        (lambda d: d["steps"][0].update(key="../../etc/passwd"), "steps[0].key", "should match pattern"),
        (lambda d: d["steps"][0].update(key="nudge"), "steps[0].key", "should be 'call_request'"),
        (lambda d: d["steps"][0].update(sequence=10**30), "steps[0].sequence", "less than or equal to 2147483647"),
        (lambda d: d["steps"][0]["files"][0].update(name="../precious.txt"), "steps[0].files[0].name", "pattern"),
        (lambda d: d["steps"][0]["draft"].update(step="value_add"), "steps[0].draft.step", "cannot stand for"),
        (lambda d: d["timing"].update(check_in_after=10_000_000), "timing.check_in_after", "less than or equal"),
        (lambda d: d["timing"].update(nudge_after=10**12), "timing.nudge_after", "less than or equal"),
        (lambda d: '{"format": "lemonade campaign", "x": ' + deep(100_000) + "}", "campaign.json", "nested"),
    ],
)
def test_a_hand_edit_the_plan_cannot_follow_is_refused_by_field_and_line(
    change: Any, field: str, said: str, a_campaign: Path, tmp_path: Path
) -> None:
    folder = copied(a_campaign, tmp_path)
    edit(folder, change)
    with pytest.raises(InputError, match=re.escape(said)) as info:
        Campaign.load(folder)
    assert info.value.field is not None and info.value.field.endswith(field), str(info.value)
    if not field.endswith(".json") and field != "steps":
        assert re.search(r"\(line \d+\)", str(info.value))


def test_a_day_past_the_calendars_end_is_named_with_its_line(a_campaign: Path, tmp_path: Path) -> None:
    folder = copied(a_campaign, tmp_path)
    path = edit(folder, lambda d: d["steps"][0].update(sent_on="9999-12-30"))
    before = path.read_bytes()
    c = Campaign.load(folder)
    assert c.plan and c.to_ics()  # shown as it is...
    with pytest.raises(InputError, match=r"steps\[0\]\.sent_on 9999-12-30 is too late") as info:
        c.draft_due(offline())  # ...but nothing is planned from it
    assert f"(line {line_of(path, '9999-12-30')})" in str(info.value) and path.read_bytes() == before


def test_days_past_the_calendars_end_are_refused_by_argument(tmp_path: Path) -> None:
    folder = tmp_path / "late"
    with pytest.raises(InputError, match="start 9999-12-20 is too late") as info:
        Campaign.start(situation(), folder=folder, start=dt.date(9999, 12, 20), timezone="UTC")
    assert info.value.field == "start" and not folder.exists()
    c = Campaign.start(situation(), folder=folder, start=START, timezone="UTC")
    before = (folder / "campaign.json").read_bytes()
    with pytest.raises(InputError, match="on 9999-12-31 is too late") as info:
        c.record_call(on=dt.date(9999, 12, 31))
    assert info.value.field == "on"
    with pytest.raises(InputError, match="on 9999-12-29 is too late") as info:
        c.mark_sent("call_request", on=dt.date(9999, 12, 29))
    with pytest.raises(InputError, match="should be a day") as info:
        c.mark_sent("call_request", on="2026-11-27")  # type: ignore[arg-type]
    with pytest.raises(InputError) as info:
        c.record_call(on=START, referrals=[{"name": "Priya", "email": "not an address"}])
    assert info.value.field == "referrals[0].email"
    assert (folder / "campaign.json").read_bytes() == before


def test_a_plan_that_ends_in_year_9999_is_planned_and_exported(tmp_path: Path) -> None:
    c = Campaign.start(situation(), folder=tmp_path / "c", start=dt.date(9999, 6, 1), timezone="Pacific/Kiritimati")
    assert max(s.on for s in c.plan if s.on) < dt.date(9999, 12, 31)
    assert b"BEGIN:VTIMEZONE" in c.to_ics()


def test_the_calendar_sequence_stays_in_range(a_campaign: Path, tmp_path: Path) -> None:
    folder = copied(a_campaign, tmp_path)
    edit(folder, lambda d: d["steps"][5].update(sequence=MAX_SEQUENCE))
    c = Campaign.load(folder)
    c.skip(c.plan[-1].key)  # an event that changes bumps its sequence, up to the most a calendar holds
    assert all(0 <= r.sequence <= MAX_SEQUENCE for r in Campaign.load(folder)._state.steps)
    assert c.to_ics()


def _on_disk(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".") and p.name != "campaign.json"}


def _recorded(folder: Path) -> set[str]:
    state = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
    return {f["name"] for s in state["steps"] for f in s["files"]}


def _folder_with_room_for(tmp_path: Path, short: str, long: str) -> Path:
    """A folder whose path leaves room for writing a file named ``short`` but not one named ``long``: the file
    system refuses the longer path (ENAMETOOLONG), the error a file name too long for it gets."""
    most = os.pathconf(tmp_path, "PC_PATH_MAX") - 1  # the terminating NUL
    temporary = len(".") + len(".XXXXXXXX")  # write_files writes each file as .NAME.XXXXXXXX first
    length = most - len("/") - temporary - len(long) + 1
    assert length + len("/") + temporary + len(short) <= most
    folder = tmp_path
    while len(str(folder)) < length:
        folder /= "d" * min(200, length - len(str(folder)) - 1)
    folder.mkdir(parents=True)
    assert len(str(folder)) == length
    return folder


def test_a_step_that_cannot_be_written_leaves_everything_else_recorded(tmp_path: Path) -> None:
    clock = lambda: dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC)  # noqa: E731
    folder = _folder_with_room_for(tmp_path, "thank_you_letter.txt", "referral_outreach-priya-shah.eml")
    c = Campaign.start(situation(), folder=folder / "c", start=START, timezone="UTC", clock=clock)
    c.record_call(on=dt.date(2026, 12, 3), referrals=[PRIYA])
    run = c.draft_due(offline())
    assert [s.key for s, _ in run.errors] == ["referral_outreach:priya-shah"]
    assert isinstance(run.errors[0][1], OSError) and "could not draft referral_outreach:priya-shah" in str(run)
    assert {s.key for s in run.drafted} == {"call_request", "thank_you"}
    assert _on_disk(c.folder) == _recorded(c.folder) == {"call_request.eml", "thank_you.eml", "thank_you_letter.txt"}
    assert next(s for s in c.plan if s.key == "referral_outreach:priya-shah").status == "due"  # for the next run


def test_a_long_referral_name_gets_a_short_key_and_its_files(tmp_path: Path) -> None:
    long = Referral(name=" ".join(["Abcdefghij"] * 30), email="p@example.net")
    clock = lambda: dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC)  # noqa: E731
    c = Campaign.start(situation(), folder=tmp_path / "c", start=START, timezone="UTC", clock=clock)
    c.record_call(on=dt.date(2026, 12, 3), referrals=[long])
    run = c.draft_due(offline())
    assert not run.errors and f"referral_outreach-{long.key}.eml" in _on_disk(c.folder)
    assert _on_disk(c.folder) == _recorded(c.folder)
    assert c.mark_sent("referral_outreach", referral=long.name).status == "sent"


@given(st.text(min_size=1, max_size=400).filter(lambda t: t.strip()))
def test_a_referrals_key_is_short_safe_and_its_own(name: str) -> None:
    try:
        person = Referral(name=name)
    except ValueError:
        return
    key = person.key
    assert len(key) <= 48 and re.fullmatch(REFERRAL_KEY, key)
    assert key == Referral(name=name).key
    if len(name) > 60:
        assert Referral(name=name + " Jr").key != key or not re.sub(r"[^a-z0-9]", "", name.lower())


@given(st.text(max_size=300))
def test_a_cohort_key_is_a_folder_name_that_never_meets_the_runs_own_files(key: str) -> None:
    folder = safe_key(key)
    assert 0 < len(folder) <= 100 and re.fullmatch(r"[A-Za-z0-9_][\w.-]*", folder, re.ASCII)
    assert not folder.lower().endswith((".json", ".jsonl")) and folder == safe_key(key)


CAMPAIGN_READS = ("plan", "to_ics", "timeline", "edited_files", "check_edits", "_repr_html_", "draft_due")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_of_campaign_json_is_followed_or_refused_by_name(
    data: st.DataObject, a_campaign: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    original = json.loads((a_campaign / "campaign.json").read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(_paths(original)))
    folder = tmp_path_factory.mktemp("edit")
    shutil.copytree(a_campaign, folder, dirs_exist_ok=True)
    edited = _replaced(original, where, data.draw(edits(_at(original, where))))
    (folder / "campaign.json").write_text(json.dumps(edited, indent=2), encoding="utf-8")
    try:
        c = Campaign.load(folder, clock=lambda: dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))
        for name in CAMPAIGN_READS:
            attribute = getattr(c, name)
            if callable(attribute):
                attribute(offline()) if name == "draft_due" else attribute()
    except LemonadeError as e:
        assert isinstance(e, InputError), repr(e)
    if new := _on_disk(folder) - _on_disk(a_campaign):  # whatever a command wrote, campaign.json records
        assert new <= _recorded(folder)


# -- journal rows ----------------------------------------------------------------------------------------------


def test_a_journal_row_that_no_longer_reads_is_drafted_again(kit: Kit, tmp_path: Path) -> None:
    s = situation()
    with Journal(tmp_path / "cohort.db") as journal:
        for step, draft in kit.drafts.items():
            journal.record("jill", step, fingerprint(s), draft)
    db = sqlite3.connect(tmp_path / "cohort.db")
    bad: list[tuple[str, object]] = [("call_request", '{"value": {"signature": "x"}}'),
                                     ("thank_you", deep(100_000)), ("value_add", 42)]  # fmt: skip
    for name, row in bad:
        db.execute("UPDATE steps SET draft = ? WHERE key = 'jill' AND step = ?", (row, name))
    db.commit()
    db.close()
    with Journal(tmp_path / "cohort.db") as journal:
        assert set(journal.finished("jill", fingerprint(s))) == {"referral_questions"}


def test_a_foreign_steps_table_is_not_taken_for_a_journal(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "other.db")
    db.execute("CREATE TABLE steps (id INTEGER PRIMARY KEY, what TEXT)")
    db.commit()
    db.close()
    with pytest.raises(InputError, match="not a lemonade journal") as info:
        Journal(tmp_path / "other.db")
    assert info.value.field == "journal"


# -- situation files and batch files -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [
    ("s.json", '{"outcome": ' + "1" * 5000 + "}"),
    ("s.toml", "outcome = " + "1" * 5000 + "\n"),
    ("s.toml", "notes = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"),
])  # fmt: skip
def test_a_situation_file_with_a_number_too_long_or_too_deep_is_named(name: str, text: str, tmp_path: Path) -> None:
    from lemonade.situation._situation import load_situation

    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(str(tmp_path / name))):
        load_situation(tmp_path / name)


def test_a_batch_output_line_is_named_by_its_line(tmp_path: Path) -> None:
    from lemonade.batch._results import read_answers

    path = tmp_path / "output.jsonl"
    good = {"custom_id": "jill/call_request", "response": {"status_code": 200, "body": {"choices": []}}}
    path.write_text(json.dumps(good) + "\n" + '{"custom_id": ' + deep(100_000) + "}\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{path}:2: is nested too deeply")):
        list(read_answers(path))


@pytest.mark.parametrize(("name", "text", "said"), [
    ("collect.json", '{"situations": "s.jsonl", "schema": "1"}', "schema: expected a whole number"),
    ("collect.json", deep(100_000), "nested too deeply"),
    ("failures.jsonl", '{"key": "jill", "step": "call_request", "kind": "reask", "answers": 5}\n',
     "failures.jsonl:1: not a failure line"),
    ("failures.jsonl", '{"key": "jill", "step": "the_letter", "kind": "reask"}\n', "not a failure line"),
])  # fmt: skip
def test_a_batch_folders_own_files_edited_into_nonsense_are_named(
    name: str, text: str, said: str, tmp_path: Path
) -> None:
    from lemonade.batch._collect import read_failures, read_state

    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(said)):
        read_state(tmp_path) if name == "collect.json" else read_failures(tmp_path)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_any_line_of_a_batch_file_is_read_or_refused_by_its_line(line: Any) -> None:
    import tempfile

    from lemonade.batch._collect import read_failures
    from lemonade.batch._results import read_answers

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("failures.jsonl", "output.jsonl"):
            (folder / name).write_text(json.dumps(line) + "\n", encoding="utf-8")
        for read in (lambda: read_failures(folder), lambda: list(read_answers(folder / "output.jsonl"))):
            try:
                read()
            except InputError as e:
                assert ".jsonl:1" in str(e)


@pytest.mark.parametrize("text", [
    'id = "call_request"\nversion = ' + "1" * 5000 + "\n",
    'id = "call_request"\nvariables = ' + "[" * 5000 + "]" * 5000 + "\n",
])  # fmt: skip
def test_a_prompt_file_too_deep_or_with_too_long_a_number_is_a_prompt_error(text: str, tmp_path: Path) -> None:
    from lemonade import PromptError
    from lemonade.prompting._prompts import PromptFile

    (tmp_path / "call_request.toml").write_text(text, encoding="utf-8")
    (tmp_path / "bad.toml").write_bytes(b"\xff\xfe not text")
    for path in (tmp_path / "call_request.toml", tmp_path / "bad.toml"):
        with pytest.raises(PromptError, match=re.escape(str(path))):
            PromptFile.from_path(path)
