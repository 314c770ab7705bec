"""Checking ``Lemonade``'s options before anything is built or sent: each wrong one is an ``InputError``
naming it, never a ``TypeError`` from deep inside."""

from __future__ import annotations

import math
from typing import Any

from .._errors import InputError

__all__ = ["check_options"]


def _whole(name: str, value: Any, least: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or (least is not None and value < least):
        at_least = f", {least} or more" if least is not None else ""
        raise InputError(f"{name} must be a whole number{at_least}, not {value!r}", field=name)


def _seconds(name: str, value: Any, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not (math.isfinite(value) and value > 0):
        raise InputError(f"{name} must be a positive number of seconds, not {value!r}", field=name)


def check_options(**options: Any) -> None:
    """Raise ``InputError`` for the first option that is not of its kind or out of range."""
    _whole("max_reasks", options["max_reasks"], 0)
    _whole("max_tokens", options["max_tokens"], 1)
    _whole("max_prompt_tokens", options["max_prompt_tokens"], 1)
    _whole("seed", options["seed"], None)
    _seconds("timeout", options["timeout"], optional=True)
    _seconds("max_retry_wait", options["max_retry_wait"])
    temperature = options["temperature"]
    if temperature is not None and (isinstance(temperature, bool) or not isinstance(temperature, int | float)):
        raise InputError(f"temperature must be a number, not {temperature!r}", field="temperature")
    if options["backend"] not in ("auto", "openai", "offline"):
        raise InputError(f"backend must be auto, openai or offline, not {options['backend']!r}", field="backend")
    if options["fallback"] not in (None, "offline"):
        raise InputError(f"fallback must be None or 'offline', not {options['fallback']!r}", field="fallback")
    if isinstance(options["ignore"], str):
        raise InputError("ignore must be a collection of guardrail codes, such as {'buzzword'}", field="ignore")
