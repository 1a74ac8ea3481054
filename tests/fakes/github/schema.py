"""Checks JSON against the GitHub REST schemas copied into `openapi/` (OpenAPI 3.0).

Covers what those schemas use: `$ref`, `type` with `nullable`, `properties`, `required`,
`additionalProperties`, `items`, `enum`, `oneOf`/`anyOf`/`allOf`, `minimum`/`maximum` and the
`date-time` and `uri` formats. With `strict`, a property the schema does not declare is an
error too, so the fake cannot invent fields the real API does not have.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).parent / "openapi" / "schemas.json"
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")
_URI = re.compile(r"[a-z][a-z0-9+.-]*://\S+\Z")
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


@cache
def _schemas() -> dict[str, Any]:
    data = json.loads(SCHEMAS.read_text(encoding="utf-8"))
    schemas: dict[str, Any] = data["components"]["schemas"]
    return schemas


def schema_names() -> list[str]:
    """The names of the copied schemas."""
    return sorted(_schemas())


def validate(instance: Any, schema: str | dict[str, Any], *, strict: bool = True) -> list[str]:
    """Every way `instance` breaks the named schema (or an inline one), as `path: problem`."""
    root = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    errors: list[str] = []
    _check(instance, root, "$", errors, strict)
    return errors


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _schemas()[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _check(value: Any, schema: dict[str, Any], at: str, errors: list[str], strict: bool) -> None:
    schema = _resolve(schema)
    if value is None:
        if not schema.get("nullable", False) and _allows_type(schema):
            errors.append(f"{at}: null where {schema.get('type', 'a value')} is required")
        return
    for key in ("oneOf", "anyOf"):
        if key in schema:
            _check_choice(value, schema, key, at, errors, strict)
    for part in schema.get("allOf", ()):
        _check(value, part, at, errors, strict)
    if "type" in schema and not _is_type(value, schema["type"]):
        errors.append(f"{at}: {type(value).__name__} where {schema['type']} is required")
        return
    _check_scalar(value, schema, at, errors)
    if isinstance(value, dict):
        _check_object(value, schema, at, errors, strict)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], f"{at}[{index}]", errors, strict)


def _check_scalar(value: Any, schema: dict[str, Any], at: str, errors: list[str]) -> None:
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{at}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        _check_format(value, schema.get("format"), at, errors)
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_range(value, schema, at, errors)


def _allows_type(schema: dict[str, Any]) -> bool:
    """Whether the schema constrains the value at all (an empty schema accepts null)."""
    return any(key in schema for key in ("type", "properties", "oneOf", "anyOf", "allOf", "enum"))


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(name, (object,)))


def _check_choice(
    value: Any, schema: dict[str, Any], key: str, at: str, errors: list[str], strict: bool
) -> None:
    matches = sum(1 for option in schema[key] if not validate(value, option, strict=strict))
    if matches == 0 or (key == "oneOf" and matches > 1):
        errors.append(f"{at}: matches {matches} of the {key} options")


def _check_format(value: str, fmt: str | None, at: str, errors: list[str]) -> None:
    if fmt == "date-time" and not _DATE_TIME.match(value):
        errors.append(f"{at}: {value!r} is not an RFC 3339 date-time")
    if fmt == "uri" and not _URI.match(value):
        errors.append(f"{at}: {value!r} is not a URI")


def _check_range(value: float, schema: dict[str, Any], at: str, errors: list[str]) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{at}: {value} is below {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        errors.append(f"{at}: {value} is above {schema['maximum']}")


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], at: str, errors: list[str], strict: bool
) -> None:
    properties: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", ()):
        if name not in value:
            errors.append(f"{at}: required property {name!r} is missing")
    extra = schema.get("additionalProperties", not (strict and properties))
    for name, item in value.items():
        if name in properties:
            _check(item, properties[name], f"{at}.{name}", errors, strict)
        elif extra is False:
            errors.append(f"{at}: property {name!r} is not in the schema")
        elif isinstance(extra, dict):
            _check(item, extra, f"{at}.{name}", errors, strict)
