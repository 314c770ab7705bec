"""Token counts before sending, and trimming free-text notes to a budget.

Counts use the model's tiktoken encoding (o200k_base for model names tiktoken does not know). Where
an encoding cannot be loaded (no network and no cache), counts fall back to an estimate of one token
per four characters; one ``TokenEstimateWarning`` says so and every count is marked as estimated.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Count", "TokenCounter", "TokenEstimateWarning"]

DEFAULT_ENCODING = "o200k_base"
_PER_MESSAGE = 3
_REPLY_PRIMING = 3
_TRIM_MARK = " […]"


class TokenEstimateWarning(UserWarning):
    """Token counts are estimates because the tokenizer could not be loaded."""


class Encoder(Protocol):
    def encode(self, text: str, *, disallowed_special: tuple[()] = ...) -> list[int]: ...
    def decode(self, tokens: list[int]) -> str: ...


@dataclass(frozen=True, slots=True)
class Count:
    tokens: int
    estimated: bool


def _tiktoken_encoding(name: str) -> Encoder:
    import tiktoken  # here, not at import time: only a count needs it

    return tiktoken.get_encoding(name)


class TokenCounter:
    """Counts tokens per model, loading each encoding once; ``load_encoding`` is injectable for tests."""

    def __init__(self, *, load_encoding: Callable[[str], Encoder] = _tiktoken_encoding) -> None:
        self._load = load_encoding
        self._encoders: dict[str, Encoder | None] = {}
        self._lock = threading.Lock()
        self._warned = False

    @staticmethod
    def encoding_name(model: str) -> str:
        import tiktoken.model

        try:
            return tiktoken.model.encoding_name_for_model(model)
        except KeyError:
            return DEFAULT_ENCODING

    def _encoder(self, model: str) -> Encoder | None:
        name = self.encoding_name(model)
        if name in self._encoders:
            return self._encoders[name]
        with self._lock:
            if name not in self._encoders:
                try:
                    self._encoders[name] = self._load(name)
                except Exception:  # any failure to load means: estimate instead
                    self._encoders[name] = None
                    if not self._warned:
                        self._warned = True
                        warnings.warn(
                            f"token counts are estimated: the {name} tokenizer could not be loaded "
                            "(set TIKTOKEN_CACHE_DIR to a folder holding it to count exactly)",
                            TokenEstimateWarning,
                            stacklevel=4,
                        )
        return self._encoders[name]

    def count(self, text: str, model: str) -> Count:
        encoder = self._encoder(model)
        if encoder is None:
            return Count(math.ceil(len(text) / 4), estimated=True)
        return Count(len(encoder.encode(text, disallowed_special=())), estimated=False)

    def count_messages(self, messages: Sequence[Mapping[str, str]], model: str) -> Count:
        """Prompt tokens of a chat request: each message's role and content plus the chat framing."""
        total, estimated = _REPLY_PRIMING, False
        for message in messages:
            for text in (message["role"], message["content"]):
                c = self.count(text, model)
                total += c.tokens
                estimated |= c.estimated
            total += _PER_MESSAGE
        return Count(total, estimated)

    @staticmethod
    def surely_within(messages: Sequence[Mapping[str, str]], budget: int) -> bool:
        """True when the messages cannot exceed ``budget`` tokens, known without tokenizing.

        Every BPE token stands for at least one byte of UTF-8, so the byte count bounds the
        token count from above; only prompts near the budget need the tokenizer's exact count.
        """
        size = _REPLY_PRIMING + sum(
            _PER_MESSAGE + len(m["role"].encode()) + len(m["content"].encode()) for m in messages
        )
        return size <= budget

    def trim(self, text: str, max_tokens: int, model: str) -> str:
        """``text`` cut to at most ``max_tokens`` tokens (its beginning kept), marked where cut."""
        if max_tokens <= 0:
            return ""
        encoder = self._encoder(model)
        if encoder is None:
            keep = max(0, max_tokens * 4 - len(_TRIM_MARK))
            return text if len(text) <= max_tokens * 4 else text[:keep].rstrip() + _TRIM_MARK
        tokens = encoder.encode(text, disallowed_special=())
        if len(tokens) <= max_tokens:
            return text
        mark = len(encoder.encode(_TRIM_MARK))
        return encoder.decode(tokens[: max(0, max_tokens - mark)]).rstrip() + _TRIM_MARK
