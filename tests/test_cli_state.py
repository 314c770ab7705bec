"""The console script over state on disk, run for real: a kit folder written again, draft files ``check`` cannot
read, campaign files edited by hand or given days past the calendar's end, and cohorts whose keys or journals
would collide or no longer read. Each ends with one line and exit 2 (bad input), or does its work; never a
traceback."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_cli import run

from lemonade import Kit
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer, example_situation_data

GOOD = EXAMPLE_ANSWERS["rejected"]
FILES = {
    "call_request": {"call_request.eml"},
    "referral_questions": {"referral_questions.md"},
    "thank_you": {"thank_you.eml", "thank_you_letter.txt"},
    "value_add": {"value_add.eml", "x_post.txt", "linkedin_message.txt"},
}
EVERYTHING = set().union(*FILES.values()) | {"kit.json"}


@pytest.fixture
def me(tmp_path: Path) -> Path:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(example_situation_data()), encoding="utf-8")
    return path


def one_line_refusal(done: Any, *said: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    for part in said:
        assert part in done.stderr, done.stderr


def present(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def draft(me: Path, out: Path, replies: dict[str, Reply], *args: str) -> Any:
    defaults = {step: Reply(content=answer) for step, answer in GOOD.items()} | replies
    with ScriptedServer(defaults=defaults) as server:
        return run("draft", str(me), "--base-url", server.url, "--out", str(out), *args)


# -- check reads only what it can ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"value": ' + "[" * 100_000 + "]" * 100_000 + "}", "is nested too deeply to be a draft"),
        ('{"value": {"subject": "x", "body": "y", "call_minutes": ' + "9" * 5000 + "}}", "not valid JSON"),
        ('{"value": {"subject": "x", "body": 5, "call_minutes": 15}}', "value.body: Input should be a valid string"),
    ],
)
def test_check_refuses_a_draft_file_it_cannot_read_in_one_line(
    content: str, said: str, me: Path, tmp_path: Path
) -> None:
    path = tmp_path / "call_request.failing.json"
    path.write_text(content, encoding="utf-8")
    one_line_refusal(run("check", str(path), "--situation", str(me)), str(path), said)


# -- a kit folder written again --------------------------------------------------------------------------------


def test_drafting_one_step_again_keeps_the_other_steps_and_updates_kit_json(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert draft(me, out, {}).returncode == 0
    before = digests(out)
    new_subject = "A short call, Dana?"
    done = draft(me, out, {"call_request": Reply(content={**GOOD["call_request"], "subject": new_subject})},
                 "--step", "call_request")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert present(out) == EVERYTHING
    after = digests(out)
    assert {n for n in before if before[n] != after.get(n)} == {"call_request.eml", "kit.json", ".lemonade.json"}
    kit = Kit.load(out)
    assert kit.call_request.value.subject == new_subject and kit.thank_you.value.email_subject
    assert run("check", str(out), "--situation", str(me)).returncode == 0


def test_a_provider_error_keeps_the_steps_earlier_files(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert draft(me, out, {}).returncode == 0
    thank_you = {n: (out / n).read_bytes() for n in FILES["thank_you"]}
    done = draft(me, out, {"thank_you": Reply(status=400, error="bad request")})
    assert done.returncode == 3 and "thank_you: ProviderError: 400" in done.stderr
    assert present(out) == EVERYTHING and {n: (out / n).read_bytes() for n in FILES["thank_you"]} == thank_you
    assert Kit.load(out).thank_you.value.email_subject == GOOD["thank_you"]["email_subject"]


def test_a_hand_edit_of_a_step_not_drafted_now_does_not_stop_the_write(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert draft(me, out, {}).returncode == 0
    (out / "x_post.txt").write_text("My own post https://example.org/dbt-guide\n", encoding="utf-8")
    done = draft(me, out, {}, "--step", "call_request")
    assert done.returncode == 0, done.stderr
    assert (out / "x_post.txt").read_text(encoding="utf-8").startswith("My own post")
    again = draft(me, out, {})  # the value-add drafted again would replace it: that needs --force
    assert again.returncode == 2 and "x_post.txt" in again.stderr


def test_a_step_failing_now_retires_only_its_own_files(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert draft(me, out, {}).returncode == 0
    phish = {**GOOD["value_add"], "x_post": "Read this first: https://evil.example/phish"}
    done = draft(me, out, {"value_add": Reply(content=phish)}, "--step", "value_add")
    assert done.returncode == 1
    assert present(out) == (EVERYTHING - FILES["value_add"]) | {"value_add.failing.json"}
    assert not Kit.load(out).value_add.report.ok  # kit.json keeps the kit whole, with the failing draft in it


# -- campaign files edited by hand, and days past the calendar's end --------------------------------------------


def campaign(*args: str) -> Any:
    return run("campaign", *args)


@pytest.fixture
def started(me: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "campaign"
    done = campaign("start", str(me), "--dir", str(folder), "--timezone", "UTC", "--start", "2026-11-27")
    assert done.returncode == 0, done.stderr
    return folder


def edit(folder: Path, change: Any) -> None:
    path = folder / "campaign.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    text = change(data)
    path.write_text(text if isinstance(text, str) else json.dumps(data, indent=2), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "command", "said"),
    [
        (lambda d: d.update(steps=[]), ["next", "--backend", "offline"], "campaign.json: steps: has no call_request"),
        (lambda d: d["steps"][0].update(sequence=10**30), ["ics", "--out", "plan.ics"], "steps[0].sequence"),
        (lambda d: "[" * 100_000 + "]" * 100_000, ["status"], "campaign.json: is nested too deeply"),
        (lambda d: d["timing"].update(check_in_after=10_000_000), ["next", "--backend", "offline"],
         "timing.check_in_after: Input should be less than or equal to 730 (line "),
        (lambda d: d["steps"][0].update(sent_on="9999-12-30"), ["next", "--backend", "offline"],
         "steps[0].sent_on 9999-12-30 is too late"),
    ],
)  # fmt: skip
def test_a_hand_edit_the_campaign_cannot_follow_is_named(
    change: Any, command: list[str], said: str, started: Path, tmp_path: Path
) -> None:
    edit(started, change)
    before = digests(started)
    done = campaign(command[0], str(started), *[str(tmp_path / a) if a.endswith(".ics") else a for a in command[1:]])
    one_line_refusal(done, said)
    assert digests(started) == before and not (tmp_path / "plan.ics").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["call", "{dir}", "--on", "9999-12-31"], "--on 9999-12-31 is too late"),
        (["sent", "{dir}", "call_request", "--on", "9999-12-30"], "--on 9999-12-30 is too late"),
        (["status", "{dir}", "--today", "0001-01-01"], None),
    ],
)
def test_a_day_past_the_calendars_end_is_named_by_its_flag(args: list[str], said: str | None, started: Path) -> None:
    before = digests(started)
    done = campaign(*[a.replace("{dir}", str(started)) for a in args])
    if said is None:
        assert done.returncode == 0, done.stderr
    else:
        one_line_refusal(done, said)
    assert digests(started) == before


def test_a_start_past_the_calendars_end_makes_no_folder(me: Path, tmp_path: Path) -> None:
    folder = tmp_path / "late"
    done = campaign("start", str(me), "--dir", str(folder), "--timezone", "UTC", "--start", "9999-12-20")
    one_line_refusal(done, "--start 9999-12-20 is too late")
    assert not folder.exists()
    near = campaign("start", str(me), "--dir", str(folder), "--timezone", "UTC", "--start", "9999-06-01")
    assert near.returncode == 0, near.stderr
    done = campaign("ics", str(folder), "--out", str(tmp_path / "plan.ics"), "--today", "9999-12-31")
    assert done.returncode == 0 and (tmp_path / "plan.ics").exists()


def test_a_today_that_has_no_moment_in_utc_is_named(me: Path, tmp_path: Path) -> None:
    folder = tmp_path / "west"
    assert campaign("start", str(me), "--dir", str(folder), "--timezone", "Etc/GMT+12").returncode == 0
    one_line_refusal(campaign("ics", str(folder), "--out", str(tmp_path / "p.ics"), "--today", "9999-12-31"),
                     "--today 9999-12-31")  # fmt: skip


def test_a_long_referral_name_is_drafted_and_every_file_recorded(started: Path) -> None:
    name = " ".join(["Abcdefghij"] * 30)
    done = campaign("call", str(started), "--on", "2026-11-30", "--notes", "a good talk", "--today", "2026-11-30",
                    "--referral", f"{name}; Head of Data; Northwind; p@example.net; colleague")  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = campaign("next", str(started), "--backend", "offline", "--today", "2026-12-02")
    assert done.returncode == 0, done.stderr
    state = json.loads((started / "campaign.json").read_text(encoding="utf-8"))
    recorded = {f["name"] for s in state["steps"] for f in s["files"]}
    outreach = next(n for n in recorded if n.startswith("referral_outreach-"))
    assert len(outreach) <= len("referral_outreach-") + 48 + len(".eml") and outreach in done.stdout
    assert present(started) - {"campaign.json"} == recorded
    sent = campaign("sent", str(started), "referral_outreach", "--referral", name)
    assert sent.returncode == 0, sent.stderr


# -- cohorts: keys that would collide, and journals that no longer read ------------------------------------------


def cohort_file(tmp_path: Path, keys: list[str]) -> Path:
    path = tmp_path / "clients.jsonl"
    path.write_text("".join(json.dumps({**example_situation_data(), "key": k}) + "\n" for k in keys), encoding="utf-8")
    return path


def cohort(source: Path, out: Path, *more: str) -> Any:
    return run("cohort", str(source), "--out", str(out), "--backend", "offline", *more)


def test_a_key_named_like_the_runs_own_files_gets_a_folder_of_its_own(tmp_path: Path) -> None:
    out = tmp_path / "kits"
    done = cohort(cohort_file(tmp_path, ["jill", "failures.jsonl", "collect.json"]), out)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["collect-json", "failures-jsonl", "failures.jsonl", "jill"]
    assert (out / "failures.jsonl").read_text(encoding="utf-8") == "" and Kit.load(out / "failures-jsonl").ok


def test_keys_that_differ_only_in_case_are_refused_before_anything_is_drafted(tmp_path: Path) -> None:
    out = tmp_path / "kits"
    one_line_refusal(cohort(cohort_file(tmp_path, ["jill", "Jill"]), out), "'Jill' is the same folder name")
    assert not out.exists()
    assert cohort(cohort_file(tmp_path, ["jill", "jill2"]), out).returncode == 0


def test_a_folder_in_the_way_of_the_failure_list_is_refused_before_drafting(tmp_path: Path) -> None:
    out = tmp_path / "kits"
    (out / "failures.jsonl").mkdir(parents=True)
    one_line_refusal(cohort(cohort_file(tmp_path, ["jill"]), out), "failures.jsonl: is in the way")
    assert sorted(p.name for p in out.iterdir()) == ["failures.jsonl"]


def test_a_kit_folder_that_cannot_be_written_is_listed_and_the_others_written(tmp_path: Path) -> None:
    out = tmp_path / "kits"
    out.mkdir()
    (out / "ann").write_text("a file where ann's folder goes", encoding="utf-8")
    done = cohort(cohort_file(tmp_path, ["ann", "bob"]), out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [failure] = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert failure["key"] == "ann" and failure["outcome"] == "output" and Kit.load(out / "bob").ok


def test_a_journal_row_that_no_longer_reads_is_drafted_again(tmp_path: Path) -> None:
    source, journal = cohort_file(tmp_path, ["client0", "client1"]), tmp_path / "cohort.db"
    assert cohort(source, tmp_path / "a", "--journal", str(journal)).returncode == 0
    db = sqlite3.connect(journal)
    row = json.loads(db.execute("SELECT draft FROM steps WHERE key='client0' AND step='call_request'").fetchone()[0])
    row["value"]["signature"] = row["value"].pop("body")  # a draft of another schema
    db.execute("UPDATE steps SET draft=? WHERE key='client0' AND step='call_request'", (json.dumps(row),))
    db.commit()
    db.close()
    again = cohort(source, tmp_path / "b", "--journal", str(journal))
    assert again.returncode == 0, again.stderr
    assert "1 / 7" in again.stdout  # one step drafted again, seven read back from the journal
    assert Kit.load(tmp_path / "b" / "client0").ok
    db = sqlite3.connect(journal)
    fixed = json.loads(db.execute("SELECT draft FROM steps WHERE key='client0' AND step='call_request'").fetchone()[0])
    db.close()
    assert "body" in fixed["value"]


def test_another_programs_steps_table_is_not_taken_for_a_journal(tmp_path: Path) -> None:
    journal = tmp_path / "other.db"
    db = sqlite3.connect(journal)
    db.execute("CREATE TABLE steps (id INTEGER PRIMARY KEY, what TEXT)")
    db.commit()
    db.close()
    out = tmp_path / "kits"
    one_line_refusal(cohort(cohort_file(tmp_path, ["jill"]), out, "--journal", str(journal)), "not a lemonade journal")


def test_a_key_named_like_a_journal_in_the_output_folder_is_refused_before_drafting(tmp_path: Path) -> None:
    out = tmp_path / "kits"
    done = cohort(cohort_file(tmp_path, ["jill", "cohort.db"]), out, "--journal", str(out / "cohort.db"))
    one_line_refusal(done, "key 'cohort.db' is the same folder name (cohort.db) as the journal")
    assert not out.exists()
    beside = cohort(cohort_file(tmp_path, ["jill", "cohort.db"]), out, "--journal", str(tmp_path / "cohort.db"))
    assert beside.returncode == 0 and Kit.load(out / "cohort.db").ok
