"""lemonade: turn a job rejection, or a declined offer, into a follow-up campaign.

Describe the situation once; get four typed, guardrail-checked drafts: a call request, "who do
you know" questions, a thank-you note (email and printed letter) and a value-add share.

The package follows the data, bottom to top: ``situation`` (what comes in) → ``guardrails`` (what the
checks look for) → ``drafts`` (the checked values, and Draft and Kit) → ``prompting`` (the request) →
``offline`` and ``engine`` (who writes the draft) → ``cli`` and ``testing``. Import from here.
"""

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
from .cohort._cohort import ACohort, Cohort
from .cohort._ledger import CohortLedger
from .cohort._pacer import Pacer
from .cohort._result import CohortOutcome, CohortResult
from .drafts._check import check
from .drafts._draft import Draft, Kit, Preview, PromptRef
from .drafts._usage import PRICES, PRICES_AS_OF, Price, Usage
from .drafts._values import STEPS, CallRequest, Letter, ReferralQuestions, Step, ThankYouNote, ValueAddShare
from .engine._lemonade import DEFAULT_MODEL, Backend, Lemonade, OfflineWarning
from .engine._send import default_async_retrying, default_retrying, is_transient
from .guardrails._report import CODES, GuardrailReport, Severity, Violation
from .guardrails._xcount import x_length
from .prompting._prompts import load_prompts
from .prompting._tokens import TokenCounter, TokenEstimateWarning
from .situation._situation import Address, Company, Outcome, Person, Resource, Situation, Tone

__all__ = [
    "CODES",
    "DEFAULT_MODEL",
    "PRICES",
    "PRICES_AS_OF",
    "STEPS",
    "ACohort",
    "Address",
    "Backend",
    "BatchCollected",
    "CallRequest",
    "Cohort",
    "CohortLedger",
    "CohortOutcome",
    "CohortResult",
    "Company",
    "Draft",
    "GuardrailError",
    "GuardrailReport",
    "InputError",
    "Kit",
    "Lemonade",
    "LemonadeError",
    "Letter",
    "MalformedResponseError",
    "OfflineWarning",
    "Outcome",
    "Pacer",
    "Person",
    "Preview",
    "Price",
    "PromptError",
    "PromptRef",
    "ProviderError",
    "ReferralQuestions",
    "RefusalError",
    "Resource",
    "RetryError",
    "Severity",
    "Situation",
    "Step",
    "ThankYouNote",
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
    "load_prompts",
    "prepare_batch",
    "reask_batch",
    "submit_batch",
    "x_length",
]

__version__ = "0.1.0"
