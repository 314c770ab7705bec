"""Stage 2, what the checks look for and how they judge a text.

The vocabulary first: ``_phrases`` (the wording each rule looks for), ``_links`` (finding links as a
reader sees them) and ``_xcount`` (X's weighted length). Then ``_report`` (a finding, a report, the
codes) and ``_rules`` (each rule over one or more text fields). The draft values in
``lemonade.drafts`` apply these rules to themselves.
"""

__all__: list[str] = []
