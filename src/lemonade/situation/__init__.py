"""Stage 1, where a situation enters: what the candidate tells lemonade, and reading it from a file.

``_files`` reads TOML or JSON and says which line a field is on; ``_situation`` holds the validated
models (``Situation``, ``Person``, ``Company``, ``Resource``, ``Address``). Import them from ``lemonade``.
"""

__all__: list[str] = []
