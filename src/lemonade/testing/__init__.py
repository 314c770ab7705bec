"""A local, scripted OpenAI-compatible server for testing code that uses lemonade, offline.

It speaks ``POST /v1/chat/completions`` over real HTTP on 127.0.0.1, answers each step with the
replies scripted for its schema name (or a default), and records every request it received::

    with ScriptedServer() as server:
        server.script("call_request", Reply(content={...}), Reply(status=429, headers={"retry-after-ms": "5"}))
        lm = Lemonade(client=OpenAI(base_url=server.url, api_key="test"))
        ...
        assert server.count("call_request") == 2

``RateLimitedServer`` adds OpenAI's rate limits (requests and tokens per minute, enforced over short
windows, with OpenAI's headers and 429s) and a latency; ``BatchServer`` adds enough of ``/v1/files`` and
``/v1/batches`` to run a batch over HTTP.

``EXAMPLE_ANSWERS`` and ``example_situation_data`` give answers a good model might write, and the
situation they are for.
"""

from ._batches import BatchServer
from ._demo import main
from ._examples import EXAMPLE_ANSWERS, example_situation_data
from ._ratelimit import RateLimitedServer
from ._server import Recorded, Reply, ScriptedServer

__all__ = [
    "EXAMPLE_ANSWERS",
    "BatchServer",
    "RateLimitedServer",
    "Recorded",
    "Reply",
    "ScriptedServer",
    "example_situation_data",
    "main",
]
