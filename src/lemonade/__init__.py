"""lemonade: turn a job rejection, or a declined offer, into a follow-up campaign.

Describe the situation once; get four typed, guardrail-checked drafts: a call request, "who do
you know" questions, a thank-you note (email and printed letter) and a value-add share.
"""

from ._drafts import Draft, Kit, Preview, PromptRef, Usage
from ._engine import DEFAULT_MODEL, Backend, Lemonade, OfflineWarning
from ._errors import (
    GuardrailError,
    InputError,
    LemonadeError,
    PromptError,
    ProviderError,
    RefusalError,
    RetryError,
    TruncatedError,
)
from ._guardrails import CODES, GuardrailReport, Severity, Violation, check
from ._prompts import STEPS, Step, load_prompts
from ._send import default_async_retrying, default_retrying, is_transient
from ._situation import Address, Company, Outcome, Person, Resource, Situation, Tone
from ._tokens import PRICES, PRICES_AS_OF, Price, TokenCounter, TokenEstimateWarning
from ._values import CallRequest, Letter, ReferralQuestions, ThankYouNote, ValueAddShare
from ._xcount import x_length

__all__ = [
    "CODES",
    "DEFAULT_MODEL",
    "PRICES",
    "PRICES_AS_OF",
    "STEPS",
    "Address",
    "Backend",
    "CallRequest",
    "Company",
    "Draft",
    "GuardrailError",
    "GuardrailReport",
    "InputError",
    "Kit",
    "Lemonade",
    "LemonadeError",
    "Letter",
    "OfflineWarning",
    "Outcome",
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
    "check",
    "default_async_retrying",
    "default_retrying",
    "is_transient",
    "load_prompts",
    "x_length",
]

__version__ = "0.1.0"
