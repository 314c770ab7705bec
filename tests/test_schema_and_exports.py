"""The strict schemas, and the public surface."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import lemonade
from lemonade.prompting._schema import reply_schema, response_format, strict_schema

FORBIDDEN = {"default", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems", "title"}


def walk(schema: Any) -> list[dict[str, Any]]:
    if isinstance(schema, list):
        return [n for item in schema for n in walk(item)]
    if not isinstance(schema, dict):
        return []
    return [schema] + [n for value in schema.values() for n in walk(value)]


@pytest.mark.parametrize("step", lemonade.STEPS)
def test_schemas_are_strict(step: lemonade.Step) -> None:
    for node in walk(reply_schema(step)):
        assert not FORBIDDEN & node.keys()
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])
    fmt = response_format(step)
    assert fmt["json_schema"]["name"] == step and fmt["json_schema"]["strict"] is True


def test_thank_you_schema_leaves_the_letter_to_lemonade() -> None:
    assert reply_schema("thank_you")["required"] == ["email_subject", "email_body", "letter_paragraphs"]
    assert "$defs" not in reply_schema("thank_you")


def test_strict_schema_is_a_copy_and_recurses() -> None:
    original: dict[str, Any] = {
        "type": "object",
        "properties": {
            "a": {
                "type": "array",
                "minItems": 3,
                "items": {"type": "object", "properties": {"b": {"type": "string", "maxLength": 5}}},
            }
        },
    }
    strict = strict_schema(original)
    assert strict["properties"]["a"]["items"]["required"] == ["b"]
    assert "maxLength" not in strict["properties"]["a"]["items"]["properties"]["b"]
    assert original["properties"]["a"]["minItems"] == 3
    reply_schema("call_request")["properties"].clear()
    assert reply_schema("call_request")["properties"]  # callers cannot damage the cache


def test_all_is_sorted_and_complete() -> None:
    assert lemonade.__all__ == sorted(lemonade.__all__, key=lambda n: (not n.isupper(), n))
    for name in lemonade.__all__:
        assert getattr(lemonade, name) is not None
    modules = {info.name for info in pkgutil.iter_modules(lemonade.__path__)}
    visible = {name for name in dir(lemonade) if not name.startswith("_") and name not in modules}
    assert visible == set(lemonade.__all__)


def test_private_modules_declare_their_surface() -> None:
    for info in pkgutil.walk_packages(lemonade.__path__, "lemonade."):
        module = importlib.import_module(info.name)
        assert isinstance(getattr(module, "__all__", None), list), info.name
        for name in module.__all__:
            assert hasattr(module, name), f"{info.name}.{name}"


def test_every_error_is_a_lemonade_error() -> None:
    for name in (
        "InputError",
        "PromptError",
        "GuardrailError",
        "RefusalError",
        "TruncatedError",
        "ProviderError",
        "RetryError",
    ):
        assert issubclass(getattr(lemonade, name), lemonade.LemonadeError)
    assert issubclass(lemonade.InputError, ValueError)
