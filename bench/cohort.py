"""A cohort at the server's ceiling: throughput against the rate limit, 429s, and memory, from one run.

Starts lemonade's rate-limited scripted server in its own process (OpenAI's headers on every answer,
limits enforced over one-second windows, 429s with retry-after-ms, a fixed latency), then drafts the
same cohort of kits three times, each in a fresh process so its peak memory is its own (tiktoken's
encoding, which any use of lemonade loads once per process, is loaded before the clock starts):

1. the ceiling given only through the server's headers (requests per minute binding);
2. the same server sending no rate-limit headers, the ceiling given by hand with rpm=/tpm=;
3. tokens per minute binding, learnt from the headers.

Then 10,000 situations from a generator through the offline writer, with the resident memory after
1,000 and after 10,000. Targets: at least 0.95 of the ceiling, at most 1% of requests answered 429,
none surfaced to the caller, and memory that does not grow with the cohort.

    python bench/cohort.py [--kits 300] [--rpm 3000] [--latency 0.25]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if (ROOT.parent / "shared" / "tiktoken").is_dir():
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT.parent / "shared" / "tiktoken"))

from lemonade import Lemonade  # noqa: E402
from lemonade.testing import EXAMPLE_ANSWERS, RateLimitedServer, Reply, example_situation_data  # noqa: E402

MAX_TOKENS = 1200


def situations(count: int) -> Any:
    """A generator of distinct situations (each one's notes name it), made as they are asked for."""
    for i in range(count):
        yield (f"client-{i}", example_situation_data(notes=f"Three conversations with Dana (client {i})."))


def serve(limits: dict[str, Any], pipe: Any) -> None:
    defaults = {step: Reply(content=answer) for step, answer in EXAMPLE_ANSWERS["rejected"].items()}
    server = RateLimitedServer(defaults=defaults, **limits).start()
    pipe.send(server.url)
    pipe.recv()  # until asked for the figures
    tokens = sum(server.tokens_of(r.body) for r in server.requests)
    span = server.requests[-1].arrived - server.requests[0].arrived if server.requests else 0.0
    pipe.send({"requests": len(server.requests), "throttled": server.throttled, "tokens": tokens, "span": span})
    server.stop()


def draft_cohort(url: str, kits: int, hand: dict[str, float], pipe: Any) -> None:
    import openai

    client = openai.OpenAI(base_url=url, api_key="bench", max_retries=0)
    lm = Lemonade(client=client, model="gpt-4o-mini", max_tokens=MAX_TOKENS)
    lm.preview("call_request", example_situation_data())  # loads tiktoken's encoding: once per process, not per cohort
    started = time.perf_counter()
    cohort = lm.cohort(situations(kits), **hand)  # type: ignore[arg-type]
    results = list(cohort)
    elapsed = time.perf_counter() - started
    ledger = cohort.ledger
    pipe.send({
        "elapsed": elapsed,
        "kits": sum(1 for r in results if r.kit is not None and r.ok),
        "surfaced": sum(1 for r in results if r.error is not None),
        "requests": ledger.requests,
        "seen_429": ledger.throttled,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "concurrency": cohort.pacer.wanted_in_flight() if cohort.pacer else None,
    })  # fmt: skip
    client.close()


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def offline(count: int, pipe: Any) -> None:
    lm = Lemonade(backend="offline")
    seen: dict[int, float] = {}
    started = time.perf_counter()
    done = 0
    for result in lm.cohort(situations(count)):
        done += result.ok
        if done in (1_000, count):
            seen[done] = rss_mb()
    pipe.send({"elapsed": time.perf_counter() - started, "done": done, "rss": seen, "peak": rss_mb("VmHWM")})


def in_process(target: Any, *args: Any) -> Any:
    here, there = multiprocessing.Pipe()
    process = multiprocessing.Process(target=target, args=(*args, there), daemon=True)
    process.start()
    answer = here.recv()
    process.join(timeout=60)
    return answer


def run(name: str, kits: int, limits: dict[str, Any], hand: dict[str, float], binding: str) -> None:
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(limits, there), daemon=True)
    server.start()
    url = here.recv()
    client = in_process(draft_cohort, url, kits, hand)
    here.send("figures")
    served = here.recv()
    server.join(timeout=30)
    if binding == "rpm":
        ceiling, achieved = limits["rpm"] / 60, served["requests"] / client["elapsed"]
        unit = "requests/s"
    else:
        ceiling, achieved = limits["tpm"] / 60, served["tokens"] / client["elapsed"]
        unit = "tokens/s"
    share = served["throttled"] / max(1, served["requests"])
    print(f"-- {name}")
    print(
        f"   {client['kits']}/{kits} kits, {served['requests']} requests in {client['elapsed']:.1f} s "
        f"(first to last arrival at the server: {served['span']:.1f} s)"
    )
    print(f"   throughput {achieved:,.1f} {unit} / ceiling {ceiling:,.1f} = {achieved / ceiling:.3f}  (target >= 0.95)")
    print(
        f"   429s sent by the server: {served['throttled']} ({share:.2%} of requests; target <= 1%), "
        f"surfaced to the caller: {client['surfaced']} (target 0)"
    )
    peak, flying = client["peak_mb"], client["concurrency"]
    print(f"   peak memory (client process RSS): {peak:.0f} MB; requests kept in flight at the end: {flying}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kits", type=int, default=300)
    parser.add_argument("--rpm", type=float, default=3000)
    parser.add_argument("--tpm", type=float, default=4_500_000, help="the TPM ceiling of the tokens-bound run")
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--offline", type=int, default=10_000)
    args = parser.parse_args()
    roomy = args.rpm * 10_000
    print(f"{args.kits} kits ({args.kits * 4} requests), latency {args.latency} s, limits over 1-second windows")
    run(
        f"rpm={args.rpm:g} binding, ceiling from the headers only",
        args.kits,
        {"rpm": args.rpm, "tpm": roomy, "latency": args.latency},
        {},
        "rpm",
    )
    run(
        f"rpm={args.rpm:g} binding, no rate-limit headers, ceiling given as rpm=/tpm=",
        args.kits,
        {"rpm": args.rpm, "tpm": roomy, "latency": args.latency, "headers": False},
        {"rpm": args.rpm, "tpm": roomy},
        "rpm",
    )
    run(
        f"tpm={args.tpm:,.0f} binding (rpm={args.rpm * 2:g}), ceiling from the headers only",
        args.kits,
        {"rpm": args.rpm * 2, "tpm": args.tpm, "latency": args.latency},
        {},
        "tpm",
    )
    figures = in_process(offline, args.offline)
    rss = figures["rss"]
    print(f"-- {args.offline:,} offline situations from a generator")
    early, late = rss.get(1000, float("nan")), rss.get(args.offline, float("nan"))
    print(f"   {figures['done']:,} kits in {figures['elapsed']:.1f} s")
    peak = figures["peak"]
    print(f"   resident memory after 1,000: {early:.0f} MB, after {args.offline:,}: {late:.0f} MB; peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
