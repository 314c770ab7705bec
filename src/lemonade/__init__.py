"""lemonade: turn a job rejection, or a declined offer, into a follow-up campaign.

Describe the situation once; get four typed, guardrail-checked drafts: a call request, "who do
you know" questions, a thank-you note (email and printed letter) and a value-add share.

The package follows the data, bottom to top: ``situation`` (what comes in) → ``guardrails`` (what the
checks look for) → ``drafts`` (the checked values, and Draft and Kit) → ``prompting`` (the request) →
``offline`` and ``engine`` (who writes the draft) → ``campaign`` (the playbook over time) → ``cli`` and
``testing``. Import from here.
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
from .campaign._campaign import Campaign, DraftRun
from .campaign._dates import Timing, kit_dates
from .campaign._plan import PlannedStep, Status
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
from .engine._send import default_async_retrying, default_retrying, is_transient
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
    "Address",
    "Backend",
    "Call",
    "CallRequest",
    "Campaign",
    "CheckIn",
    "CheckInFacts",
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
    "check",
    "default_async_retrying",
    "default_retrying",
    "is_transient",
    "kit_dates",
    "load_prompts",
    "x_length",
]

__version__ = "0.1.0"
