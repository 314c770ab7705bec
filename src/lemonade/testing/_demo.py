"""``python -m lemonade.testing --demo``: the whole model path, run against the scripted server."""

from __future__ import annotations

import argparse

from ..engine._lemonade import Lemonade
from ._examples import EXAMPLE_ANSWERS, example_situation_data
from ._server import Reply, ScriptedServer

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """``python -m lemonade.testing --demo``: draft the example kit through the real engine and HTTP,
    against this scripted server, so the whole path runs with no key and no network."""
    import openai

    parser = argparse.ArgumentParser(prog="python -m lemonade.testing", description=main.__doc__)
    parser.add_argument("--demo", action="store_true", help="draft the example kit and print it")
    parser.add_argument("--outcome", choices=["rejected", "declined_offer"], default="rejected")
    args = parser.parse_args(argv)
    if not args.demo:
        parser.print_help()
        return 2
    answers = EXAMPLE_ANSWERS[args.outcome]
    with ScriptedServer(defaults={step: Reply(content=a) for step, a in answers.items()}) as server:
        client = openai.OpenAI(base_url=server.url, api_key="demo")
        kit = Lemonade(client=client, model="scripted-demo").kit(example_situation_data(args.outcome))
        client.close()
    print("Drafted by a local scripted server (example answers), checked by lemonade's guardrails.\n")
    for step, draft in kit.drafts.items():
        print(f"==== {step} ({draft.report}) ====\n{draft.text}")
    print(f"usage: {kit.usage}")
    return 0 if kit.ok else 1
