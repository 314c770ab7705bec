"""lemonade: turn a job rejection, or a declined offer, into a follow-up campaign.

Describe the situation once; get four typed, guardrail-checked drafts: a call request, "who do
you know" questions, a thank-you note (email and printed letter) and a value-add share.

The package follows the data, bottom to top: ``situation`` (what comes in) → ``guardrails`` (what the
checks look for) → ``drafts`` (the checked values, and Draft and Kit) → ``prompting`` (the request) →
``offline`` and ``engine`` (who writes the draft) → ``campaign`` (the playbook over time) → ``cli`` and
``testing``. Import from here.

Names load on first use (PEP 562), so ``import lemonade`` costs next to nothing, and openai is loaded
only where a request is made: the offline writer, ``check()``, ``Situation`` and the offline command
line never load it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._errors import (
        GuardrailError,
        InputError,
        LemonadeError,
        MalformedResponseError,
        PromptError,
        ProviderError,
        RefusalError,
        RetryError,
        TruncatedError,
    )
    from .batch._batch import batch_status, cancel_batch, collect_batch, prepare_batch, reask_batch, submit_batch
    from .batch._collect import BatchCollected
    from .campaign._campaign import Campaign, DraftRun
    from .campaign._dates import Timing, kit_dates
    from .campaign._plan import PlannedStep, Status
    from .cohort._cohort import ACohort, Cohort
    from .cohort._ledger import CohortLedger
    from .cohort._pacer import Pacer
    from .cohort._result import CohortOutcome, CohortResult
    from .drafts._check import check
    from .drafts._draft import Draft, Kit, Preview, PromptRef
    from .drafts._followups import (
        FOLLOW_UP_STEPS,
        CheckIn,
        FollowUpStep,
        IntroductionRequest,
        Nudge,
        ReferralOutreach,
        ThankYouAfterCall,
    )
    from .drafts._usage import PRICES, PRICES_AS_OF, Price, Usage
    from .drafts._values import STEPS, CallRequest, Letter, ReferralQuestions, Step, ThankYouNote, ValueAddShare
    from .engine._lemonade import DEFAULT_MODEL, Backend, Lemonade, OfflineWarning
    from .engine._retry import default_async_retrying, default_retrying, is_transient
    from .guardrails._report import CODES, GuardrailReport, Severity, Violation
    from .guardrails._xcount import x_length
    from .prompting._prompts import load_prompts
    from .prompting._tokens import TokenCounter, TokenEstimateWarning
    from .situation._followup import Call, CheckInFacts, HowIntroduced, Introduction, NoReply, Referral
    from .situation._situation import Address, Company, Outcome, Person, Resource, Situation, Tone

__all__ = [
    "CODES",
    "DEFAULT_MODEL",
    "FOLLOW_UP_STEPS",
    "PRICES",
    "PRICES_AS_OF",
    "STEPS",
    "ACohort",
    "Address",
    "Backend",
    "BatchCollected",
    "Call",
    "CallRequest",
    "Campaign",
    "CheckIn",
    "CheckInFacts",
    "Cohort",
    "CohortLedger",
    "CohortOutcome",
    "CohortResult",
    "Company",
    "Draft",
    "DraftRun",
    "FollowUpStep",
    "GuardrailError",
    "GuardrailReport",
    "HowIntroduced",
    "InputError",
    "Introduction",
    "IntroductionRequest",
    "Kit",
    "Lemonade",
    "LemonadeError",
    "Letter",
    "MalformedResponseError",
    "NoReply",
    "Nudge",
    "OfflineWarning",
    "Outcome",
    "Pacer",
    "Person",
    "PlannedStep",
    "Preview",
    "Price",
    "PromptError",
    "PromptRef",
    "ProviderError",
    "Referral",
    "ReferralOutreach",
    "ReferralQuestions",
    "RefusalError",
    "Resource",
    "RetryError",
    "Severity",
    "Situation",
    "Status",
    "Step",
    "ThankYouAfterCall",
    "ThankYouNote",
    "Timing",
    "TokenCounter",
    "TokenEstimateWarning",
    "Tone",
    "TruncatedError",
    "Usage",
    "ValueAddShare",
    "Violation",
    "batch_status",
    "cancel_batch",
    "check",
    "collect_batch",
    "default_async_retrying",
    "default_retrying",
    "is_transient",
    "kit_dates",
    "load_prompts",
    "prepare_batch",
    "reask_batch",
    "submit_batch",
    "x_length",
]

_WHERE: dict[str, str] = {
    "CODES": ".guardrails._report",
    "DEFAULT_MODEL": ".engine._lemonade",
    "FOLLOW_UP_STEPS": ".drafts._followups",
    "PRICES": ".drafts._usage",
    "PRICES_AS_OF": ".drafts._usage",
    "STEPS": ".drafts._values",
    "ACohort": ".cohort._cohort",
    "Address": ".situation._situation",
    "Backend": ".engine._lemonade",
    "BatchCollected": ".batch._collect",
    "Call": ".situation._followup",
    "CallRequest": ".drafts._values",
    "Campaign": ".campaign._campaign",
    "CheckIn": ".drafts._followups",
    "CheckInFacts": ".situation._followup",
    "Cohort": ".cohort._cohort",
    "CohortLedger": ".cohort._ledger",
    "CohortOutcome": ".cohort._result",
    "CohortResult": ".cohort._result",
    "Company": ".situation._situation",
    "Draft": ".drafts._draft",
    "DraftRun": ".campaign._campaign",
    "FollowUpStep": ".drafts._followups",
    "GuardrailError": "._errors",
    "GuardrailReport": ".guardrails._report",
    "HowIntroduced": ".situation._followup",
    "InputError": "._errors",
    "Introduction": ".situation._followup",
    "IntroductionRequest": ".drafts._followups",
    "Kit": ".drafts._draft",
    "Lemonade": ".engine._lemonade",
    "LemonadeError": "._errors",
    "Letter": ".drafts._values",
    "MalformedResponseError": "._errors",
    "NoReply": ".situation._followup",
    "Nudge": ".drafts._followups",
    "OfflineWarning": ".engine._lemonade",
    "Outcome": ".situation._situation",
    "Pacer": ".cohort._pacer",
    "Person": ".situation._situation",
    "PlannedStep": ".campaign._plan",
    "Preview": ".drafts._draft",
    "Price": ".drafts._usage",
    "PromptError": "._errors",
    "PromptRef": ".drafts._draft",
    "ProviderError": "._errors",
    "Referral": ".situation._followup",
    "ReferralOutreach": ".drafts._followups",
    "ReferralQuestions": ".drafts._values",
    "RefusalError": "._errors",
    "Resource": ".situation._situation",
    "RetryError": "._errors",
    "Severity": ".guardrails._report",
    "Situation": ".situation._situation",
    "Status": ".campaign._plan",
    "Step": ".drafts._values",
    "ThankYouAfterCall": ".drafts._followups",
    "ThankYouNote": ".drafts._values",
    "Timing": ".campaign._dates",
    "TokenCounter": ".prompting._tokens",
    "TokenEstimateWarning": ".prompting._tokens",
    "Tone": ".situation._situation",
    "TruncatedError": "._errors",
    "Usage": ".drafts._usage",
    "ValueAddShare": ".drafts._values",
    "Violation": ".guardrails._report",
    "batch_status": ".batch._batch",
    "cancel_batch": ".batch._batch",
    "check": ".drafts._check",
    "collect_batch": ".batch._batch",
    "default_async_retrying": ".engine._retry",
    "default_retrying": ".engine._retry",
    "is_transient": ".engine._retry",
    "kit_dates": ".campaign._dates",
    "load_prompts": ".prompting._prompts",
    "prepare_batch": ".batch._batch",
    "reask_batch": ".batch._batch",
    "submit_batch": ".batch._batch",
    "x_length": ".guardrails._xcount",
}
"""The module each public name lives in."""

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'lemonade' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
