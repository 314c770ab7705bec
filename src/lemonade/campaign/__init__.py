"""Stage 7, the campaign: the playbook over time, above the engine that drafts each step.

``_dates`` holds the timing (with the guidance it follows) and business-day arithmetic in the candidate's
time zone; ``_state`` the versioned ``campaign.json``, its atomic writes and its lock; ``_plan`` works out
each step's day and status; ``_exports``, ``_calendar`` and ``_view`` turn it into files, an iCalendar
file and a timeline; ``_drafting`` drafts what is due, recording each file as it is written; ``_campaign``
holds ``Campaign``. Import from ``lemonade``.
"""

__all__: list[str] = []
