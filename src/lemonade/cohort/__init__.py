"""Stage 6, the cohort: many situations drafted at the server's ceiling, journaled so a killed run resumes.

It sits under the engine and knows nothing of models: ``_runner`` drafts the steps of each situation
through the async callable the engine hands it, keeping as many in flight as ``_pacer`` wants (which
paces requests and tokens under the rate limits ``_limits`` reads from the headers); ``_journal`` keeps
every finished step in SQLite; ``_result`` and ``_ledger`` are what comes back: one ``CohortResult`` per
situation, and the cost of the whole run; ``_cohort`` wraps a run as a sync or async iterator.
"""

__all__: list[str] = []
