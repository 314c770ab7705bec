"""How long ``import lemonade`` takes next to ``import openai``, each in a fresh interpreter, interleaved.

lemonade loads openai only where a request is made, so the offline writer, ``check()``, ``Situation`` and
the offline CLI never pay for it. Target: ``import lemonade`` at most a third of ``import openai``.

    python bench/import_time.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

CODE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def timed(module: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CODE.format(module=module)], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"lemonade": [], "openai": []}
    for i in range(args.rounds + 2):
        for module in ("lemonade", "openai") if i % 2 else ("openai", "lemonade"):
            seconds = timed(module)
            if i >= 2:  # the first rounds warm the file cache
                times[module].append(seconds)
    lemonade, openai = (statistics.median(times[m]) * 1000 for m in ("lemonade", "openai"))
    print(f"median of {args.rounds} fresh interpreters each, interleaved")
    print(f"  import lemonade {lemonade:6.1f} ms   import openai {openai:6.1f} ms   ratio {lemonade / openai:.3f}")
    print("  target: ratio <= 0.333")


if __name__ == "__main__":
    main()
