"""What lemonade adds on top of one bare chat request: prompts, tokens, parsing and guardrails.

Starts the scripted server in its own process (zero latency, the same answer every time), then
times, interleaved in one run, a lemonade draft and the same request made with the bare openai
client, and prints the ratio of their medians. Target: at most 1.15.

    python bench/overhead.py [--rounds 300] [--step call_request]
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
from lemonade._schema import response_format  # noqa: E402
from lemonade.testing import EXAMPLE_ANSWERS as GOOD  # noqa: E402
from lemonade.testing import Reply, ScriptedServer, example_situation_data  # noqa: E402


def serve(step: str, ready: Any, stop: Any) -> None:
    server = ScriptedServer(defaults={step: Reply(content=GOOD["rejected"][step])}).start()
    ready.put(server.url)
    stop.wait()
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--step", default="call_request", choices=sorted(GOOD["rejected"]))
    args = parser.parse_args()

    ready, stop = multiprocessing.Queue(), multiprocessing.Event()
    process = multiprocessing.Process(target=serve, args=(args.step, ready, stop), daemon=True)
    process.start()
    url = ready.get(timeout=30)
    try:
        client = openai.OpenAI(base_url=url, api_key="bench", max_retries=0)
        lm = Lemonade(client=client, model="gpt-4o-mini")
        s = Situation.model_validate(example_situation_data())
        request = lm.preview(args.step, s)  # the very request lemonade sends
        bare_kwargs: dict[str, Any] = {
            "model": "gpt-4o-mini",
            "messages": request.messages,
            "max_tokens": request.max_tokens,
            "response_format": response_format(args.step),
        }

        def bare() -> None:
            client.chat.completions.create(**bare_kwargs)

        def drafted() -> None:
            lm.draft(args.step, s)

        for _ in range(20):  # warm both paths: connections, encoders, prompt files
            bare()
            drafted()
        times: dict[str, list[float]] = {"bare": [], "lemonade": []}
        for i in range(args.rounds):
            order = [("bare", bare), ("lemonade", drafted)]
            for name, fn in order if i % 2 else reversed(order):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
        bare_ms = statistics.median(times["bare"]) * 1000
        lemonade_ms = statistics.median(times["lemonade"]) * 1000
        print(f"step: {args.step}, rounds: {args.rounds}, server: separate process, zero latency")
        print(f"bare openai request   median {bare_ms:7.3f} ms")
        print(f"lemonade draft        median {lemonade_ms:7.3f} ms")
        print(f"ratio lemonade/bare   {lemonade_ms / bare_ms:.3f}  (target <= 1.15)")
        client.close()
    finally:
        stop.set()
        process.join(timeout=10)


if __name__ == "__main__":
    main()
