"""Checks Jira request and response bodies against the copied OpenAPI subset (openapi/)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPEC_DIR = Path(__file__).parent / "openapi"

Schema = Mapping[str, Any]

_SPRINT: Schema = {"$ref": "#/components/schemas/SprintBean"}
# The software description leaves the sprint endpoints untyped (it only gives examples); the
# examples match its own SprintBean, so the fake holds those answers to it.
_SPRINT_PAGE: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["isLast", "maxResults", "startAt", "values"],
    "properties": {
        "isLast": {"type": "boolean"},
        "maxResults": {"type": "integer"},
        "startAt": {"type": "integer"},
        "total": {"type": "integer"},
        "values": {"type": "array", "items": _SPRINT},
    },
}
_UNTYPED_RESPONSES: dict[tuple[str, str], Schema] = {
    ("get", "/rest/agile/1.0/board/{boardId}/sprint"): _SPRINT_PAGE,
    ("get", "/rest/agile/1.0/sprint/{sprintId}"): _SPRINT,
    # Documented by example only; the example is the platform's own Permissions schema.
    ("get", "/rest/api/3/mypermissions"): {"$ref": "#/components/schemas/Permissions"},
}
# The platform description types GET .../remotelink as one link; without `globalId` the real
# server answers with a list of them.
_REMOTE_LINKS = ("get", "/rest/api/3/issue/{issueIdOrKey}/remotelink")


def check_value(
    schema: Schema, value: Any, *, components: Mapping[str, Schema], where: str = "$"
) -> list[str]:
    """Every way `value` breaks `schema` (an OpenAPI 3.0 schema object), as readable lines."""
    errors: list[str] = []
    _check(schema, value, components, where, errors)
    return errors


def _resolve(schema: Schema, components: Mapping[str, Schema]) -> Schema:
    while "$ref" in schema:
        schema = components[str(schema["$ref"]).rsplit("/", 1)[-1]]
    return schema


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def _has_type(value: Any, expected: str) -> bool:
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    return isinstance(value, _TYPES.get(expected, (object,)))


def _check(
    schema: Schema, value: Any, components: Mapping[str, Schema], where: str, errors: list[str]
) -> None:
    schema = _resolve(schema, components)
    for part in schema.get("allOf", ()):
        _check(part, value, components, where, errors)
    expected = schema.get("type")
    if value is None:
        if expected is not None and not schema.get("nullable", False):
            errors.append(f"{where}: null where {expected} is required")
        return
    if expected is not None and not _has_type(value, str(expected)):
        errors.append(f"{where}: {type(value).__name__} where {expected} is required")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        errors.append(f"{where}: longer than {schema['maxLength']} characters")
    if isinstance(value, dict):
        _check_object(schema, value, components, where, errors)
    elif isinstance(value, list):
        _check_array(schema, value, components, where, errors)


def _check_object(
    schema: Schema,
    value: dict[str, Any],
    components: Mapping[str, Schema],
    where: str,
    errors: list[str],
) -> None:
    properties: Mapping[str, Schema] = schema.get("properties", {})
    for name in schema.get("required", ()):
        if name not in value:
            errors.append(f"{where}: required property {name!r} is missing")
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            _check(properties[name], item, components, f"{where}.{name}", errors)
        elif extra is False:
            errors.append(f"{where}: property {name!r} is not in the schema")
        elif isinstance(extra, Mapping):
            _check(extra, item, components, f"{where}.{name}", errors)


def _check_array(
    schema: Schema,
    value: list[Any],
    components: Mapping[str, Schema],
    where: str,
    errors: list[str],
) -> None:
    items = schema.get("items")
    if items is not None:
        for index, item in enumerate(value):
            _check(items, item, components, f"{where}[{index}]", errors)
    if schema.get("uniqueItems") and len({json.dumps(i, sort_keys=True) for i in value}) < len(
        value
    ):
        errors.append(f"{where}: items are not unique")


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented method and path, with what its bodies must look like."""

    method: str
    template: str
    pattern: re.Pattern[str]
    query: frozenset[str]
    request: Schema | None
    responses: Mapping[str, Schema | None]
    components: Mapping[str, Schema]


