"""The strict JSON schema each step asks the model to follow, compiled once from the value types.

Strict structured output wants every key required, ``additionalProperties: false`` and none of the
keywords it rejects. What this drops (length and range limits) is still enforced afterwards by
Pydantic and the guardrails.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from pydantic import BaseModel

from ..drafts._values import VALUE_TYPES

__all__ = ["reply_schema", "response_format", "strict_schema"]

_BUILT_BY_LEMONADE = {"thank_you": {"letter"}, "thank_you_after_call": {"letter"}}
"""Fields of a value type that lemonade fills in from the situation; the model never writes them."""

_UNSUPPORTED = {
    "default", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "examples", "uniqueItems", "minProperties",
    "maxProperties", "title",
}  # fmt: skip


def strict_schema(schema: Any) -> Any:
    """A copy of ``schema`` made acceptable to strict structured output."""
    if isinstance(schema, list):
        return [strict_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict_schema(v) for k, v in schema.items() if k not in _UNSUPPORTED}
    if "properties" in schema:
        out["properties"] = {k: strict_schema(v) for k, v in schema["properties"].items()}
    if out.get("type") == "object":
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    return out


def _model_schema(value_type: type[BaseModel], drop: set[str]) -> dict[str, Any]:
    schema = copy.deepcopy(value_type.model_json_schema())
    for name in drop:
        schema["properties"].pop(name, None)
    defs = schema.pop("$defs", {})
    text = json.dumps(schema)
    if kept := {name: d for name, d in defs.items() if f'"#/$defs/{name}"' in text}:
        schema["$defs"] = kept
    return schema


@functools.cache
def _compiled(step: str) -> str:
    schema = _model_schema(VALUE_TYPES[step], _BUILT_BY_LEMONADE.get(step, set()))
    return json.dumps(strict_schema(schema), separators=(",", ":"))


def reply_schema(step: str) -> dict[str, Any]:
    """The strict schema of what the model returns for ``step`` (a fresh copy each call)."""
    result: dict[str, Any] = json.loads(_compiled(step))
    return result


@functools.cache
def response_format(step: str) -> dict[str, Any]:
    """The ``response_format`` argument for ``step``: built once, shared by every request (never mutate it)."""
    return {"type": "json_schema", "json_schema": {"name": step, "strict": True, "schema": reply_schema(step)}}
