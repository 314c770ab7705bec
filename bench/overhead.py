"""What lemonade adds on top of one bare chat request: prompts, tokens, parsing and guardrails.

Starts the scripted server in its own process (zero latency, the same answer every time), then
times, interleaved in one run, a lemonade draft and the same request made with the bare openai
client, and prints the ratio of their medians. Target: at most 1.15.

    python bench/overhead.py [--rounds 300] [--step call_request|...|all]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if (ROOT.parent / "shared" / "tiktoken").is_dir():
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT.parent / "shared" / "tiktoken"))

import openai  # noqa: E402

from lemonade import Lemonade, Situation  # noqa: E402
from lemonade.prompting._schema import response_format  # noqa: E402
from lemonade.testing import EXAMPLE_ANSWERS as GOOD  # noqa: E402
from lemonade.testing import Reply, ScriptedServer, example_situation_data  # noqa: E402


def serve(ready: Any, stop: Any) -> None:
    server = ScriptedServer(defaults={step: Reply(content=answer) for step, answer in GOOD["rejected"].items()}).start()
    ready.put(server.url)
    stop.wait()
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--step", default="all", choices=[*sorted(GOOD["rejected"]), "all"])
    args = parser.parse_args()
    steps = sorted(GOOD["rejected"]) if args.step == "all" else [args.step]

    ready, stop = multiprocessing.Queue(), multiprocessing.Event()  # type: ignore[var-annotated]
    process = multiprocessing.Process(target=serve, args=(ready, stop), daemon=True)
    process.start()
    url = ready.get(timeout=30)
    try:
        client = openai.OpenAI(base_url=url, api_key="bench", max_retries=0)
        lm = Lemonade(client=client, model="gpt-4o-mini")
        s = Situation.model_validate(example_situation_data())
        print(f"rounds: {args.rounds} per step, server: separate process, zero latency, bare and lemonade interleaved")
        for fresh in (False, True):
            what = "a new Situation object per draft (no render cache)" if fresh else "one Situation, drafted again"
            print(f"-- {what}")
            total = {"bare": 0.0, "lemonade": 0.0}
            for step in steps:
                bare_ms, lemonade_ms = measure(client, lm, s, step, args.rounds, fresh=fresh)
                total["bare"] += bare_ms
                total["lemonade"] += lemonade_ms
                ratio = lemonade_ms / bare_ms
                print(f"{step:19s} bare {bare_ms:6.3f} ms  lemonade {lemonade_ms:6.3f} ms  ratio {ratio:.3f}")
            if len(steps) > 1:
                ratio = total["lemonade"] / total["bare"]
                print(f"{'all four':19s} bare {total['bare']:6.3f} ms  lemonade {total['lemonade']:6.3f} ms  "
                      f"ratio {ratio:.3f}")  # fmt: skip
        print("target: ratio <= 1.15")
        client.close()
    finally:
        stop.set()
        process.join(timeout=10)


def measure(
    client: openai.OpenAI, lm: Lemonade, s: Situation, step: Any, rounds: int, *, fresh: bool
) -> tuple[float, float]:
    """Median milliseconds of the bare request and of the lemonade draft, interleaved round by round."""
    request = lm.preview(step, s)  # the very request lemonade sends
    bare_kwargs: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "messages": request.messages,
        "max_tokens": request.max_tokens,
        "response_format": response_format(step),
    }

    def bare() -> None:
        client.chat.completions.create(**bare_kwargs)

    # Copies are made before timing, so only lemonade's own work is measured.
    situations = iter([s.model_copy() if fresh else s for _ in range(rounds + 20)])

    def drafted() -> None:
        lm.draft(step, next(situations))

    for _ in range(20):  # warm both paths: connections, encoders, prompt files
        bare()
        drafted()
    times: dict[str, list[float]] = {"bare": [], "lemonade": []}
    for i in range(rounds):
        order = [("bare", bare), ("lemonade", drafted)]
        for name, fn in order if i % 2 else reversed(order):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["bare"]) * 1000, statistics.median(times["lemonade"]) * 1000


if __name__ == "__main__":
    main()