def _json_schema(content: Mapping[str, Any] | None) -> Schema | None:
    media = (content or {}).get("application/json")
    return None if media is None else media.get("schema")


def _operations(document: Mapping[str, Any]) -> list[Operation]:
    components = document["components"]["schemas"]
    found = []
    for template, methods in document["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in methods.items():
            responses = {
                status: _json_schema(answer.get("content"))
                for status, answer in operation.get("responses", {}).items()
            }
            untyped = _UNTYPED_RESPONSES.get((method, template))
            if untyped is not None:
                responses["200"] = untyped
            found.append(
                Operation(
                    method=method,
                    template=template,
                    pattern=pattern,
                    query=frozenset(
                        p["name"] for p in operation.get("parameters", ()) if p["in"] == "query"
                    ),
                    request=_json_schema(operation.get("requestBody", {}).get("content")),
                    responses=responses,
                    components=components,
                )
            )
    return found


class JiraSpec:
    """The documented operations the fake serves; /rest/api/2 shares /rest/api/3's shapes."""

    def __init__(self, operations: list[Operation], *, errors: Operation) -> None:
        self._operations = operations
        # Every error answer, agile ones included, is the platform's ErrorCollection.
        self._errors = errors

    @classmethod
    @functools.cache
    def load(cls) -> JiraSpec:
        operations: list[Operation] = []
        for name in ("platform.json", "software.json"):
            operations.extend(_operations(json.loads((SPEC_DIR / name).read_text("utf-8"))))
        errors = next(o for o in operations if o.template == "/rest/api/3/issue")
        return cls(operations, errors=errors)

    def operation(self, method: str, path: str) -> Operation | None:
        path = re.sub(r"^/rest/api/2/", "/rest/api/3/", path)
        for operation in self._operations:
            if operation.method == method.lower() and operation.pattern.match(path):
                return operation
        return None

    def check_request(
        self, *, method: str, path: str, query: Mapping[str, Any], body: Any
    ) -> list[str]:
        """Problems with a request the fake received (none for undocumented paths)."""
        operation = self.operation(method, path)
        if operation is None:
            return []
        where = f"{method} {path}"
        problems = [
            f"{where}: query parameter {name!r} is not documented"
            for name in query
            if name not in operation.query
        ]
        if operation.request is not None and body is not None:
            body = _drop_top_level_nulls(operation.request, body, operation.components)
            problems += check_value(
                operation.request, body, components=operation.components, where=where
            )
        return problems

    def check_response(
        self, *, method: str, path: str, query: Mapping[str, Any], status: int, body: Any
    ) -> list[str]:
        """Problems with a response the fake is about to send (none for undocumented paths)."""
        operation = self.operation(method, path)
        if operation is None:
            return []
        where = f"{method} {path} -> {status}"
        if status >= 400:
            errors = self._errors
            return check_value(
                errors.responses["400"] or {}, body, components=errors.components, where=where
            )
        if str(status) not in operation.responses:
            return [f"{where}: status {status} is not documented"]
        schema = operation.responses[str(status)]
        if schema is None or body is None:
            return []
        if (operation.method, operation.template) == _REMOTE_LINKS and "globalId" not in query:
            schema = {"type": "array", "items": schema}
        return check_value(schema, body, components=operation.components, where=where)


def _drop_top_level_nulls(schema: Schema, body: Any, components: Mapping[str, Schema]) -> Any:
    # Jira reads a top-level null as "not given"; the jira library relies on that (it sends
    # `"comment": null` with every issue link and `"expand": null` with every POSTed search).
    resolved = _resolve(schema, components)
    if not isinstance(body, dict):
        return body
    required = set(resolved.get("required", ()))
    return {k: v for k, v in body.items() if v is not None or k in required}
