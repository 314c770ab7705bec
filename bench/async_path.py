"""The async path's cost next to bare ``AsyncOpenAI`` requests, and with only a sync client given.

Starts the scripted server in its own process (zero latency), then, in one run:

1. one ``acall_request`` at a time, given only ``client=`` (lemonade makes the async client) and given
   ``async_client=``, interleaved with the same bare request: median ratio to bare (target ≤ 1.25);
2. 100 kits at once (400 requests) against 400 bare requests at once: throughput ratio (target ≥ 0.95),
   with answers at zero latency and at 100 ms (a model's real latency, which concurrency hides);
3. 1,000 ``acall_request`` at once, each configuration in a fresh process: seconds and peak memory.

    python bench/async_path.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if (ROOT.parent / "shared" / "tiktoken").is_dir():
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT.parent / "shared" / "tiktoken"))

import openai  # noqa: E402

from lemonade import Lemonade, Situation  # noqa: E402
from lemonade.prompting._schema import response_format  # noqa: E402
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer, example_situation_data  # noqa: E402

GOOD = EXAMPLE_ANSWERS["rejected"]


def serve(ready: Any, stop: Any, latency: float = 0.0) -> None:
    replies = {step: Reply(content=answer, delay=latency) for step, answer in GOOD.items()}
    server = ScriptedServer(defaults=replies).start()
    ready.put(server.url)
    stop.wait()
    server.stop()


def bare_kwargs(lm: Lemonade, s: Situation, step: Any) -> dict[str, Any]:
    preview = lm.preview(step, s)
    return {
        "model": "gpt-4o-mini",
        "messages": preview.messages,
        "max_tokens": preview.max_tokens,
        "response_format": response_format(step),
    }


async def one_at_a_time(url: str, rounds: int) -> dict[str, float]:
    s = Situation.model_validate(example_situation_data())
    sync = openai.OpenAI(base_url=url, api_key="bench", max_retries=0)
    given = openai.AsyncOpenAI(base_url=url, api_key="bench", max_retries=0)
    bare = openai.AsyncOpenAI(base_url=url, api_key="bench", max_retries=0)
    only_sync = Lemonade(client=sync, model="gpt-4o-mini")
    with_async = Lemonade(async_client=given, model="gpt-4o-mini")
    kwargs = bare_kwargs(only_sync, s, "call_request")
    runs = {
        "bare": lambda: bare.chat.completions.create(**kwargs),
        "client=": lambda: only_sync.acall_request(s),
        "async_client=": lambda: with_async.acall_request(s),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for i in range(rounds + 20):
        order = list(runs.items())
        for name, fn in order if i % 2 else reversed(order):
            start = time.perf_counter()
            await fn()
            if i >= 20:  # the first rounds warm connections, encoders and prompt files
                times[name].append(time.perf_counter() - start)
    await only_sync.aclose()
    for client in (given, bare):
        await client.close()
    sync.close()
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


async def many_at_once(url: str, kits: int) -> dict[str, float]:
    """Requests per second: bare, and lemonade given only client= or given async_client=; best of 3."""
    s = Situation.model_validate(example_situation_data())
    sync = openai.OpenAI(base_url=url, api_key="bench", max_retries=0)
    bare = openai.AsyncOpenAI(base_url=url, api_key="bench", max_retries=0)
    given = openai.AsyncOpenAI(base_url=url, api_key="bench", max_retries=0)
    engines = {"client=": Lemonade(client=sync, model="gpt-4o-mini"),
               "async_client=": Lemonade(async_client=given, model="gpt-4o-mini")}  # fmt: skip
    requests = [bare_kwargs(engines["client="], s, step) for step in GOOD for _ in range(kits)]
    await asyncio.gather(*(bare.chat.completions.create(**r) for r in requests[:40]))  # warm every path
    for lm in engines.values():
        await asyncio.gather(*(lm.akit(s) for _ in range(10)))
    best = {"bare": float("inf"), **{name: float("inf") for name in engines}}
    for _ in range(3):
        start = time.perf_counter()
        await asyncio.gather(*(bare.chat.completions.create(**r) for r in requests))
        best["bare"] = min(best["bare"], time.perf_counter() - start)
        for name, lm in engines.items():
            start = time.perf_counter()
            await asyncio.gather(*(lm.akit(s) for _ in range(kits)))
            best[name] = min(best[name], time.perf_counter() - start)
    await engines["client="].aclose()
    for client in (bare, given):
        await client.close()
    sync.close()
    return {name: len(requests) / seconds for name, seconds in best.items()}


def thousand(url: str, how: str) -> None:
    """Run in a fresh process: 1,000 concurrent acall_request; print seconds and peak RSS in MB."""

    async def run() -> float:
        s = Situation.model_validate(example_situation_data())
        if how == "async_client=":
            lm = Lemonade(async_client=openai.AsyncOpenAI(base_url=url, api_key="b", max_retries=0), model="m")
        else:
            lm = Lemonade(client=openai.OpenAI(base_url=url, api_key="b", max_retries=0), model="m")
        start = time.perf_counter()
        await asyncio.gather(*(lm.acall_request(s) for _ in range(1000)))
        return time.perf_counter() - start

    seconds = asyncio.run(run())
    print(f"{seconds:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--thousand", nargs=2, metavar=("URL", "HOW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.thousand:
        thousand(*args.thousand)
        return
    stop = multiprocessing.Event()
    urls = {}
    processes = []
    for latency in (0.0, 0.1):
        ready = multiprocessing.Queue()  # type: ignore[var-annotated]
        process = multiprocessing.Process(target=serve, args=(ready, stop, latency), daemon=True)
        process.start()
        processes.append(process)
        urls[latency] = ready.get(timeout=30)
    url = urls[0.0]
    try:
        median = asyncio.run(one_at_a_time(url, args.rounds))
        print(f"one at a time, median of {args.rounds} interleaved rounds (server: own process, zero latency)")
        for name in ("client=", "async_client="):
            print(f"  acall_request, {name:14s} {median[name]:6.3f} ms  bare {median['bare']:6.3f} ms  "
                  f"ratio {median[name] / median['bare']:.3f}   target <= 1.25")  # fmt: skip
        for latency, at in urls.items():
            rps = asyncio.run(many_at_once(at, 100))
            print(f"100 kits at once (400 requests), answers after {latency * 1000:.0f} ms, best of 3")
            for name in ("client=", "async_client="):
                print(f"  {name:14s} {rps[name]:7.1f} req/s  bare {rps['bare']:7.1f} req/s  "
                      f"ratio {rps[name] / rps['bare']:.3f}   target >= 0.95")  # fmt: skip
        print("1,000 acall_request at once, each in a fresh process")
        for how in ("client=", "async_client="):
            done = subprocess.run(
                [sys.executable, __file__, "--thousand", url, how], capture_output=True, text=True, check=True
            )
            seconds, mb = done.stdout.split()
            print(f"  {how:14s} {float(seconds):6.2f} s  peak RSS {mb} MB")
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=10)


if __name__ == "__main__":
    main()
