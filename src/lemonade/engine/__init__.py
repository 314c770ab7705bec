"""Stage 5, the engine: ``Lemonade`` sends each step's request, checks the answer and re-asks, or writes offline.

``_conversation`` is one step's exchange with a model, with no I/O (request, parse, check, re-ask);
``_send`` is the one retry layer and maps server failures to lemonade's errors; ``_clients`` copies or
builds the OpenAI clients; ``_lemonade`` holds ``Lemonade``, which drives them (and the offline writer).
"""

__all__: list[str] = []
