"""What a draft cost: tokens and requests summed over every attempt, and the prices that turn them into dollars."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

__all__ = ["NO_USAGE", "PRICES", "PRICES_AS_OF", "Price", "Usage", "cost_usd"]


class Usage(BaseModel):
    """Tokens and requests spent on a draft, summed over every attempt.

    ``estimated`` is true where a count came from lemonade's own estimate rather than the
    server's report; ``cost_usd`` is None where the model's price is not known. ``reasks`` counts the
    answers that were re-asks (a draft sent back with its problems), and ``reask_tokens`` the tokens
    they took, prompt and completion.
    """

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    cost_usd: float | None = None
    estimated: bool = False
    reasks: int = 0
    reask_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def summary(self) -> str:
        """ "2 requests · 812 prompt + 95 completion tokens (estimated) · $0.00017": "estimated" stands next to
        figures that lemonade counted itself."""
        requests = f"{self.requests} request{'' if self.requests == 1 else 's'}"
        estimate = " (estimated)" if self.estimated else ""
        tokens = f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens{estimate}"
        cost = f" · ${self.cost_usd:.5f}" if self.cost_usd else ""
        return f"{requests} · {tokens}{cost}"

    def __add__(self, other: Usage) -> Usage:
        cost = None if self.cost_usd is None or other.cost_usd is None else self.cost_usd + other.cost_usd
        return Usage.model_construct(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            requests=self.requests + other.requests,
            cost_usd=cost,
            estimated=self.estimated or other.estimated,
            reasks=self.reasks + other.reasks,
            reask_tokens=self.reask_tokens + other.reask_tokens,
        )


NO_USAGE = Usage(cost_usd=0.0)
"""Nothing spent (an offline draft, or a step not yet sent)."""


@dataclass(frozen=True, slots=True)
class Price:
    """US dollars per million tokens."""

    prompt: float
    completion: float


PRICES_AS_OF = "2025-06-01"
PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1": Price(2.00, 8.00),
    "o4-mini": Price(1.10, 4.40),
    "o3": Price(2.00, 8.00),
}
"""List prices published for these models as of ``PRICES_AS_OF``; pass your own to ``Lemonade(prices=...)``."""


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int, prices: Mapping[str, Price]) -> float | None:
    """The cost of one request, matching dated snapshots to their base name; None if the price is unknown."""
    matches = [name for name in prices if model == name or model.startswith(name + "-")]
    if not matches:
        return None
    price = prices[max(matches, key=len)]
    return (prompt_tokens * price.prompt + completion_tokens * price.completion) / 1_000_000
