"""Stage 3, the drafts: the typed values a model writes, checked against the situation, and what is handed back.

``_values`` holds the four step values (each applies the guardrail rules to itself) and the printed
letter; ``_check`` runs those checks on an answer or an edited value; ``_usage`` counts what a draft
cost; ``_files`` and ``_markdown`` turn a value into the files and the notebook view a person sees;
``_draft`` wraps it all as ``Draft`` and ``Kit``.
"""

__all__: list[str] = []
