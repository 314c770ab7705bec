"""``lemonade cohort`` as a person runs it: a real process, a real terminal for the progress bar, exit codes and
``failures.jsonl``, and a run killed with SIGKILL partway and run again with its journal."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conftest import GOOD, good, situation_data

from lemonade import Kit
from lemonade.testing import RateLimitedServer, Reply, ScriptedServer

_CLIENT = re.compile(r"\(client (\d+)\)")


def environment(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "LEMONADE_MODEL")}
    return env | more


def lemonade(*args: str, **run: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lemonade", *args], capture_output=True, text=True, env=environment(), **run
    )


def cohort_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "clients.jsonl"
    lines = [
        {"key": f"client-{i}", **situation_data(notes=f"Met Dana three times (client {i}).")} for i in range(count)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def good_defaults(delay: float = 0.0) -> dict[str, Reply]:
    return {step: Reply(content=answer, delay=delay) for step, answer in GOOD["rejected"].items()}


def asked(server: ScriptedServer, since: int = 0) -> list[tuple[str, str | None]]:
    found = []
    for r in server.requests[since:]:
        number = _CLIENT.search(" ".join(str(m.get("content")) for m in r.body.get("messages", [])))
        found.append((f"client-{number.group(1)}" if number else "?", r.step))
    return found


def test_every_kit_lands_in_its_folder_and_the_summary_adds_up(tmp_path: Path) -> None:
    with ScriptedServer(defaults=good_defaults()) as server:
        done = lemonade("cohort", str(cohort_file(tmp_path, 5)), "--out", str(tmp_path / "kits"),
                        "--base-url", server.url)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert server.count() == 20
    for i in range(5):
        assert Kit.load(tmp_path / "kits" / f"client-{i}").ok
    assert (tmp_path / "kits" / "failures.jsonl").read_text() == ""
    assert re.search(r"kits done\s+│\s+5 │", done.stdout) and re.search(r"requests\s+│\s+20 │", done.stdout)
    assert "cohort" not in done.stderr  # no progress bar when stderr is not a terminal


def test_guardrail_failures_exit_1_and_are_listed_not_written(tmp_path: Path) -> None:
    bad = Reply(content=good("thank_you", letter_paragraphs=["I would like you to reconsider your decision."]))
    with ScriptedServer(defaults=good_defaults()) as server:
        server.script("thank_you", bad, bad, bad)
        done = lemonade("cohort", str(cohort_file(tmp_path, 3)), "--out", str(tmp_path / "kits"),
                        "--base-url", server.url, "--max-concurrency", "1")  # fmt: skip
    assert done.returncode == 1, done.stderr
    [failure] = [json.loads(line) for line in (tmp_path / "kits" / "failures.jsonl").read_text().splitlines()]
    assert (failure["step"], failure["outcome"]) == ("thank_you", "guardrails") and "reconsider" in failure["codes"]
    folder = tmp_path / "kits" / failure["key"]
    assert (folder / "call_request.eml").exists() and not (folder / "thank_you.eml").exists()
    assert not (folder / "kit.json").exists()


def test_provider_errors_exit_3_and_bad_input_exits_2_before_sending(tmp_path: Path) -> None:
    with ScriptedServer(defaults=good_defaults()) as server:
        server.script("call_request", Reply(status=403, error="this key may not use this model"))
        done = lemonade("cohort", str(cohort_file(tmp_path, 2)), "--out", str(tmp_path / "kits"),
                        "--base-url", server.url)  # fmt: skip
        assert done.returncode == 3, done.stderr
        [failure] = [json.loads(line) for line in (tmp_path / "kits" / "failures.jsonl").read_text().splitlines()]
        assert failure["outcome"] == "provider" and failure["error"] == "ProviderError"
        broken = cohort_file(tmp_path, 2)
        broken.write_text(broken.read_text() + '{"key": "client-9", "outcome": "hired"}\n')
        before = server.count()
        refused = lemonade("cohort", str(broken), "--out", str(tmp_path / "other"), "--base-url", server.url)
        assert refused.returncode == 2 and "clients.jsonl:3" in refused.stderr and "outcome" in refused.stderr
        assert server.count() == before and not (tmp_path / "other").exists()


def test_a_folder_of_situation_files_is_keyed_by_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    for name in ("ann lee", "bob"):
        (folder / f"{name}.json").write_text(json.dumps(situation_data()), encoding="utf-8")
    done = lemonade("cohort", str(folder), "--out", str(tmp_path / "kits"), "--backend", "offline", "--step",
                    "call_request", "--step", "thank_you")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "kits").iterdir()) == ["ann-lee", "bob", "failures.jsonl"]
    assert sorted(p.name for p in (tmp_path / "kits" / "bob").glob("[!.]*.json")) == [
        "call_request.json",
        "thank_you.json",
    ]


def test_the_progress_bar_shows_on_a_real_terminal(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    command = ["cohort", str(cohort_file(tmp_path, 4)), "--out", str(tmp_path / "kits"), "--backend", "offline"]
    process = subprocess.Popen(
        [sys.executable, "-m", "lemonade", *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=secondary,
        env=environment(TERM="xterm-256color", COLUMNS="160"),
    )
    os.close(secondary)
    shown = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    assert process.stdout is not None
    with process.stdout:
        summary = process.stdout.read().decode()
    assert process.wait(timeout=30) == 0
    os.close(primary)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8", "replace"))
    assert "\x1b[" in shown.decode("utf-8", "replace")  # drawn with terminal control codes
    for part in ("cohort", "4/4", "0 failed", "req/s", "tok/min", "$0"):
        assert part in screen, (part, screen)
    assert "kits done" in summary and "req/s" not in summary


def test_a_cohort_killed_partway_resumes_without_asking_twice(tmp_path: Path) -> None:
    source, kits, journal = cohort_file(tmp_path, 12), tmp_path / "kits", tmp_path / "cohort.db"
    command = [sys.executable, "-m", "lemonade", "cohort", str(source), "--out", str(kits), "--journal", str(journal),
               "--max-concurrency", "3"]  # fmt: skip
    with ScriptedServer(defaults=good_defaults(delay=0.05)) as server:
        first = subprocess.Popen([*command, "--base-url", server.url], env=environment(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while server.count() < 20 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=30) == -signal.SIGKILL
        with contextlib.closing(sqlite3.connect(journal)) as db:  # read it the way anyone could
            finished = set(db.execute("SELECT key, step FROM steps"))
        assert 0 < len(finished) < 48, "killed partway"
        before = server.count()
        second = subprocess.run([*command, "--base-url", server.url], env=environment(), capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        again = asked(server, since=before)
    assert second.returncode == 0, second.stderr
    assert not finished & set(again), "a finished step was asked for again"
    assert sorted(again) == sorted({(f"client-{i}", s) for i in range(12) for s in GOOD["rejected"]} - finished)
    for i in range(12):
        assert Kit.load(kits / f"client-{i}").ok
    assert re.search(rf"from the journal\s+│\s+{48 - len(finished)} / {len(finished)} │", second.stdout)


def test_the_cohort_paces_itself_to_a_servers_headers_and_no_429_reaches_the_user(tmp_path: Path) -> None:
    with RateLimitedServer(rpm=1200, tpm=2_000_000, latency=0.05, defaults=good_defaults()) as server:
        done = lemonade("cohort", str(cohort_file(tmp_path, 8)), "--out", str(tmp_path / "kits"),
                        "--base-url", server.url)  # fmt: skip
        arrivals = [r.arrived for r in server.requests]
    assert done.returncode == 0, done.stderr
    assert server.admitted == 32 and server.throttled == 0
    # never more than the one-second window allows (20), however the requests are counted
    assert max(sum(1 for t in arrivals if start <= t < start + 1.0) for start in arrivals) <= 21


def test_a_server_with_no_headers_is_paced_by_rpm(tmp_path: Path) -> None:
    with RateLimitedServer(rpm=600, headers=False, latency=0.02, defaults=good_defaults()) as server:
        done = lemonade("cohort", str(cohort_file(tmp_path, 8)), "--out", str(tmp_path / "kits"), "--step",
                        "call_request", "--base-url", server.url, "--rpm", "600")  # fmt: skip
        arrivals = [r.arrived for r in server.requests]
    assert done.returncode == 0 and server.throttled == 0 and len(arrivals) == 8
    # 10 a second (less 1% headroom), not a burst; the first request also opened the connection
    assert (arrivals[-1] - arrivals[1]) / 6 >= 0.095
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.05
